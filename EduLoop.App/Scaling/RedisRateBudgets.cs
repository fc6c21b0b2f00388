using StackExchange.Redis;

namespace EduLoop.App.Scaling;

/// <summary>
/// The budgets in Redis, shared by every server: one counter per key and window, counted and given
/// its expiry in one script. While Redis cannot be reached, each server counts in its own memory
/// (<see cref="LocalRateBudgets"/>) rather than letting every guess through.
/// </summary>
public sealed class RedisRateBudgets(IConnectionMultiplexer redis, LocalRateBudgets fallback, ILogger<RedisRateBudgets> logger) : IRateBudgets
{
    private const string Prefix = "eduloop:budget:";

    /// <summary>Adds the permits; starts the window with the first of them. Returns the count and the milliseconds left.</summary>
    private static readonly LuaScript Count = LuaScript.Prepare("""
        local n = redis.call('INCRBY', @key, @permits)
        local left = redis.call('PTTL', @key)
        if left < 0 then
            redis.call('PEXPIRE', @key, @window)
            left = tonumber(@window)
        end
        return {n, left}
        """);

    private readonly Outage _outage = new(logger, "Redis cannot be reached: request and guessing budgets are counted by each server alone until it can");

    public async ValueTask<int?> TakeAsync(string key, int permits, int limit, TimeSpan window)
    {
        RedisResult[] result;
        try
        {
            result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(
                Count, new { key = (RedisKey)(Prefix + key), permits, window = (long)window.TotalMilliseconds }))!;
            _outage.Over();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _outage.Began(e);
            return await fallback.TakeAsync(key, permits, limit, window);
        }

        var count = (long)result[0];
        var left = (long)result[1];
        // Asking with no permits: refused once the window is full; asking for some: once it overflows.
        var within = permits == 0 ? count < limit : count <= limit;
        return within ? null : (int)Math.Max(1, Math.Ceiling(left / 1000.0));
    }
}

/// <summary>
/// Logs the start and the end of a spell without Redis once each, rather than a line for every
/// request that found it missing.
/// </summary>
internal sealed class Outage(ILogger logger, string message)
{
    private int _down;

    public void Began(Exception e)
    {
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            logger.LogWarning(e, "{Message}", message);
        }
    }

    /// <summary>True when this ended an outage.</summary>
    public bool Over()
    {
        if (Volatile.Read(ref _down) == 1 && Interlocked.Exchange(ref _down, 0) == 1)
        {
            logger.LogInformation("Redis can be reached again");
            return true;
        }

        return false;
    }
}
