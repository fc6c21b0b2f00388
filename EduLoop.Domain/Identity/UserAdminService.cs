using EduLoop.Domain.Data;

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Identity;

/// <param name="Number">The account's number, its <c>id</c> in the original's API.</param>
public sealed record UserSummary(
    string Id, string Email, string DisplayName, string Role, bool IsActive, bool IsLockedOut, DateTime CreatedAt,
    int Number = 0, string UserName = "", string FirstName = "", string LastName = "");

/// <param name="UserName">The sign-in name; the email when not given.</param>
public sealed record NewUser(string Email, string DisplayName, string Role, string Password, string? UserName = null, string FirstName = "", string LastName = "");

/// <summary>Changes to an account's profile; null leaves a value as it is.</summary>
public sealed record ProfileChange(string? Email = null, string? DisplayName = null, string? UserName = null, string? FirstName = null, string? LastName = null);

/// <summary>What admins do to accounts. Nobody changes their own role or deactivates themselves.</summary>
public sealed class UserAdminService(
    UserManager<ApplicationUser> userManager,
    IDbContextFactory<EduLoopDbContext> contextFactory,
    TimeProvider clock)
{
    public async Task<IReadOnlyList<UserSummary>> ListAsync(string? search = null, CancellationToken cancellationToken = default) =>
        await ListAsync(search, cancellationToken, onlyId: null);

    private async Task<IReadOnlyList<UserSummary>> ListAsync(string? search, CancellationToken cancellationToken, string? onlyId, int? onlyNumber = null)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var users = db.Users.AsNoTracking();
        if (onlyId is not null)
        {
            users = users.Where(u => u.Id == onlyId);
        }

        if (onlyNumber is not null)
        {
            users = users.Where(u => u.Number == onlyNumber);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = $"%{search.Trim().ToUpperInvariant()}%";
            users = users.Where(u => EF.Functions.Like(u.NormalizedEmail!, pattern)
                || EF.Functions.Like(u.DisplayName.ToUpper(), pattern));
        }

        var now = clock.GetUtcNow();
        var rows = await users
            .OrderBy(u => u.Email)
            .Select(u => new
            {
                u.Id,
                u.Email,
                u.DisplayName,
                u.IsActive,
                u.LockoutEnd,
                u.CreatedAt,
                u.Number,
                u.UserName,
                u.FirstName,
                u.LastName,
                Role = db.UserRoles.Where(r => r.UserId == u.Id)
                    .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name)
                    .FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return rows
            .Select(u => new UserSummary(u.Id, u.Email ?? "", u.DisplayName, u.Role ?? "", u.IsActive,
                u.IsActive && u.LockoutEnd > now, u.CreatedAt, u.Number, u.UserName ?? "", u.FirstName, u.LastName))
            .ToList();
    }

    public async Task<UserSummary> GetAsync(string userId, CancellationToken cancellationToken = default) =>
        (await ListAsync(null, cancellationToken, userId)).SingleOrDefault() ?? throw new NotFoundException("Not found.");

    /// <summary>Whether an account signs in with this user name.</summary>
    public async Task<bool> UserNameTakenAsync(string userName) => await userManager.FindByNameAsync(userName.Trim()) is not null;

    /// <summary>The account with this number (its id in the original's API).</summary>
    public async Task<UserSummary> GetByNumberAsync(int number, CancellationToken cancellationToken = default) =>
        (await ListAsync(null, cancellationToken, null, number)).SingleOrDefault() ?? throw new NotFoundException("Not found.");

    /// <summary>Changes a user's email (also the sign-in name) and display name; null leaves a value as it is.</summary>
    public Task UpdateProfileAsync(string userId, string? email, string? displayName) =>
        UpdateProfileAsync(userId, new ProfileChange(email, displayName));

    /// <summary>
    /// Changes a user's profile. A new email is also the new sign-in name of an account that signs in
    /// with its email; an account with a user name of its own keeps it unless a new one is given.
    /// </summary>
    public async Task UpdateProfileAsync(string userId, ProfileChange change)
    {
        var user = await FindAsync(userId);
        if (change.UserName is { } userName && userName.Trim() != user.UserName)
        {
            Check(await userManager.SetUserNameAsync(user, userName.Trim()));
        }

        if (change.Email is { } email && !string.Equals(email.Trim(), user.Email, StringComparison.OrdinalIgnoreCase))
        {
            var signsInWithEmail = string.Equals(user.UserName, user.Email, StringComparison.OrdinalIgnoreCase);
            Check(await userManager.SetEmailAsync(user, email.Trim()));
            if (signsInWithEmail && change.UserName is null)
            {
                Check(await userManager.SetUserNameAsync(user, email.Trim()));
            }
        }

        if (change.DisplayName is not null || change.FirstName is not null || change.LastName is not null)
        {
            user.DisplayName = change.DisplayName?.Trim() ?? user.DisplayName;
            user.FirstName = change.FirstName?.Trim() ?? user.FirstName;
            user.LastName = change.LastName?.Trim() ?? user.LastName;
            Check(await userManager.UpdateAsync(user));
        }
    }

    public async Task SetPasswordAsync(string userId, string password) => await ResetPasswordAsync(userId, password);

    /// <summary>Deletes an account; nobody deletes their own through this.</summary>
    public async Task DeleteAsync(string userId, string actingUserId)
    {
        if (userId == actingUserId)
        {
            throw new DomainValidationException(null, "You cannot delete your own account here.");
        }

        Check(await userManager.DeleteAsync(await FindAsync(userId)));
    }

    /// <summary>A user deletes their own account; the last active admin cannot, or nobody could run the school.</summary>
    public async Task DeleteOwnAsync(string userId, CancellationToken cancellationToken = default)
    {
        var me = await GetAsync(userId, cancellationToken);
        if (me.Role == Roles.Admin && (await ListAsync(cancellationToken: cancellationToken)).Count(u => u.Role == Roles.Admin && u.IsActive) <= 1)
        {
            throw new DomainValidationException(null, "The last admin cannot delete their account.");
        }

        Check(await userManager.DeleteAsync(await FindAsync(userId)));
    }

    public async Task<UserSummary> CreateAsync(NewUser newUser, CancellationToken cancellationToken = default)
    {
        if (!Roles.All.Contains(newUser.Role))
        {
            throw new DomainValidationException("role", $"Unknown role \"{newUser.Role}\".");
        }

        var user = new ApplicationUser
        {
            UserName = (newUser.UserName ?? newUser.Email).Trim(),
            Email = newUser.Email.Trim(),
            EmailConfirmed = true,
            DisplayName = newUser.DisplayName.Trim(),
            FirstName = newUser.FirstName.Trim(),
            LastName = newUser.LastName.Trim(),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        Check(await userManager.CreateAsync(user, newUser.Password));
        Check(await userManager.AddToRoleAsync(user, newUser.Role));
        return new UserSummary(user.Id, user.Email, user.DisplayName, newUser.Role, true, false, user.CreatedAt,
            user.Number, user.UserName, user.FirstName, user.LastName);
    }

    public async Task SetRoleAsync(string userId, string role, string actingUserId)
    {
        if (!Roles.All.Contains(role))
        {
            throw new DomainValidationException("role", $"Unknown role \"{role}\".");
        }

        if (userId == actingUserId)
        {
            throw new DomainValidationException("role", "You cannot change your own role.");
        }

        var user = await FindAsync(userId);
        var current = await userManager.GetRolesAsync(user);
        if (current.Count > 0)
        {
            Check(await userManager.RemoveFromRolesAsync(user, current));
        }

        Check(await userManager.AddToRoleAsync(user, role));
        // Signs the user out of other sessions, which still carry the old role.
        await userManager.UpdateSecurityStampAsync(user);
    }

    public async Task ResetPasswordAsync(string userId, string newPassword)
    {
        var user = await FindAsync(userId);
        var token = await userManager.GeneratePasswordResetTokenAsync(user);
        Check(await userManager.ResetPasswordAsync(user, token, newPassword));
        await userManager.SetLockoutEndDateAsync(user, null);
        await userManager.ResetAccessFailedCountAsync(user);
    }

    public async Task SetActiveAsync(string userId, bool isActive, string actingUserId)
    {
        if (userId == actingUserId)
        {
            throw new DomainValidationException("isActive", "You cannot deactivate your own account.");
        }

        var user = await FindAsync(userId);
        user.IsActive = isActive;
        Check(await userManager.UpdateAsync(user));
        await userManager.UpdateSecurityStampAsync(user);
    }

    private async Task<ApplicationUser> FindAsync(string userId) =>
        await userManager.FindByIdAsync(userId) ?? throw new NotFoundException("That user does not exist.");

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            var error = result.Errors.First();
            var field = error.Code.Contains("Password", StringComparison.Ordinal) ? "password"
                : error.Code.Contains("Email", StringComparison.Ordinal) || error.Code.Contains("UserName", StringComparison.Ordinal) ? "email"
                : null;
            throw new DomainValidationException(field, string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
