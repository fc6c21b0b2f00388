using System.Security.Claims;

using EduLoop.Domain.Identity;
using EduLoop.Domain.Practice;

using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EduLoop.App.Hosting;

/// <summary>Adds the user's display name to the sign-in cookie, so pages greet people by name.</summary>
public sealed class EduLoopClaimsPrincipalFactory(
    UserManager<ApplicationUser> userManager,
    RoleManager<IdentityRole> roleManager,
    IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ApplicationUser, IdentityRole>(userManager, roleManager, options)
{
    public const string DisplayNameClaim = "eduloop:display_name";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ApplicationUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (!string.IsNullOrWhiteSpace(user.DisplayName))
        {
            identity.AddClaim(new Claim(DisplayNameClaim, user.DisplayName));
        }

        return identity;
    }
}

public static class ClaimsPrincipalExtensions
{
    /// <summary>The display name, or the sign-in name for accounts without one.</summary>
    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(EduLoopClaimsPrincipalFactory.DisplayNameClaim) ?? user.Identity?.Name ?? "";

    public static string? UserId(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);

    /// <summary>The signed-in user as the domain services' rules see them: their id, and whether they are an admin.</summary>
    public static Domain.Actor Actor(this ClaimsPrincipal user) => new(user.UserId() ?? "", user.IsInRole(Roles.Admin));

    /// <summary>Teachers and admins: they write the bank and see every attempt.</summary>
    public static bool IsStaff(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Teacher);

    /// <summary>Who the caller practises as: staff, a student, or a class through its access key; null when nobody is signed in.</summary>
    public static Learner? AsLearner(this ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true || user.UserId() is not { Length: > 0 } id)
        {
            return null;
        }

        if (user.FindFirstValue(ClaimTypes.AuthenticationMethod) == Api.ApiKeyAuthenticationHandler.AccessKeyMethod)
        {
            return Learner.WithAccessKey(id.StartsWith(Api.ApiKeyAuthenticationHandler.AccessKeyIdPrefix, StringComparison.Ordinal)
                ? id[Api.ApiKeyAuthenticationHandler.AccessKeyIdPrefix.Length..]
                : id);
        }

        return user.IsStaff() ? Learner.Staff(id) : Learner.Student(id);
    }
}
