using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace EduLoop.Domain.Identity;

/// <summary>A new account's sign-in details, shown once.</summary>
public sealed record CreatedAccount(string Role, string Email, string Password, bool PasswordWasGenerated);

/// <summary>First-run accounts: the roles, the admin, and the demo school's teacher and student.</summary>
public sealed class AccountSetup(
    UserManager<ApplicationUser> userManager,
    RoleManager<IdentityRole> roleManager,
    TimeProvider clock,
    ILogger<AccountSetup> logger)
{
    public async Task EnsureRolesAsync()
    {
        foreach (var role in Roles.All)
        {
            if (!await roleManager.RoleExistsAsync(role))
            {
                await roleManager.CreateAsync(new IdentityRole(role));
            }
        }
    }

    /// <summary>
    /// Creates the admin when the database has none. The password is the configured one or, when
    /// none is configured, a generated one that is returned to be shown once.
    /// </summary>
    public async Task<CreatedAccount?> EnsureAdminAsync(AdminAccountOptions options)
    {
        await EnsureRolesAsync();
        if ((await userManager.GetUsersInRoleAsync(Roles.Admin)).Count > 0)
        {
            return null;
        }

        return await CreateAsync(Roles.Admin, options.Email, "Administrator", options.Password);
    }

    /// <summary>Creates an account with a role unless the email is taken; null when it was.</summary>
    public async Task<CreatedAccount?> CreateAsync(string role, string email, string displayName, string? password)
    {
        await EnsureRolesAsync();
        if (await userManager.FindByEmailAsync(email) is not null)
        {
            return null;
        }

        var generated = string.IsNullOrEmpty(password);
        password = generated ? PasswordGenerator.Generate() : password!;
        var user = new ApplicationUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        var result = await userManager.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Could not create the {role} account {email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }

        await userManager.AddToRoleAsync(user, role);
        logger.LogInformation("Created the {Role} account {Email}", role, email);
        return new CreatedAccount(role, email, password, generated);
    }
}
