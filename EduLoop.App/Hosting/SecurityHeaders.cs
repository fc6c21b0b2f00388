using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace EduLoop.App.Hosting;

/// <summary>
/// The headers every response carries: no MIME sniffing, referrers without paths to other sites, a
/// Content-Security-Policy on pages, and <c>no-store</c> on API answers for a signed-in caller.
/// </summary>
public static partial class SecurityHeaders
{
    /// <summary>
    /// What Blazor Server, MudBlazor and KaTeX need, and nothing more. Scripts only from files on this
    /// site (no inline script, no eval); styles may be inline because MudBlazor writes its theme into
    /// a <c>&lt;style&gt;</c> element and sizes and positions components with <c>style</c> attributes;
    /// images from this site (question media) or <c>data:</c> (MudBlazor); the circuit's WebSocket is
    /// <c>'self'</c>. No plugins, no other base address, no framing by other sites, forms post here only.
    /// </summary>
    public const string PagePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
        + "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'; form-action 'self'";

    /// <summary>Where the API reference (Scalar) is served; its page starts itself with an inline script.</summary>
    public const string ApiReferencePath = "/api/docs";

    private static readonly PathString Api = "/api";

    /// <summary>Sets the headers on every response, whatever answers it (endpoint, static file, error page).</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                Apply(context);
                return Task.CompletedTask;
            });
            return next(context);
        });
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(ApiReferencePath) && !Path.HasExtension(context.Request.Path.Value),
            branch => branch.Use(HashInlineScriptsAsync));
        return app;
    }

    private static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        if (context.Request.Path.StartsWithSegments(Api))
        {
            // Read when the answer starts: by then the API filter has put the caller of a token or
            // access key in User, and the cookie's caller is there from the start. What was answered
            // to a caller must not stay in a shared or browser cache; anonymous pages keep no-cache
            // and their ETag (see ApiResponses).
            if (context.User.Identity?.IsAuthenticated == true)
            {
                headers.CacheControl = "no-store";
            }
        }

        // An endpoint that set its own policy (question media, the API reference) keeps it.
        if (!headers.ContainsKey("Content-Security-Policy") && !context.Request.Path.StartsWithSegments(Api))
        {
            headers.ContentSecurityPolicy = PagePolicy;
        }
    }

    /// <summary>
    /// Scalar's page configures and starts itself with an inline module script. Instead of allowing
    /// inline script on that page, its policy allows exactly the scripts it was served with, by their
    /// SHA-256 hashes; the page is small and rarely asked for, so buffering it costs nothing.
    /// </summary>
    private static async Task HashInlineScriptsAsync(HttpContext context, RequestDelegate next)
    {
        var body = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = body;
        }

        if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
        {
            var html = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            var hashes = InlineScript().Matches(html)
                .Select(m => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups["code"].Value)))}'");
            context.Response.Headers.ContentSecurityPolicy = PagePolicy.Replace(
                "script-src 'self'", $"script-src 'self' {string.Join(' ', hashes)}", StringComparison.Ordinal);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(body, context.RequestAborted);
    }

    /// <summary>A <c>&lt;script&gt;</c> element without <c>src</c>, and its text.</summary>
    [GeneratedRegex(@"<script\b(?![^>]*\bsrc\s*=)[^>]*>(?<code>.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
