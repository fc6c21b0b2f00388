using System.Net;

using EduLoop.Domain;
using EduLoop.Domain.Identity;

using Microsoft.AspNetCore.Components.Server.Circuits;

using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace EduLoop.App.Hosting;

/// <summary>
/// <c>/metrics</c>: OpenTelemetry's metrics in Prometheus's text format. Requests by route and status
/// (ASP.NET Core), Kestrel's connections, EduLoop's own (<see cref="EduLoopMetrics"/>), EF Core's
/// contexts and Npgsql's connection pool. Open to signed-in admins and to the addresses in
/// <c>EduLoop:Metrics:AllowedNetworks</c> (a monitoring server), to nobody else.
/// </summary>
public static class Metrics
{
    public const string Path = "/metrics";

    public static void AddEduLoopMetrics(this WebApplicationBuilder builder, string serverName)
    {
        var section = builder.Configuration.GetSection("EduLoop:Metrics:AllowedNetworks");
        builder.Services.AddSingleton(new MetricsAccess(section.Get<string[]>() ?? section.Value?.Split(',') ?? []));
        builder.Services.AddScoped<CircuitHandler, CircuitCount>();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("eduloop", serviceInstanceId: serverName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter(EduLoopMetrics.MeterName, "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.EntityFrameworkCore", "Npgsql")
                .AddPrometheusExporter());
    }

    public static void MapEduLoopMetrics(this WebApplication app)
    {
        var access = app.Services.GetRequiredService<MetricsAccess>();
        app.UseWhen(context => context.Request.Path.Equals(Path, StringComparison.OrdinalIgnoreCase), branch => branch.Use(async (context, next) =>
        {
            if (!access.Allows(context))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                context.Response.Headers.CacheControl = "no-store";
                await context.Response.WriteAsync("The metrics are open to admins and to the addresses in EduLoop:Metrics:AllowedNetworks.");
                return;
            }

            await next(context);
        }));
        app.MapPrometheusScrapingEndpoint(Path);
    }
}

/// <summary>Who may read <c>/metrics</c>: a signed-in admin, or a caller from one of the allowed networks.</summary>
public sealed class MetricsAccess
{
    private readonly IReadOnlyList<IPNetwork> _networks;

    public MetricsAccess(IEnumerable<string> networks)
    {
        var parsed = new List<IPNetwork>();
        foreach (var entry in networks.Select(n => n.Trim()).Where(n => n.Length > 0))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                parsed.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                parsed.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new InvalidOperationException(
                    $"EduLoop:Metrics:AllowedNetworks holds \"{entry}\", which is neither an address nor a network such as 10.0.0.0/8.");
            }
        }

        _networks = parsed;
    }

    public bool Allows(HttpContext context)
    {
        if (context.User.IsInRole(Roles.Admin))
        {
            return true;
        }

        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return _networks.Any(n => n.Contains(address));
    }
}

/// <summary>Counts this server's open circuits for <see cref="EduLoopMetrics"/>.</summary>
public sealed class CircuitCount(EduLoopMetrics metrics) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.CircuitOpened();
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.CircuitClosed();
        return Task.CompletedTask;
    }
}
