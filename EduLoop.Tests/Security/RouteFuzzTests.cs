using System.Net;
using System.Text;
using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EduLoop.Tests.Security;

/// <summary>
/// Every route the app maps — read from its endpoint data source, so a route added tomorrow is fuzzed
/// without editing this test — gets thousands of generated requests: hostile path values, query
/// strings and bodies (lone surrogates, bytes that are not UTF-8, deep nesting, huge numbers, wrong
/// media types), from every kind of caller. No answer is a 500 and the app logs no error.
/// </summary>
public sealed class RouteFuzzTests(EduLoopAppFactory app, ITestOutputHelper output) : IClassFixture<EduLoopAppFactory>
{
    private const int Requests = 10_000;

    private static readonly string[] _pathValues =
    [
        "1", "2", "0", "-1", "999999999", "99999999999999999999999", "1.5", "abc", "%ED%A0%80", "%FF%FE", "..%2F..%2Fetc%2Fpasswd",
        "%3Cscript%3E", "a%20b", "%F0%9D%94%98", "12345678", "last", "",
    ];

    private static readonly string[] _queryKeys =
    [
        "page", "page_size", "search", "ordering", "group__id", "subject__id", "category__id", "subcategory__id", "level", "type", "tag",
        "session_id", "key", "format", "node", "q", "culture", "redirectUri", "ReturnUrl", "quiz", "archived", "category", "subcategory", "from", "to", "author", "%ED%A0%80", "%FF",
    ];

    private static readonly string[] _queryValues =
    [
        "", "1", "-1", "0", "last", "1e309", "99999999999999999999999", "NaN", "%ED%A0%80", "%ED%BF%BF", "%FF%FE%FD", "%C0%AF", "%00",
        "%0D%0AX-Injected:%201", "' OR 1=1 --", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "javascript:alert(1)", "%2F%2Fevil.example",
        "-name", "name,-group__name,,", "mcq", "easy", new string('9', 400), new string('a', 5000), "%F0%9F%98%80", "de", "xx-INVALID",
    ];

    private static readonly string[] _mediaTypes =
    [
        "application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/xml", "application/json; charset=latin1", "",
    ];

    private static readonly string[] _roles = ["", Roles.Student, Roles.Teacher, Roles.Admin];

