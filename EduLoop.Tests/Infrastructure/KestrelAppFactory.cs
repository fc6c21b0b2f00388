using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Infrastructure;

/// <summary>
/// The app on a real Kestrel port, for the browser tests: chosen by the OS, or a given one over a given
/// data folder, to start the same server again after stopping it; with the demo school, or with only the admin account.
/// </summary>
public sealed class KestrelAppFactory : EduLoopAppFactory
{
    private readonly bool _demoData;
    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <summary>The app's clock when a test moves time on (days of spaced repetition); the system's otherwise.</summary>
    private readonly TimeProvider? _clock;

    public KestrelAppFactory()
        : this(null, 0)
    {
    }

    /// <summary>The app with some settings of its own, on a port the OS chooses.</summary>
    public KestrelAppFactory(IReadOnlyDictionary<string, string> settings)
        : this(null, 0, settings: settings)
    {
    }

    public KestrelAppFactory(string? dataDirectory, int port, bool demoData = true, IReadOnlyDictionary<string, string>? settings = null, TimeProvider? clock = null)
        : base(dataDirectory)
    {
        _demoData = demoData;
        _settings = settings ?? new Dictionary<string, string>();
        _clock = clock;
        UseKestrel(port);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        RootUrl = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/";
    }

    /// <summary>Whether the app starts with the demo school; without it, only the admin account exists.</summary>
    protected override bool DemoData => _demoData;

    /// <summary>The root URL, ending in a slash.</summary>
    public string RootUrl { get; }

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_clock is { } clock)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }
    }
}
