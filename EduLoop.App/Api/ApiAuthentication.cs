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
    AccountStamps stamps,
    IOptions<IdentityOptions> identityOptions,
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
        var keyword = parts[0];
        var known = await cache.GetOrCheckAsync(header, (services, cancellationToken) => CheckAsync(services, keyword, credential, cancellationToken), Context.RequestAborted);
        return known is not null && await IsCurrentAsync(known)
            ? AuthenticateResult.Success(new AuthenticationTicket(known, SchemeName))
            : AuthenticateResult.Fail(IsKeyword(parts[0], AccessKeyMethod) ? Compatible.Messages.KeyInvalid : "Invalid token.");
    }

    /// <summary>
    /// Who the credential belongs to, if anyone, and until when a token works. Every request with the
    /// credential waits for one check, which may outlive the request that started it: it reads through
    /// <paramref name="services"/>, a scope of its own, never through this request's.
    /// </summary>
    private static async Task<(ClaimsPrincipal? Principal, DateTime? ExpiresAt)> CheckAsync(
        IServiceProvider services, string keyword, string credential, CancellationToken cancellationToken)
    {
        if (IsKeyword(keyword, AccessKeyMethod))
        {
            return (await services.GetRequiredService<ClassService>().IsActiveKeyAsync(credential, cancellationToken) ? AccessKeyPrincipal(credential) : null, null);
        }

        // A token works while its account keeps the stamp the token was made under.
        var owner = await services.GetRequiredService<ApiTokenService>().FindAsync(credential, cancellationToken);
        if (owner?.SecurityStamp is null
            || await services.GetRequiredService<AccountStamps>().CurrentAsync(owner.UserId, cancellationToken) != owner.SecurityStamp)
        {
            return (null, null);
        }

        var user = await services.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(owner.UserId);
        var principal = user is null ? null : await services.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync(user);
        var stampClaim = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        return principal?.FindFirstValue(stampClaim) == owner.SecurityStamp ? (principal, owner.ExpiresAt) : (null, null);
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
public sealed class CredentialCache(EduLoop.Domain.Caching.TaggedCache cache, IServiceScopeFactory scopes, TimeProvider clock)
{
    private static readonly string[] Tags = [EduLoop.Domain.Caching.DataTags.Accounts, EduLoop.Domain.Caching.DataTags.Classes];

    /// <summary>The principal of a credential, or null when it belongs to no one (or its token has expired).</summary>
    /// <remarks>
    /// Requests with the same credential at the same time share one check. It runs in a service scope
    /// of its own with a token that ends only when every request waiting for it has gone, so the
    /// request that started it may end first without failing the others.
    /// </remarks>
    public async Task<ClaimsPrincipal?> GetOrCheckAsync(
        string credential, Func<IServiceProvider, CancellationToken, Task<(ClaimsPrincipal? Principal, DateTime? ExpiresAt)>> check,
        CancellationToken cancellationToken)
    {
        var (principal, expiresAt) = await cache.GetOrLoadAsync("credential|" + credential, Tags, async token =>
        {
            await using var scope = scopes.CreateAsyncScope();
            return await check(scope.ServiceProvider, token);
        }, cancellationToken);
        return expiresAt <= clock.GetUtcNow().UtcDateTime ? null : principal;
    }
}
