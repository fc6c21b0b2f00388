using System.Security.Claims;
using System.Text.Encodings.Web;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EduLoop.App.Api;

/// <summary>
/// The original service's credentials: <c>Authorization: AccessKey &lt;8 digits&gt;</c> (a class
/// access key: an authenticated caller who is not staff) and <c>Authorization: Token &lt;key&gt;</c> (a
/// personal token; 8 digits after <c>Token</c> are read as an access key, as old clients sent them).
/// Any other scheme is left to the other handlers.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ClassService classes,
    ApiTokenService tokens,
    AccountStamps stamps,
    IOptions<IdentityOptions> identityOptions,
    UserManager<ApplicationUser> users,
    IUserClaimsPrincipalFactory<ApplicationUser> principals,
    CredentialCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "EduLoopApi";
    public const string AccessKeyMethod = "AccessKey";

    /// <summary>An access-key caller's name identifier is this prefix and the key.</summary>
    public const string AccessKeyIdPrefix = "accesskey:";

    /// <summary>Whether the request names this handler's schemes, so that it has a credential to check.</summary>
    public static bool CarriesCredentials(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString().AsSpan().TrimStart();
        var end = header.IndexOf(' ');
        var keyword = end < 0 ? header : header[..end];
        return keyword.Equals("Token", StringComparison.OrdinalIgnoreCase) || keyword.Equals(AccessKeyMethod, StringComparison.OrdinalIgnoreCase);
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        var parts = header.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !(IsKeyword(parts[0], "Token") || IsKeyword(parts[0], AccessKeyMethod)))
        {
            return AuthenticateResult.NoResult();
        }

        if (IsKeyword(parts[0], AccessKeyMethod) && parts.Length != 2)
        {
            // The original's access key authentication let a bare or split header pass as no credentials.
            return AuthenticateResult.NoResult();
        }

        if (parts.Length == 1)
        {
            return AuthenticateResult.Fail("Invalid token header. No credentials provided.");
        }

        if (parts.Length > 2)
        {
            return AuthenticateResult.Fail("Invalid token header. Token string should not contain spaces.");
        }

        var credential = parts[1];
        // A token's account may have changed since it was checked (a new password, a role change):
        // its stamp is compared on every request, from memory.
        var known = await cache.GetOrCheckAsync(header, () => CheckAsync(parts[0], credential), Context.RequestAborted);
        return known is not null && await IsCurrentAsync(known)
            ? AuthenticateResult.Success(new AuthenticationTicket(known, SchemeName))
            : AuthenticateResult.Fail(IsKeyword(parts[0], AccessKeyMethod) ? Compatible.Messages.KeyInvalid : "Invalid token.");
    }

    /// <summary>Who the credential belongs to, if anyone, and until when a token works.</summary>
    private async Task<(ClaimsPrincipal? Principal, DateTime? ExpiresAt)> CheckAsync(string keyword, string credential)
    {
        var (result, expiresAt) = await AuthenticateAsync(keyword, credential);
        return (result.Succeeded ? result.Principal : null, expiresAt);
    }

    private async Task<(AuthenticateResult Result, DateTime? ExpiresAt)> AuthenticateAsync(string keyword, string credential)
    {
        if (IsKeyword(keyword, AccessKeyMethod))
        {
            return (await classes.IsActiveKeyAsync(credential, Context.RequestAborted)
                ? AuthenticateResult.Success(new AuthenticationTicket(AccessKeyPrincipal(credential), SchemeName))
                : AuthenticateResult.Fail(Compatible.Messages.KeyInvalid), null);
        }

        // A token works while its account keeps the stamp the token was made under.
        var owner = await tokens.FindAsync(credential, Context.RequestAborted);
        if (owner?.SecurityStamp is null || await stamps.CurrentAsync(owner.UserId, Context.RequestAborted) != owner.SecurityStamp)
        {
            return (AuthenticateResult.Fail("Invalid token."), null);
        }

        var user = await users.FindByIdAsync(owner.UserId);
        var principal = user is null ? null : await principals.CreateAsync(user);
        if (principal?.FindFirstValue(identityOptions.Value.ClaimsIdentity.SecurityStampClaimType) != owner.SecurityStamp)
        {
            return (AuthenticateResult.Fail("Invalid token."), null);
        }

        return (AuthenticateResult.Success(new AuthenticationTicket(principal!, SchemeName)), owner.ExpiresAt);
    }

    /// <summary>Whether a token's principal still has its account's stamp; access keys have no account.</summary>
    private async Task<bool> IsCurrentAsync(ClaimsPrincipal principal)
    {
        var stamp = principal.FindFirstValue(identityOptions.Value.ClaimsIdentity.SecurityStampClaimType);
        if (stamp is null)
        {
            return principal.FindFirstValue(ClaimTypes.AuthenticationMethod) == AccessKeyMethod;
        }

        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        return userId is not null && await stamps.CurrentAsync(userId, Context.RequestAborted) == stamp;
    }

    private static bool IsKeyword(string part, string keyword) => part.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    private static ClaimsPrincipal AccessKeyPrincipal(string key) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, AccessKeyIdPrefix + key),
                new Claim(ClaimTypes.Name, $"Access key {key[..Math.Min(2, key.Length)]}••••••"),
                new Claim(ClaimTypes.AuthenticationMethod, AccessKeyMethod),
            ],
            SchemeName));
}

/// <summary>
/// Recently checked credentials and who they belong to, so that a client's every request does not
/// cost three queries. Entries are kept under the accounts and classes they were read from: a key
/// deactivated, a token revoked or an account changed makes them stale; and a token's entry ends
/// when the token expires.
/// </summary>
public sealed class CredentialCache(EduLoop.Domain.Caching.TaggedCache cache, TimeProvider clock)
{
    private static readonly string[] Tags = [EduLoop.Domain.Caching.DataTags.Accounts, EduLoop.Domain.Caching.DataTags.Classes];

    /// <summary>The principal of a credential, or null when it belongs to no one (or its token has expired).</summary>
    /// <remarks>
    /// Requests with the same credential at the same time share one check; if the request that runs
    /// it goes away, the check is run again for the others.
    /// </remarks>
    public async Task<ClaimsPrincipal?> GetOrCheckAsync(
        string credential, Func<Task<(ClaimsPrincipal? Principal, DateTime? ExpiresAt)>> check, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var (principal, expiresAt) = await cache.GetOrLoadAsync("credential|" + credential, Tags, async _ => await check(), cancellationToken);
                return expiresAt <= clock.GetUtcNow().UtcDateTime ? null : principal;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }
    }
}
