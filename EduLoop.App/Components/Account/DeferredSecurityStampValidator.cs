using EduLoop.Domain.Identity;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EduLoop.App.Components.Account;

/// <summary>
/// Checks a sign-in cookie's security stamp exactly when Identity's own validator would (the cookie is
/// older than the validation interval, or carries no issue time) and only then builds that validator.
/// Identity's is built on every signed-in request, with a sign-in manager, a user manager and a
/// database context; the browser's long-lived circuit connection kept all of them for its whole life.
/// </summary>
public sealed class DeferredSecurityStampValidator(IOptions<SecurityStampValidatorOptions> options) : ISecurityStampValidator
{
    public Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var now = (options.Value.TimeProvider ?? TimeProvider.System).GetUtcNow();
        if (context.Properties.IssuedUtc is { } issued && now - issued <= options.Value.ValidationInterval)
        {
            return Task.CompletedTask;
        }

        return context.HttpContext.RequestServices.GetRequiredService<SecurityStampValidator<ApplicationUser>>().ValidateAsync(context);
    }
}
