using System.Threading.RateLimiting;

namespace EduLoop.App.Scaling;

/// <summary>
/// Fixed windows of permits by key (an address, a user, an account name): the request and guessing
/// budgets. One server keeps them in memory (<see cref="LocalRateBudgets"/>); several share them in
/// Redis (<see cref="RedisRateBudgets"/>), so a caller gets no fresh budget from each server.
/// </summary>
public interface IRateBudgets
{
    /// <summary>
    /// Takes <paramref name="permits"/> from the window of <paramref name="key"/> (none: only whether
    /// any are left). Null when they were there; otherwise the seconds until the window ends.
    /// </summary>
    ValueTask<int?> TakeAsync(string key, int permits, int limit, TimeSpan window);
}

/// <summary>The budgets of one server, in its memory.</summary>
public sealed class LocalRateBudgets : IRateBudgets, IDisposable
{
    private readonly PartitionedRateLimiter<Budget> _limiter = PartitionedRateLimiter.Create<Budget, string>(
        budget => RateLimitPartition.GetFixedWindowLimiter(budget.Key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, budget.Limit),
            Window = budget.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public ValueTask<int?> TakeAsync(string key, int permits, int limit, TimeSpan window)
    {
        using var lease = _limiter.AttemptAcquire(new Budget(key, limit, window), permits);
        return ValueTask.FromResult<int?>(
            lease.IsAcquired ? null
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : (int)Math.Ceiling(window.TotalSeconds));
    }

    public void Dispose() => _limiter.Dispose();

    /// <summary>A key names one budget: its limit and window are those of its first use.</summary>
    private sealed record Budget(string Key, int Limit, TimeSpan Window);
}
