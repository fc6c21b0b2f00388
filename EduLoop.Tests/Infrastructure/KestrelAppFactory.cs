using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Infrastructure;

/// <summary>
/// The app on a real Kestrel port, for the browser tests: chosen by the OS, or a given one over a given
/// data folder, to start the same server again after stopping it.
/// </summary>
public sealed class KestrelAppFactory : EduLoopAppFactory
{
    public KestrelAppFactory()
        : this(null, 0)
    {
    }

    public KestrelAppFactory(string? dataDirectory, int port)
        : base(dataDirectory)
    {
        UseKestrel(port);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        RootUrl = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/";
    }

    /// <summary>The root URL, ending in a slash.</summary>
    public string RootUrl { get; }
}
