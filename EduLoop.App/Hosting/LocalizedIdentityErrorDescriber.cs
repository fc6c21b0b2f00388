using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace EduLoop.App.Hosting;

/// <summary>Identity's messages that people actually meet, in the UI's language.</summary>
public sealed class LocalizedIdentityErrorDescriber(IStringLocalizer<SharedResource> localizer) : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) =>
        Error(nameof(PasswordTooShort), localizer["Passwords must be at least {0} characters.", length]);

    public override IdentityError PasswordMismatch() =>
        Error(nameof(PasswordMismatch), localizer["The current password is not right."]);

    // Accounts sign in with their email, so a taken user name is a taken email.
    public override IdentityError DuplicateEmail(string email) =>
        Error(nameof(DuplicateEmail), localizer["An account with this email already exists."]);

    public override IdentityError DuplicateUserName(string userName) =>
        Error(nameof(DuplicateEmail), localizer["An account with this email already exists."]);

    public override IdentityError InvalidEmail(string? email) =>
        Error(nameof(InvalidEmail), localizer["Enter a valid email address."]);

    public override IdentityError InvalidUserName(string? userName) =>
        Error(nameof(InvalidEmail), localizer["Enter a valid email address."]);

    private static IdentityError Error(string code, string description) => new() { Code = code, Description = description };
}
