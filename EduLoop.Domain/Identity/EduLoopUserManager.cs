using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EduLoop.Domain.Identity;

/// <summary>
/// Identity's user manager, telling <see cref="AccountStamps"/> about every saved account. Every
/// change that must end sessions (a password set or reset, a role change, a deactivation, a deletion)
/// is saved through <see cref="UpdateUserAsync"/> or <see cref="DeleteAsync"/>.
/// </summary>
public sealed class EduLoopUserManager(
    IUserStore<ApplicationUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<ApplicationUser> passwordHasher,
    IEnumerable<IUserValidator<ApplicationUser>> userValidators,
    IEnumerable<IPasswordValidator<ApplicationUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<ApplicationUser>> logger,
    AccountStamps stamps)
    : UserManager<ApplicationUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    /// <summary>
    /// Checks a password as Identity does, except that a hash stored again in a newer format (a Django
    /// hash moved from the original service, or an older Identity format) keeps the security stamp:
    /// the password did not change, so the account's API tokens and sessions keep working.
    /// </summary>
    public override async Task<bool> CheckPasswordAsync(ApplicationUser user, string password)
    {
        ThrowIfDisposed();
        if (user?.PasswordHash is not { } hash)
        {
            return false;
        }

        var result = PasswordHasher.VerifyHashedPassword(user, hash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = PasswordHasher.HashPassword(user, password);
            await UpdateUserAsync(user);
        }

        return result != PasswordVerificationResult.Failed;
    }

    protected override async Task<IdentityResult> UpdateUserAsync(ApplicationUser user)
    {
        var result = await base.UpdateUserAsync(user);
        if (result.Succeeded)
        {
            stamps.Saved(user.Id, user.IsActive ? user.SecurityStamp : null);
        }

        return result;
    }

    public override async Task<IdentityResult> DeleteAsync(ApplicationUser user)
    {
        var result = await base.DeleteAsync(user);
        if (result.Succeeded)
        {
            stamps.Saved(user.Id, null);
        }

        return result;
    }
}
