using System.Buffers;

namespace EduLoop.App.Hosting;

/// <summary>
/// Return addresses that come from the request (<c>ReturnUrl</c>, <c>redirectUri</c>): the browser
/// may follow one only when it stays on this site. Anything else sends it home.
/// </summary>
public static class LocalUrl
{
    /// <summary>
    /// Control characters (browsers drop tabs and line breaks, so <c>/&#9;/host</c> reads as
    /// <c>//host</c>; a line break in a Location header is a header injection) and backslashes
    /// (browsers read <c>/\host</c> as <c>//host</c>): no address of ours contains them unescaped.
    /// </summary>
    private static readonly SearchValues<char> Refused = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(c => (char)c), '\x7f', '\\']);

    /// <summary>
    /// The path and query (starting with <c>/</c>) that <paramref name="url"/> names on
    /// <paramref name="site"/>, or null when a browser would leave the site with it or the
    /// address is malformed. Relative addresses are read against <paramref name="site"/>, the
    /// way the browser reads them; the result is rebuilt by <see cref="Uri"/>, so what the
    /// browser is sent is what was checked.
    /// </summary>
    /// <param name="site">This site's base address (scheme, host and path base, ending in <c>/</c>).</param>
    public static string? PathOnSite(string? url, Uri site)
    {
        if (string.IsNullOrEmpty(url) || url.AsSpan().ContainsAny(Refused)
            || !Uri.TryCreate(site, url, out var target)
            || !string.Equals(target.Scheme, site.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(target.Authority, site.Authority, StringComparison.OrdinalIgnoreCase)
            || target.UserInfo.Length > 0)
        {
            return null;
        }

        var path = target.PathAndQuery + target.Fragment;
        // "http://this-site//other" keeps "//other" as its path, which on its own names another host.
        return path.Length > 1 && path[1] is '/' or '\\' ? null : path;
    }

    /// <summary>The base address of the site that <paramref name="request"/> was sent to, or null when its Host is not a valid one.</summary>
    public static Uri? SiteOf(HttpRequest request) =>
        request.Host.HasValue
        && Uri.TryCreate($"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}/", UriKind.Absolute, out var site)
            ? site
            : null;
}
