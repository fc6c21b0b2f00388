using System.Text.Json;
using System.Text.Json.Nodes;
using EduLoop.App.Hosting;
using EduLoop.Domain.Identity;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;

namespace EduLoop.App.Api.Compatible;

/// <summary>Who may call a route of the original service, as its permission classes said.</summary>
public enum OriginalPermission
{
    Anyone,
    ReadOnlyOrAuthenticated,
    ReadOnlyOrStaff,
    Authenticated,
    Staff,
    Admin,
}

/// <summary>One route of the original service: its methods, who may call it, and what OPTIONS tells about it.</summary>
public sealed class OriginalRoute
{
    private static readonly string[] _methodOrder = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    private readonly TemplateMatcher _matcher;
    private readonly IReadOnlyList<string> _intParameters;

    internal OriginalRoute(string pattern, JsonObject description, IReadOnlyDictionary<string, RouteEndpoint> endpoints)
    {
        Pattern = pattern;
        Name = description["name"]!.GetValue<string>();
        Permission = Enum.Parse<OriginalPermission>(description["permission"]!.GetValue<string>());
        Parses = description["parses"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();
        Actions = description["actions"]?.AsObject();
        Endpoints = endpoints;
        var parsed = RoutePatternFactory.Parse(pattern);
        _matcher = new TemplateMatcher(new RouteTemplate(parsed), new RouteValueDictionary());
        _intParameters = parsed.Parameters.Where(p => p.ParameterPolicies.Any(c => c.Content == "int")).Select(p => p.Name).ToList();
        Allow = string.Join(", ", _methodOrder.Where(endpoints.ContainsKey).Concat(endpoints.ContainsKey("GET") ? ["HEAD", "OPTIONS"] : ["OPTIONS"]));
    }

    public string Pattern { get; }

    /// <summary>The view's name in OPTIONS answers.</summary>
    public string Name { get; }

    public OriginalPermission Permission { get; }

    public IReadOnlyList<string> Parses { get; }

    /// <summary>The fields of the writes, shown to staff in OPTIONS answers.</summary>
    public JsonObject? Actions { get; }

    /// <summary>The endpoint of each method the route answers.</summary>
    public IReadOnlyDictionary<string, RouteEndpoint> Endpoints { get; }

    /// <summary>The <c>Allow</c> header, in the original's order: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS.</summary>
    public string Allow { get; }

    public bool TryMatch(PathString path, RouteValueDictionary values) =>
        _matcher.TryMatch(path, values)
        && _intParameters.All(p => int.TryParse(values[p]?.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _));

    /// <summary>Whether a caller may use <paramref name="method"/> here; null when they may, else 401 or 403.</summary>
    public int? Refusal(string method, System.Security.Claims.ClaimsPrincipal user)
    {
        var signedIn = user.Identity?.IsAuthenticated == true;
        var safe = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);
        var allowed = Permission switch
        {
            OriginalPermission.Anyone => true,
            OriginalPermission.ReadOnlyOrAuthenticated => safe || signedIn,
            OriginalPermission.ReadOnlyOrStaff => safe || user.IsStaff(),
            OriginalPermission.Authenticated => signedIn,
            OriginalPermission.Staff => user.IsStaff(),
            OriginalPermission.Admin => user.IsInRole(Roles.Admin),
            _ => false,
        };
        return allowed ? null : signedIn ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
    }
}

/// <summary>
/// The original service's routes (<c>OriginalRoutes.json</c>: names, permissions, the fields OPTIONS
/// shows) joined to EduLoop's endpoints for them, found by path as Django's URL patterns found them.
/// </summary>
public sealed class OriginalRoutes(EndpointDataSource endpoints)
{
    private readonly Lazy<IReadOnlyList<OriginalRoute>> _routes = new(() => Load(endpoints));
    private Dictionary<string, OriginalRoute>? _byPattern;

    public IReadOnlyList<OriginalRoute> All => _routes.Value;

    /// <summary>The route an endpoint that routing chose belongs to, by its pattern: no matching again.</summary>
    public OriginalRoute? For(Endpoint? endpoint)
    {
        _byPattern ??= All.ToDictionary(r => r.Pattern, StringComparer.Ordinal);
        return endpoint is RouteEndpoint { RoutePattern.RawText: { } pattern } && _byPattern.TryGetValue(pattern, out var route) ? route : null;
    }

    /// <summary>
    /// The route a path belongs to, with its parameters; literal routes before parameterised ones. For
    /// what routing did not choose an endpoint of the route for: HEAD, a method the route does not
    /// answer, the format suffix, a missing slash.
    /// </summary>
    public (OriginalRoute Route, RouteValueDictionary Values)? Match(PathString path)
    {
        var values = new RouteValueDictionary();
        foreach (var route in All)
        {
            if (route.TryMatch(path, values))
            {
                return (route, values);
            }

            values.Clear();
        }

        return null;
    }

    private static List<OriginalRoute> Load(EndpointDataSource source)
    {
        using var stream = typeof(OriginalRoutes).Assembly.GetManifestResourceStream("EduLoop.App.Api.Compatible.OriginalRoutes.json")
            ?? throw new InvalidOperationException("OriginalRoutes.json is not embedded.");
        var descriptions = JsonNode.Parse(stream)!["routes"]!.AsObject();
        var byPattern = source.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is not null)
            .GroupBy(e => e.RoutePattern.RawText ?? "")
            .ToDictionary(g => g.Key, g => g.SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => (Method: m, Endpoint: e)))
                .DistinctBy(p => p.Method, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(p => p.Method, p => p.Endpoint, StringComparer.OrdinalIgnoreCase));
        return descriptions
            .Select(d => new OriginalRoute(d.Key, d.Value!.AsObject(),
                byPattern.GetValueOrDefault(d.Key) ?? throw new InvalidOperationException($"No endpoint is mapped at {d.Key}.")))
            .OrderBy(r => r.Pattern.Count(c => c == '{'))
            .ToList();
    }

    internal static JsonSerializerOptions MetadataJson { get; } = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
