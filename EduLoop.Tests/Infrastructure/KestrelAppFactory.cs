using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Infrastructure;

/// <summary>The app on a real Kestrel port (loopback, chosen by the OS), for the browser tests.</summary>
public sealed class KestrelAppFactory : EduLoopAppFactory
{
    public KestrelAppFactory()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        RootUrl = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/";
    }

    /// <summary>The root URL, ending in a slash.</summary>
    public string RootUrl { get; }
}
