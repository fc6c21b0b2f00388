using System.Threading.RateLimiting;

namespace EduLoop.App.Api;

/// <summary>The <c>EduLoop:Api:Throttling</c> section.</summary>
public sealed class ThrottlingOptions
{
    public bool Enabled { get; set; } = true;
    public int AnonymousPerMinute { get; set; } = 200;
    public int UserPerMinute { get; set; } = 500;

    /// <summary>Sign-in attempts per minute and address on <c>/api/api-token-auth/</c>.</summary>
    public int LoginPerMinute { get; set; } = 10;

    /// <summary>
    /// Failed credentials per minute and address, all kinds together: sign-in passwords (form and API),
    /// access keys and tokens.
    /// </summary>
    public int FailedCredentialsPerMinute { get; set; } = 30;

    /// <summary>Failed sign-ins per account name in 15 minutes, from any address, whether the account exists or not.</summary>
    public int FailedSignInsPerAccount { get; set; } = 10;

    /// <summary>Registration attempts per minute and address.</summary>
    public int RegistrationsPerMinute { get; set; } = 10;
}

/// <summary>
/// Request budgets per minute: anonymous callers by address, signed-in callers by user, sign-in
/// attempts by address with a much smaller budget.
/// </summary>
public sealed class ApiThrottle : IDisposable
{
    private readonly ThrottlingOptions _options;
    private readonly PartitionedRateLimiter<string> _requests;
    private readonly PartitionedRateLimiter<string> _logins;

    public ApiThrottle(ThrottlingOptions options)
    {
        _options = options;
        _requests = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, k => Window(
            k.StartsWith("user:", StringComparison.Ordinal) ? options.UserPerMinute : options.AnonymousPerMinute)));
        _logins = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => Window(options.LoginPerMinute)));
    }

    /// <summary>Null when the request may go on; otherwise the seconds until it may.</summary>
    public int? Check(HttpContext context, bool isLogin = false)
    {
        if (!_options.Enabled)
        {
            return null;
        }

        var user = context.User.Identity?.IsAuthenticated == true ? context.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value : null;
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        using var lease = isLogin
            ? _logins.AttemptAcquire($"login:{address}")
            : _requests.AttemptAcquire(user is null ? $"ip:{address}" : $"user:{user}");
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;
    }

    public void Dispose()
    {
        _requests.Dispose();
        _logins.Dispose();
    }

    private static FixedWindowRateLimiterOptions Window(int permits) => new()
    {
        PermitLimit = Math.Max(1, permits),
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
