using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EduLoop.App.Hosting;
using EduLoop.Domain.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Net.Http.Headers;

namespace EduLoop.App.Api.Compatible;

/// <summary>
/// What Django and Django REST Framework did around every route of the original service, so its
/// clients see the same: CORS for the configured origins (as django-cors-headers answered), a
/// missing trailing slash redirected, Django's HTML 404 for unknown paths, the <c>Allow</c> header,
/// OPTIONS metadata, HEAD, 405 after the permission check, the format suffix (<c>users.json</c>),
/// content negotiation (406, or the JSON in a page for a browser) and <c>application/json</c>
/// without a charset.
/// </summary>
public sealed class OriginalConventions(RequestDelegate next, OriginalRoutes routes, CompatibleApiOptions options)
{
    private const string CorsAllowHeaders = "accept, accept-encoding, authorization, content-type, dnt, origin, user-agent, x-csrftoken, x-requested-with, x-session-id";
    private const string CorsAllowMethods = "DELETE, GET, OPTIONS, PATCH, POST, PUT";
    private const string JsonUtf8 = "application/json; charset=utf-8";

    private const string NotFoundPage =
        "\n<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n";

    private static readonly string[] _renders = ["application/json", "text/html"];

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments("/api", out var rest) || rest.StartsWithSegments("/docs"))
        {
            await next(context);
            return;
        }

        if (Cors(context))
        {
            return;
        }

        // JSON is UTF-8 by definition; the original said application/json alone, and clients compare it.
        context.Response.OnStarting(() =>
        {
            if (context.Response.ContentType == JsonUtf8)
            {
                context.Response.ContentType = "application/json";
            }

            return Task.CompletedTask;
        });

        var path = request.Path;
        var formatSuffix = path.Value!.EndsWith(".json", StringComparison.Ordinal);
        if (formatSuffix)
        {
            path = new PathString(path.Value[..^".json".Length] + "/");
        }

        if (!formatSuffix && !path.Value!.EndsWith('/') && routes.Match(path + "/") is not null)
        {
            // Django's APPEND_SLASH, for every method.
            context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.Location = request.PathBase + path + "/" + request.QueryString;
            return;
        }

        // Usually routing has chosen the route's own endpoint already; only the rest is matched here.
        var match = !formatSuffix && routes.For(context.GetEndpoint()) is { } routed ? (routed, request.RouteValues) : routes.Match(path);
        if (match is not { } found)
        {
            await NotOriginalAsync(context);
            return;
        }

        var (route, values) = found;
        context.Response.Headers.Allow = route.Allow;

        var method = request.Method;
        if ((HttpMethods.IsOptions(method) || !route.Endpoints.ContainsKey(HttpMethods.IsHead(method) ? HttpMethods.Get : method))
            && !await AuthenticateAsync(context))
        {
            return;
        }

        if (HttpMethods.IsOptions(method))
        {
            await WriteMetadataAsync(context, route);
            return;
        }

        var endpointMethod = HttpMethods.IsHead(method) ? HttpMethods.Get : method;
        if (!route.Endpoints.TryGetValue(endpointMethod, out var endpoint))
        {
            await RefuseMethodAsync(context, route, method);
            return;
        }

        var browsable = false;
        if (!formatSuffix && request.Query["format"].ToString() != "json")
        {
            switch (Negotiate(request.Headers.Accept))
            {
                case null:
                    await WriteJsonAsync(context, StatusCodes.Status406NotAcceptable, new JsonObject { ["detail"] = "Could not satisfy the request Accept header." });
                    return;
                case true:
                    browsable = true;
                    break;
            }
        }

        // The route's own endpoint, also for HEAD and the format suffix, which Kestrel's routing sent elsewhere.
        context.SetEndpoint(endpoint);
        request.RouteValues = values;
        var body = context.Response.Body;
        var buffer = browsable || HttpMethods.IsHead(method) ? new MemoryStream() : null;
        if (buffer is not null)
        {
            context.Response.Body = buffer;
        }

        if (HttpMethods.IsHead(method))
        {
            // Only HEAD runs as the GET it stands for; every other method keeps its own, which the
            // write checks (same origin, permissions) depend on.
            request.Method = HttpMethods.Get;
        }

        try
        {
            await next(context);
        }
        finally
        {
            request.Method = method;
            if (buffer is not null)
            {
                context.Response.Body = body;
            }
        }

        if (browsable && buffer is not null)
        {
            await WriteBrowsableAsync(context, route, buffer);
        }
    }

    /// <summary>Everything under /api/ that is not one of the original's routes: EduLoop's own, a missing slash, or nothing.</summary>
    private async Task NotOriginalAsync(HttpContext context)
    {
        // EduLoop's own routes (a method they do not answer included) keep ASP.NET Core's answers.
        if (context.GetEndpoint() is not null)
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/html";
        await context.Response.WriteAsync(NotFoundPage);
    }

    /// <summary>
    /// The configured origins get the original's CORS headers; a preflight is answered here. True when
    /// the request is answered.
    /// </summary>
    private bool Cors(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (options.CorsOrigins.Length == 0 || origin.Length == 0)
        {
            return false;
        }

        var allowed = options.CorsOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);
        var headers = context.Response.Headers;
        headers.Append(HeaderNames.Vary, "Origin");
        headers.AccessControlAllowCredentials = "true";
        if (allowed)
        {
            headers.AccessControlAllowOrigin = origin;
            if (HttpMethods.IsOptions(context.Request.Method))
            {
                headers.AccessControlAllowHeaders = CorsAllowHeaders;
                headers.AccessControlAllowMethods = CorsAllowMethods;
                headers.AccessControlMaxAge = "86400";
            }
        }

        if (!HttpMethods.IsOptions(context.Request.Method) || !context.Request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod))
        {
            return false;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/html; charset=utf-8";
        return true;
    }

    /// <summary>
    /// Who calls, for the answers given here rather than by an endpoint (whose filter does the same):
    /// API credentials first, then the sign-in cookie. False, with the 401 written, for bad credentials.
    /// </summary>
    private static async Task<bool> AuthenticateAsync(HttpContext context)
    {
        var api = await context.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);
        if (api.Failure is not null)
        {
            context.Response.Headers.WWWAuthenticate = ApiResponses.Challenge;
            await WriteJsonAsync(context, StatusCodes.Status401Unauthorized, new JsonObject { ["detail"] = api.Failure.Message });
            return false;
        }

        if (api.Succeeded)
        {
            context.User = api.Principal;
        }

        return true;
    }

    /// <summary>A method the route does not answer: 405, after the caller passed the route's permission check, as DRF did.</summary>
    private static async Task RefuseMethodAsync(HttpContext context, OriginalRoute route, string method)
    {
        switch (route.Refusal(method, context.User))
        {
            case StatusCodes.Status401Unauthorized:
                context.Response.Headers.WWWAuthenticate = ApiResponses.Challenge;
                await WriteJsonAsync(context, StatusCodes.Status401Unauthorized, new JsonObject { ["detail"] = ApiResponses.NotAuthenticatedText });
                return;
            case StatusCodes.Status403Forbidden:
                await WriteJsonAsync(context, StatusCodes.Status403Forbidden, new JsonObject { ["detail"] = ApiResponses.ForbiddenText });
                return;
        }

        await WriteJsonAsync(context, StatusCodes.Status405MethodNotAllowed, new JsonObject { ["detail"] = $"Method \"{method}\" not allowed." });
    }

    /// <summary>DRF's metadata: the view's name, what it renders and parses, and for staff the fields of its writes.</summary>
    private static Task WriteMetadataAsync(HttpContext context, OriginalRoute route)
    {
        var metadata = new JsonObject
        {
            ["name"] = route.Name,
            ["description"] = "",
            ["renders"] = new JsonArray(_renders.Select(r => (JsonNode)r).ToArray()),
            ["parses"] = new JsonArray(route.Parses.Select(p => (JsonNode)p).ToArray()),
        };
        if (route.Actions is { } actions && context.User.IsStaff())
        {
            metadata["actions"] = actions.DeepClone();
        }

        return WriteJsonAsync(context, StatusCodes.Status200OK, metadata);
    }

    /// <summary>False: JSON. True: a browser asking for a page. Null: nothing EduLoop can answer (406).</summary>
    private static bool? Negotiate(Microsoft.Extensions.Primitives.StringValues accept)
    {
        if (accept.Count == 0 || !MediaTypeHeaderValue.TryParseList(accept, out var types) || types.Count == 0)
        {
            return false;
        }

        foreach (var type in types.OrderByDescending(t => t.Quality ?? 1))
        {
            if (type.MatchesAllTypes || type.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase)
                || type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (type.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) || type.MediaType.Equals("text/*", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return null;
    }

    /// <summary>The JSON answer shown in a page, for a person who opens an API address in a browser.</summary>
    private static async Task WriteBrowsableAsync(HttpContext context, OriginalRoute route, MemoryStream json)
    {
        var text = Encoding.UTF8.GetString(json.GetBuffer(), 0, (int)json.Length);
        try
        {
            text = JsonNode.Parse(text)?.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = OriginalRoutes.MetadataJson.Encoder }) ?? text;
        }
        catch (JsonException)
        {
            // Not JSON: shown as it came.
        }

        var encoder = System.Text.Encodings.Web.HtmlEncoder.Default;
        var page = $"<!doctype html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n  <title>{encoder.Encode(route.Name)} – EduLoop API</title>\n</head>\n<body>\n  <h1>{encoder.Encode(route.Name)}</h1>\n  <pre>{encoder.Encode(text)}</pre>\n</body>\n</html>\n";
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.ContentLength = null;
        await context.Response.WriteAsync(page);
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(OriginalRoutes.MetadataJson));
    }
}
