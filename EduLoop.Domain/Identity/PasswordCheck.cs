using Microsoft.AspNetCore.Identity;

namespace EduLoop.Domain.Identity;

public enum PasswordCheckOutcome
{
    /// <summary>No such account, or the wrong password: callers answer both alike.</summary>
    Failed,

    /// <summary>The right password of a deactivated account.</summary>
    Deactivated,

    Succeeded,
}

public sealed record PasswordCheckResult(PasswordCheckOutcome Outcome, ApplicationUser? User);

/// <summary>
/// Checks a sign-in name and password for the sign-in form and the API alike. An unknown name costs a
/// password hash as a known one does (against a hash made once for no account), so the time of the
/// answer does not tell whether the account exists; a deactivated account is told apart only after
/// its right password.
/// </summary>
public sealed class PasswordCheck(UserManager<ApplicationUser> users, IPasswordHasher<ApplicationUser> hasher)
{
    private static readonly ApplicationUser _nobody = new() { Id = "", UserName = "" };
    private static string? _nobodysHash;

    public async Task<PasswordCheckResult> CheckAsync(string name, string password)
    {
        var user = await users.FindByEmailAsync(name) ?? await users.FindByNameAsync(name);
        if (user is null)
        {
            _nobodysHash ??= hasher.HashPassword(_nobody, PasswordGenerator.Generate());
            hasher.VerifyHashedPassword(_nobody, _nobodysHash, password);
            return new PasswordCheckResult(PasswordCheckOutcome.Failed, null);
        }

        if (!await users.CheckPasswordAsync(user, password))
        {
            return new PasswordCheckResult(PasswordCheckOutcome.Failed, null);
        }

        return user.IsActive
            ? new PasswordCheckResult(PasswordCheckOutcome.Succeeded, user)
            : new PasswordCheckResult(PasswordCheckOutcome.Deactivated, user);
    }
}
