using EduLoop.App.Api;
using EduLoop.App.Scaling;

namespace EduLoop.App.Hosting;

/// <summary>
/// Budgets for guessing. Failed credentials of every kind (the sign-in form's password, the API's
/// password, access keys and tokens) share one budget per address; failed sign-ins also count per
/// account name, known or not, so that both get the same answer; registrations count per address.
/// A caller over a budget is refused before its credential is checked: a right guess then tells
/// nothing. Addresses are the connection's, or a declared proxy's <c>X-Forwarded-For</c>. With
/// several servers the budgets are shared: a guesser gets no fresh budget from each server.
/// </summary>
public sealed class CredentialThrottle(ThrottlingOptions options, IRateBudgets budgets)
{
    /// <summary>The window of the per-account budget.</summary>
    public static readonly TimeSpan AccountWindow = TimeSpan.FromMinutes(15);

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>Null while the caller's address may still fail; otherwise the seconds until it may try again.</summary>
    public ValueTask<int?> FailureWaitAsync(HttpContext context) => Failures(context, 0);

    /// <summary>Counts a failed credential against the address; the wait when that was over the budget.</summary>
    public ValueTask<int?> RecordFailureAsync(HttpContext context) => Failures(context, 1);

    /// <summary>Null while a sign-in as <paramref name="account"/> from this address may be tried.</summary>
    public async ValueTask<int?> SignInWaitAsync(HttpContext context, string account) =>
        Max(await Failures(context, 0), await Accounts(account, 0));

    /// <summary>Counts a failed sign-in against the address and the account name.</summary>
    public async ValueTask<int?> RecordSignInFailureAsync(HttpContext context, string account) =>
        Max(await Failures(context, 1), await Accounts(account, 1));

    /// <summary>Counts a registration attempt against the address; the wait when that was over the budget.</summary>
    public ValueTask<int?> RegistrationAsync(HttpContext context) =>
        Take($"register:{Address(context)}", 1, options.RegistrationsPerMinute, Minute);

    private ValueTask<int?> Failures(HttpContext context, int permits) =>
        Take($"failed:{Address(context)}", permits, options.FailedCredentialsPerMinute, Minute);

    private ValueTask<int?> Accounts(string account, int permits) =>
        Take($"account:{account.Trim().ToUpperInvariant()}", permits, options.FailedSignInsPerAccount, AccountWindow);

    private ValueTask<int?> Take(string key, int permits, int limit, TimeSpan window) =>
        options.Enabled ? budgets.TakeAsync(key, permits, limit, window) : ValueTask.FromResult<int?>(null);

    private static int? Max(int? a, int? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
