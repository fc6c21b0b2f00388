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