    [Fact]
    public async Task EveryRoute_TenThousandHostileRequests_NoAnswerIs500_AndNothingIsLoggedAsAFailure()
    {
        var routes = Routes();
        Assert.True(routes.Count > 60, $"only {routes.Count} routes found");
        var random = new Random(20261206);
        var clients = _roles.ToDictionary(r => r, r => r.Length == 0 ? app.CreateClient(new() { AllowAutoRedirect = false }) : app.CreateClientAs(r));
        var failuresBefore = app.Failures.Entries.Count;
        var bad = new List<string>();
        var statuses = new Dictionary<int, int>();

        for (var i = 0; i < Requests; i++)
        {
            var (method, pattern) = routes[random.Next(routes.Count)];
            var path = FillPath(pattern, random);
            var query = random.Next(3) == 0 ? "" : "?" + string.Join('&', Enumerable.Range(0, random.Next(1, 5))
                .Select(_ => $"{Pick(_queryKeys, random)}={Pick(_queryValues, random)}"));
            using var request = new HttpRequestMessage(new HttpMethod(method), path + query);
            if (method is not ("GET" or "HEAD") || random.Next(10) == 0)
            {
                var content = new ByteArrayContent(Body(random));
                var mediaType = Pick(_mediaTypes, random);
                if (mediaType.Length > 0)
                {
                    content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
                }

                request.Content = content;
            }

            var response = await clients[Pick(_roles, random)].SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status >= 500)
            {
                bad.Add($"{method} {path}{query} answered {status}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        output.WriteLine($"{routes.Count} routes, {Requests} requests: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        Assert.True(bad.Count == 0, string.Join(Environment.NewLine, bad.Take(20)));
        var failures = app.Failures.Entries.Skip(failuresBefore).ToList();
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
    }

    /// <summary>Each method and pattern of the app's endpoints, less the framework's own files and the circuit's hub.</summary>
    private List<(string Method, string Pattern)> Routes() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Pattern: "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'), Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"]))
            .Where(e => !e.Pattern.StartsWith("/_", StringComparison.Ordinal) && !Path.HasExtension(e.Pattern.Split('/').Last()) && !e.Pattern.Contains("**", StringComparison.Ordinal))
            .SelectMany(e => e.Methods.Select(m => (m, e.Pattern)))
            // Deleting one's own account would leave that role's caller anonymous for the rest of the run.
            .Where(r => r != ("DELETE", "/api/current-user/"))
            .Distinct().ToList();

    private static string FillPath(string pattern, Random random)
    {
        var path = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '{')
            {
                i = pattern.IndexOf('}', i);
                path.Append(Pick(_pathValues, random));
            }
            else
            {
                path.Append(pattern[i]);
            }
        }

        return path.Length == 0 ? "/" : path.ToString();
    }

    private static byte[] Body(Random random) => random.Next(9) switch
    {
        0 => "{\"name\": \"\\ud800\", \"email\": \"\\udfff@x\", \"response\": \"\\ud800\", \"question_id\": 1, \"group_id\": 1, \"subject_id\": 1}"u8.ToArray(),
        1 => [(byte)'{', (byte)'"', (byte)'n', (byte)'"', (byte)':', (byte)'"', 0xED, 0xA0, 0x80, 0xFF, (byte)'"', (byte)'}'],
        2 => Encoding.UTF8.GetBytes(new string('[', random.Next(1, 3000)) + new string(']', random.Next(0, 3000))),
        3 => Encoding.UTF8.GetBytes(new string('{', 1) + string.Concat(Enumerable.Repeat("\"a\":{", random.Next(1, 200))) + "}"),
        4 => "{\"page\": 1e400, \"sequence\": 99999999999999999999999999, \"question_id\": -1e309, \"group_id\": 1.5, \"levels\": [1e99]}"u8.ToArray(),
        5 => Encoding.UTF8.GetBytes("{\"name\": \"" + new string('x', random.Next(0, 100_000)) + "\", \"metadata\": {\"question\": null, \"options\": [{}, [], 1]}}"),
        6 => Encoding.UTF8.GetBytes($"[{string.Join(',', Enumerable.Repeat("{\"group\": \"Sciences\", \"metadata\": {\"question\": \"\\ud800\"}}", random.Next(1, 50)))}]"),
        7 => RandomBytes(random),
        _ => Encoding.UTF8.GetBytes(JsonNoise(random, 4)),
    };

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 512)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string JsonNoise(Random random, int depth) => random.Next(depth <= 0 ? 5 : 8) switch
    {
        0 => "null",
        1 => random.Next(2) == 0 ? "true" : "-0.0e-7",
        2 => random.Next(int.MinValue, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture),
        3 => "\"" + Pick(["", "\\u0000", "\\ud800x", "mcq", "easy", "Sciences", "<img src=x onerror=alert(1)>", "$\\\\frac{1}{2}$"], random) + "\"",
        4 => "\"x\"",
        5 or 6 => "{" + string.Join(',', Enumerable.Range(0, random.Next(0, 5)).Select(_ =>
            $"\"{Pick(["name", "email", "password", "response", "sequence", "question_id", "group_id", "subject_id", "metadata", "type", "level", "category_ids", "role", "key", "description", "group", "subject", "category"], random)}\": {JsonNoise(random, depth - 1)}")) + "}",
        _ => "[" + string.Join(',', Enumerable.Range(0, random.Next(0, 5)).Select(_ => JsonNoise(random, depth - 1))) + "]",
    };

    private static string Pick(string[] values, Random random) => values[random.Next(values.Length)];
}
