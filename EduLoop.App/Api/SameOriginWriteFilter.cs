using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EduLoop.App.Api;

/// <summary>
/// Cross-site request forgery on the API. A browser sends the sign-in cookie with every request to
/// EduLoop, whichever page started it: a page of another site, and also a page on another port of
/// the same host, which SameSite cookies count as the same site. So a write (POST, PUT, PATCH,
/// DELETE) that only the cookie authenticates must show that one of EduLoop's own pages sent it:
/// <list type="bullet">
/// <item>the browser's <c>Sec-Fetch-Site</c>, when sent, is <c>same-origin</c>;</item>
/// <item>the <c>Origin</c>, when sent, is EduLoop's own (the request's, or that of <c>EduLoop:PublicUrl</c>);</item>
/// <item>the antiforgery request token that EduLoop's pages carry (<c>eduloop.api</c> sends it in
/// the <c>RequestVerificationToken</c> header) matches the browser's antiforgery cookie and user.</item>
/// </list>
/// A page elsewhere can send none of these, not even with <c>mode: 'no-cors'</c>. A cookie that no longer
/// signs anyone in carries no authority, so its request goes on to be refused as anonymous. Callers with an API
/// credential (<c>Token</c>, <c>AccessKey</c>) carry no ambient authority and are not checked; the
/// answers use the original service's CSRF wording.
/// </summary>
public sealed class SameOriginWriteFilter(
    IAntiforgery antiforgery, IOptionsMonitor<CookieAuthenticationOptions> cookies, IOptions<Domain.EduLoopOptions> options) : IEndpointFilter
{
    /// <summary>The origin of <c>EduLoop:PublicUrl</c>, which a browser sends behind a proxy that is not declared as one.</summary>
    private readonly string? _publicOrigin = string.IsNullOrWhiteSpace(options.Value.PublicUrl)
        ? null
        : new Uri(options.Value.PublicUrl.Trim()).GetLeftPart(UriPartial.Authority);

    public const string TokenHeader = "RequestVerificationToken";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || ApiKeyAuthenticationHandler.CarriesCredentials(request)
            || context.User.Identity?.IsAuthenticated != true
            || cookies.Get(IdentityConstants.ApplicationScheme).Cookie.Name is not { } cookieName
            || !request.Cookies.ContainsKey(cookieName))
        {
            return await next(invocation);
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site != "same-origin")
        {
            return Refused($"CSRF Failed: the request came from another site or port (Sec-Fetch-Site: {site}).");
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(origin, _publicOrigin, StringComparison.OrdinalIgnoreCase))
        {
            return Refused($"CSRF Failed: Origin checking failed - {origin} does not match any trusted origins.");
        }

        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Refused("CSRF Failed: CSRF token missing or incorrect.");
        }

        return await next(invocation);
    }

    private static IResult Refused(string message) =>
        TypedResults.Json(new Detail(message), ApiJson.Context.Detail, statusCode: StatusCodes.Status403Forbidden);
}
