using EduLoop.Domain.Caching;

using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

using StackExchange.Redis;

namespace EduLoop.App.Scaling;

/// <summary>
/// One server, or several sharing a Redis server (<c>EduLoop:Redis</c>, a StackExchange.Redis
/// configuration string such as <c>127.0.0.1:6379</c>). With Redis: HybridCache's second level, the
/// generations and messages that keep every server's cache and memory current, the data-protection
/// keys (a cookie from one server is good on every other) and the request budgets are shared.
/// </summary>
public static class ScaleOutRegistration
{
    public const string RedisSetting = "EduLoop:Redis";

    /// <summary>The tag of the checks <c>/health/ready</c> runs.</summary>
    public const string Ready = "ready";

    /// <summary>
    /// Registers what one server or several need, and where the data-protection keys go: in Redis,
    /// or where <paramref name="keysInFiles"/> puts them.
    /// </summary>
    public static void AddEduLoopScaleOut(this WebApplicationBuilder builder, IDataProtectionBuilder dataProtection, Func<IDataProtectionBuilder, IDataProtectionBuilder> keysInFiles)
    {
        var services = builder.Services;
        services.AddSingleton<LocalRateBudgets>();
        var configuration = builder.Configuration[RedisSetting];
        if (string.IsNullOrWhiteSpace(configuration))
        {
            services.AddSingleton<IRateBudgets>(sp => sp.GetRequiredService<LocalRateBudgets>());
            keysInFiles(dataProtection);
            return;
        }

        var redis = Connect(configuration, ServerName.From(builder.Configuration).Value);
        services.AddSingleton<IConnectionMultiplexer>(redis);
        services.AddSingleton<IOtherServers, RedisOtherServers>();
        services.AddSingleton<ISharedGenerations, RedisGenerations>();
        services.AddSingleton<IRateBudgets, RedisRateBudgets>();
        // HybridCache takes the distributed cache as its second level.
        services.AddStackExchangeRedisCache(options =>
        {
            options.ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(redis);
            options.InstanceName = "eduloop:cache:";
        });
        dataProtection.PersistKeysToStackExchangeRedis(redis, "eduloop:data-protection-keys");
        services.AddHealthChecks().AddRedis(redis, "redis", HealthStatus.Unhealthy, [Ready], TimeSpan.FromSeconds(3));
    }

    /// <summary>
    /// Connects without waiting for Redis to be there (it may start after EduLoop), and fails a
    /// command at once while it is away rather than queueing it: a read then goes to the database.
    /// </summary>
    private static ConnectionMultiplexer Connect(string configuration, string serverName)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException(
                $"{RedisSetting} is not a Redis configuration string ({e.Message}). Set it to host:port, such as 127.0.0.1:6379, with options after commas (password=…, ssl=true).", e);
        }

        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 5_000);
        options.ClientName ??= "eduloop-" + serverName;
        return ConnectionMultiplexer.Connect(options);
    }
}

/// <summary>This server's name in logs, in <c>/health/ready</c> and in Redis's client list: <c>EduLoop:ServerName</c>, else the machine's name.</summary>
public sealed record ServerName(string Value)
{
    public const string Setting = "EduLoop:ServerName";

    public static ServerName From(IConfiguration configuration) =>
        new(configuration[Setting] is { Length: > 0 } name ? name.Trim() : Environment.MachineName);
}

/// <summary><c>/health/ready</c>: whether this server can serve (its database, and Redis when there is one), and its name.</summary>
public static class ReadyReport
{
    public static Task WriteAsync(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString());
        return context.Response.WriteAsJsonAsync(
            new ReadyBody(report.Status.ToString(), context.RequestServices.GetRequiredService<ServerName>().Value, checks),
            Api.ApiJson.Context.ReadyBody);
    }
}

public sealed record ReadyBody(string Status, string Server, Dictionary<string, string> Checks);
