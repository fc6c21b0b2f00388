using System.Threading.RateLimiting;

using EduLoop.App.Api;

namespace EduLoop.App.Hosting;

/// <summary>
/// Budgets for guessing. Failed credentials of every kind (the sign-in form's password, the API's
/// password, access keys and tokens) share one budget per address; failed sign-ins also count per
/// account name, known or not, so that both get the same answer; registrations count per address.
/// A caller over a budget is refused before its credential is checked: a right guess then tells
/// nothing. Addresses are the connection's, or a declared proxy's <c>X-Forwarded-For</c>.
/// </summary>
public sealed class CredentialThrottle : IDisposable
{
    /// <summary>The window of the per-account budget.</summary>
    public static readonly TimeSpan AccountWindow = TimeSpan.FromMinutes(15);

    private readonly ThrottlingOptions _options;
    private readonly PartitionedRateLimiter<string> _failures;
    private readonly PartitionedRateLimiter<string> _accounts;
    private readonly PartitionedRateLimiter<string> _registrations;

    public CredentialThrottle(ThrottlingOptions options)
    {
        _options = options;
        _failures = Create(options.FailedCredentialsPerMinute, TimeSpan.FromMinutes(1));
        _accounts = Create(options.FailedSignInsPerAccount, AccountWindow);
        _registrations = Create(options.RegistrationsPerMinute, TimeSpan.FromMinutes(1));
    }

    /// <summary>Null while the caller's address may still fail; otherwise the seconds until it may try again.</summary>
    public int? FailureWait(HttpContext context) => Take(_failures, Address(context), 0);

    /// <summary>Counts a failed credential against the address; the wait when that was over the budget.</summary>
    public int? RecordFailure(HttpContext context) => Take(_failures, Address(context), 1);

    /// <summary>Null while a sign-in as <paramref name="account"/> from this address may be tried.</summary>
    public int? SignInWait(HttpContext context, string account) =>
        Max(Take(_failures, Address(context), 0), Take(_accounts, Account(account), 0));

    /// <summary>Counts a failed sign-in against the address and the account name.</summary>
    public int? RecordSignInFailure(HttpContext context, string account) =>
        Max(Take(_failures, Address(context), 1), Take(_accounts, Account(account), 1));

    /// <summary>Counts a registration attempt against the address; the wait when that was over the budget.</summary>
    public int? Registration(HttpContext context) => Take(_registrations, Address(context), 1);

    public void Dispose()
    {
        _failures.Dispose();
        _accounts.Dispose();
        _registrations.Dispose();
    }

    private int? Take(PartitionedRateLimiter<string> limiter, string key, int permits)
    {
        if (!_options.Enabled)
        {
            return null;
        }

        // No permits asked: whether any are left, without taking one.
        using var lease = limiter.AttemptAcquire(key, permits);
        return lease.IsAcquired ? null
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 60;
    }

    private static int? Max(int? a, int? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static string Account(string name) => name.Trim().ToUpperInvariant();

    private static PartitionedRateLimiter<string> Create(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, permits),
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}
