using EduLoop.App.Hosting;
using EduLoop.Domain.Identity;

using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;

namespace EduLoop.App.Components.Account;

internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public const string StatusCookieName = "Identity.StatusMessage";

    private static readonly CookieBuilder StatusCookieBuilder = new()
    {
        SameSite = SameSiteMode.Strict,
        HttpOnly = true,
        IsEssential = true,
        MaxAge = TimeSpan.FromSeconds(5),
    };

    /// <summary>
    /// Goes to <paramref name="uri"/> (absolute, or relative to the app's base address) when it is an
    /// address on this site, and home otherwise: a <c>ReturnUrl</c> from the query string can never
    /// send the browser elsewhere, nor fail the request.
    /// </summary>
    public void RedirectTo(string? uri) =>
        navigationManager.NavigateTo(LocalUrl.PathOnSite(uri, new Uri(navigationManager.BaseUri)) ?? "");

    /// <summary><paramref name="returnUrl"/> when it is an address on this site, else null (home).</summary>
    public string? LocalReturnUrl(string? returnUrl) =>
        LocalUrl.PathOnSite(returnUrl, new Uri(navigationManager.BaseUri)) is not null ? returnUrl : null;

    public void RedirectTo(string uri, Dictionary<string, object?> queryParameters)
    {
        var uriWithoutQuery = navigationManager.ToAbsoluteUri(uri).GetLeftPart(UriPartial.Path);
        var newUri = navigationManager.GetUriWithQueryParameters(uriWithoutQuery, queryParameters);
        RedirectTo(newUri);
    }

    public void RedirectToWithStatus(string uri, string message, HttpContext context)
    {
        context.Response.Cookies.Append(StatusCookieName, message, StatusCookieBuilder.Build(context));
        RedirectTo(uri);
    }

    private string CurrentPath => navigationManager.ToAbsoluteUri(navigationManager.Uri).GetLeftPart(UriPartial.Path);

    public void RedirectToCurrentPage() => RedirectTo(CurrentPath);

    public void RedirectToCurrentPageWithStatus(string message, HttpContext context)
        => RedirectToWithStatus(CurrentPath, message, context);

    public void RedirectToInvalidUser(UserManager<ApplicationUser> userManager, HttpContext context)
        => RedirectToWithStatus("Account/InvalidUser", $"Error: Unable to load user with ID '{userManager.GetUserId(context.User)}'.", context);
}
