using EduLoop.App.Scaling;

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
/// attempts by address with a much smaller budget. With several servers the budgets are shared.
/// </summary>
public sealed class ApiThrottle(ThrottlingOptions options, IRateBudgets budgets)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>Null when the request may go on; otherwise the seconds until it may.</summary>
    public ValueTask<int?> CheckAsync(HttpContext context, bool isLogin = false)
    {
        if (!options.Enabled)
        {
            return ValueTask.FromResult<int?>(null);
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (isLogin)
        {
            return budgets.TakeAsync($"login:{address}", 1, options.LoginPerMinute, Minute);
        }

        var user = context.User.Identity?.IsAuthenticated == true ? context.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value : null;
        return user is null
            ? budgets.TakeAsync($"ip:{address}", 1, options.AnonymousPerMinute, Minute)
            : budgets.TakeAsync($"user:{user}", 1, options.UserPerMinute, Minute);
    }
}
