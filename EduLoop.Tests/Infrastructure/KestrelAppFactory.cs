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

    /// <summary>The app with some settings of its own, on a port the OS chooses.</summary>
    public KestrelAppFactory(IReadOnlyDictionary<string, string> settings)
        : this(null, 0, settings)
    {
    }

    public KestrelAppFactory(string? dataDirectory, int port)
        : this(dataDirectory, port, new Dictionary<string, string>())
    {
    }

    private KestrelAppFactory(string? dataDirectory, int port, IReadOnlyDictionary<string, string> settings)
        : base(dataDirectory)
    {
        _settings = settings;
        UseKestrel(port);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        RootUrl = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/";
    }

    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <summary>The root URL, ending in a slash.</summary>
    public string RootUrl { get; }

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
