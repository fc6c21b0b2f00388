using EduLoop.Domain;
using Microsoft.Extensions.Options;

namespace EduLoop.App.Api;

/// <summary>
/// Where the API's absolute links (a list's <c>next</c> and <c>previous</c>) point. With
/// <c>EduLoop:PublicUrl</c> set, always there: the request's Host plays no part in the answer. Without
/// it, at the request's scheme and Host when the Host is a well-formed host[:port], and otherwise at
/// paths on this site, never at whatever a client wrote into the header.
/// </summary>
public sealed class ApiLinks(IOptions<EduLoopOptions> options)
{
    private readonly string? _publicUrl = string.IsNullOrWhiteSpace(options.Value.PublicUrl) ? null : options.Value.PublicUrl.Trim().TrimEnd('/');

    /// <summary>What a link puts before the request's path: the public address, or scheme, Host and path base, or the path base alone.</summary>
    public string OriginOf(HttpRequest request) =>
        _publicUrl
        ?? (IsWellFormed(request.Host)
            ? $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}"
            : request.PathBase.ToUriComponent());

    /// <summary>A DNS name or IP address, with a port only if it is a number: what a browser could have sent for a real address.</summary>
    public static bool IsWellFormed(HostString host)
    {
        if (!host.HasValue || Uri.CheckHostName(host.Host) == UriHostNameType.Unknown)
        {
            return false;
        }

        // HostString reads "name:junk" as the name without a port; rebuilt, it no longer matches.
        var rebuilt = host.Port is { } port ? $"{host.Host}:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : host.Host;
        return host.Port is null or (> 0 and <= 65535) && string.Equals(rebuilt, host.Value, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when <paramref name="publicUrl"/> is empty or an absolute http(s) address without query or fragment.</summary>
    public static bool IsValidPublicUrl(string? publicUrl) =>
        string.IsNullOrWhiteSpace(publicUrl)
        || (Uri.TryCreate(publicUrl.Trim(), UriKind.Absolute, out var url)
            && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            && url.Query.Length == 0 && url.Fragment.Length == 0 && url.UserInfo.Length == 0);
}
