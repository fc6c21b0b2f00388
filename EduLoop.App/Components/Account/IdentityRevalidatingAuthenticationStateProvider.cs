using System.Security.Claims;

using EduLoop.Domain.Identity;

using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EduLoop.App.Components.Account;

/// <summary>
/// A circuit's sign-in, ended as soon as its account's security stamp changes (a role change, a
/// deactivation, a new password, a deletion): the circuit watches its account in
/// <see cref="AccountStamps"/> and becomes anonymous when told of a change that leaves its stamp
/// behind, so its pages show the sign-in page instead of acting for the account. The periodic
/// revalidation remains for changes made by another server.
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private readonly AccountStamps _stamps;
    private readonly ClaimsIdentityOptions _claims;
    private readonly ILogger _logger;
    private IDisposable? _watch;

    public IdentityRevalidatingAuthenticationStateProvider(ILoggerFactory loggerFactory, AccountStamps stamps, IOptions<IdentityOptions> options)
        : base(loggerFactory)
    {
        _stamps = stamps;
        _claims = options.Value.ClaimsIdentity;
        _logger = loggerFactory.CreateLogger<IdentityRevalidatingAuthenticationStateProvider>();
        AuthenticationStateChanged += WatchAccountOf;
    }

    protected override TimeSpan RevalidationInterval => AccountStamps.MaxAge;

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        await IsCurrentAsync(authenticationState.User, cancellationToken);

    private async Task<bool> IsCurrentAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var userId = user.FindFirstValue(_claims.UserIdClaimType);
        var stamp = user.FindFirstValue(_claims.SecurityStampClaimType);
        return userId is not null && stamp is not null && await _stamps.CurrentAsync(userId, cancellationToken) == stamp;
    }

    private void WatchAccountOf(Task<AuthenticationState> state) => _ = WatchAccountAsync(state);

    private async Task WatchAccountAsync(Task<AuthenticationState> state)
    {
        try
        {
            var userId = (await state).User.FindFirstValue(_claims.UserIdClaimType);
            _watch?.Dispose();
            _watch = userId is null ? null : _stamps.Watch(userId, () => _ = EndIfRevokedAsync(userId));
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Could not watch the circuit's account");
        }
    }

    private async Task EndIfRevokedAsync(string userId)
    {
        try
        {
            var user = (await GetAuthenticationStateAsync()).User;
            if (user.FindFirstValue(_claims.UserIdClaimType) == userId && !await IsCurrentAsync(user, CancellationToken.None))
            {
                SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
            }
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Could not check the circuit's sign-in after a change to its account");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            AuthenticationStateChanged -= WatchAccountOf;
            _watch?.Dispose();
        }

        base.Dispose(disposing);
    }
}
