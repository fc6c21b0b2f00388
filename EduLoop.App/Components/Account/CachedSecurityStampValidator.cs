using System.Security.Claims;

using EduLoop.Domain.Identity;

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EduLoop.App.Components.Account;

/// <summary>
/// Checks every sign-in cookie's security stamp against the account's current one, from
/// <see cref="AccountStamps"/> (no query while nothing changed): a cookie from before a role change,
/// a deactivation, a new password or a deletion is refused on its next request, not after Identity's
/// validation interval. Identity's own validator, which renews the cookie's claims, is built only when
/// the cookie is older than that interval: built on every request, its sign-in manager, user manager
/// and database context were kept for the whole life of a circuit's connection.
/// </summary>
public sealed class CachedSecurityStampValidator(
    IOptions<SecurityStampValidatorOptions> options,
    IOptions<IdentityOptions> identityOptions,
    AccountStamps stamps) : ISecurityStampValidator
{
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var claims = identityOptions.Value.ClaimsIdentity;
        var userId = context.Principal?.FindFirstValue(claims.UserIdClaimType);
        var stamp = context.Principal?.FindFirstValue(claims.SecurityStampClaimType);
        if (userId is null || stamp is null || await stamps.CurrentAsync(userId, context.HttpContext.RequestAborted) != stamp)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(context.Scheme.Name);
            return;
        }

        var now = (options.Value.TimeProvider ?? TimeProvider.System).GetUtcNow();
        if (context.Properties.IssuedUtc is { } issued && now - issued <= options.Value.ValidationInterval)
        {
            return;
        }

        await context.HttpContext.RequestServices.GetRequiredService<SecurityStampValidator<ApplicationUser>>().ValidateAsync(context);
    }
}
