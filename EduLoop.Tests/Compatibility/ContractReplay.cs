using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Compatibility;

/// <summary>What one replayed request got, and where it differs from what EduLoop should answer.</summary>
public sealed record CaseOutcome(int Status, IReadOnlyList<string> Differences);

/// <summary>
/// Replays the original service's recording against a fresh EduLoop on a real port, in order, as the
/// corpus README says: the two accounts made outside the API, the 20 setup calls, then every check. The
/// throttling checks at the end run on the same database after a restart (the recorder waited for an
/// empty one-minute window there), with the original's budgets.
/// </summary>
public class ContractReplay : IAsyncLifetime
{
    public const string AdminPassword = "Golden-Admin-Passw0rd";
    public const string StudentPassword = "Golden-Student-Passw0rd";

    /// <summary>The first throttling case: from here on the app runs with the original's budgets.</summary>
    private const int FirstThrottleCase = 409;

    /// <summary>The first answer over the budget: the recorder sent this many anonymous requests in the window before it.</summary>
    private const int FirstThrottledCase = 421;

    private const int RequestsBeforeFirstThrottled = 200;

    private readonly TempDirectory _data = new();
    private readonly Dictionary<int, CaseOutcome> _outcomes = [];
    private readonly Dictionary<string, HashSet<int>> _drawnPerSession = [];
    private KestrelAppFactory? _app;
    private HttpClient? _client;
    private Placeholders _placeholders = new("");

    public IReadOnlyDictionary<int, CaseOutcome> Outcomes => _outcomes;

    /// <summary>The origins the recording's CORS set-up allowed, read from its preflight cases.</summary>
    public static IReadOnlyList<string> AllowedOrigins { get; } = ContractCase.All
        .Where(c => c.ResponseHeaders.ContainsKey("Access-Control-Allow-Origin"))
        .Select(c => c.ResponseHeaders["Access-Control-Allow-Origin"]!.GetValue<string>())
        .Distinct()
        .ToList();

    /// <summary>The data folder the app runs over.</summary>
    protected string DataDirectory => _data.Path;

    protected Placeholders Bindings => _placeholders;

    public async Task InitializeAsync()
    {
        await PrepareAsync();
        foreach (var contractCase in ContractCase.All.Where(Replays))
        {
            if (contractCase.N == FirstThrottleCase)
            {
                await StartAsync(throttled: true);
            }

            var problems = contractCase.N == FirstThrottledCase ? await FillThrottleWindowAsync(contractCase) : [];
            var outcome = await ReplayAsync(contractCase);
            _outcomes[contractCase.N] = outcome with { Differences = [.. problems, .. outcome.Differences] };
        }
    }

    /// <summary>The app and its accounts before the first case: a fresh app with the recording's two users.</summary>
    protected virtual async Task PrepareAsync()
    {
        await StartAsync(throttled: false);
        await CreateAccountsAsync();
    }

    /// <summary>Settings of a replay's own, such as another database.</summary>
    protected virtual IReadOnlyDictionary<string, string> MoreSettings { get; } = new Dictionary<string, string>();

    /// <summary>Which cases this replay sends: all of them.</summary>
    public virtual bool Replays(ContractCase contractCase) => true;

    public virtual async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _data.Dispose();
    }

    protected async Task StartAsync(bool throttled)
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        var settings = new Dictionary<string, string>
        {
            ["EduLoop:Admin:Email"] = "admin@example.test",
            ["EduLoop:Admin:Password"] = AdminPassword,
            ["EduLoop:Api:Throttling:Enabled"] = throttled ? "true" : "false",
        };
        foreach (var (key, value) in MoreSettings)
        {
            settings[key] = value;
        }

        for (var i = 0; i < AllowedOrigins.Count; i++)
        {
            settings[$"EduLoop:Api:CorsOrigins:{i}"] = AllowedOrigins[i];
        }

        _app = new KestrelAppFactory(_data.Path, 0, demoData: false, settings);
        _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = System.Net.DecompressionMethods.None })
        {
            BaseAddress = new Uri(_app.RootUrl),
        };
        _placeholders.BaseUrl = _app.RootUrl.TrimEnd('/');
        if (!throttled)
        {
            _placeholders = new Placeholders(_app.RootUrl.TrimEnd('/'));
        }
    }

    /// <summary>The recording's two accounts, made outside the API as the original's were: <c>admin</c> (id 1) and <c>student</c> (id 2).</summary>
    private async Task CreateAccountsAsync()
    {
        await using var scope = _app!.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var admin = (await users.FindByEmailAsync("admin@example.test"))!;
        Check(await users.SetUserNameAsync(admin, "admin"));
        var student = new ApplicationUser { UserName = "student", Email = "student@example.test", EmailConfirmed = true, CreatedAt = DateTime.UtcNow };
        Check(await users.CreateAsync(student, StudentPassword));
        Check(await users.AddToRoleAsync(student, Roles.Student));
        if (admin.Number != 1 || student.Number != 2)
        {
            throw new InvalidOperationException($"The accounts are numbered {admin.Number} and {student.Number}, not 1 and 2.");
        }

        static void Check(IdentityResult result)
        {
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
            }
        }
    }

    /// <summary>The anonymous requests the recorder sent between the last recorded one and the first refused one.</summary>
    private async Task<List<string>> FillThrottleWindowAsync(ContractCase firstThrottled)
    {
        var sent = ContractCase.All.Count(c => c.N >= FirstThrottleCase && c.N < FirstThrottledCase);
        for (var i = sent; i < RequestsBeforeFirstThrottled; i++)
        {
            using var response = await _client!.GetAsync(firstThrottled.Path);
            if ((int)response.StatusCode != 200)
            {
                return [$"anonymous request {i + 1} of the window got {(int)response.StatusCode}, not 200: {response.Headers} {Truncate(await response.Content.ReadAsStringAsync())} {string.Join(" / ", _app!.Failures.Entries)}"];
            }
        }

        return [];
    }

    private async Task<CaseOutcome> ReplayAsync(ContractCase contractCase)
    {
        using var request = BuildRequest(contractCase);
        using var response = await _client!.SendAsync(request);
        var serverFailure = (int)response.StatusCode == 500 ? _app!.Failures.Entries.LastOrDefault() : null;

        var body = await response.Content.ReadAsStringAsync();
        var headers = response.Headers.Concat(response.Content.Headers)
            .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.SelectMany(h => h.Value)), StringComparer.OrdinalIgnoreCase);
        var expected = ContractExpectations.For(contractCase);
        var differences = new List<string>();
        if ((int)response.StatusCode != expected.Status)
        {
            differences.Add($"status: expected {expected.Status}, got {(int)response.StatusCode}");
        }

        foreach (var (name, value) in expected.Headers)
        {
            if (!headers.TryGetValue(name, out var actual))
            {
                differences.Add($"header {name}: expected \"{value}\", missing");
            }
            else if (!_placeholders.Matches(value, actual))
            {
                differences.Add($"header {name}: expected \"{value}\", got \"{actual}\"");
            }
        }

        foreach (var name in expected.AbsentHeaders.Where(headers.ContainsKey))
        {
            differences.Add($"header {name}: expected none, got \"{headers[name]}\"");
        }

        CompareBody(contractCase, expected, body, differences);
        if (serverFailure is not null && expected.Status != 500)
        {
            differences.Add("server: " + Truncate(serverFailure));
        }

        if (differences.Count > 0)
        {
            differences.Add($"the answer: {(int)response.StatusCode} {headers.GetValueOrDefault("Content-Type")} {Truncate(body)}");
        }

        return new CaseOutcome((int)response.StatusCode, differences);
    }

    private void CompareBody(ContractCase contractCase, ExpectedAnswer expected, string body, List<string> differences)
    {
        switch (expected.BodyFormat)
        {
            case "empty":
                if (body.Length > 0)
                {
                    differences.Add($"body: expected none, got {Truncate(body)}");
                }

                break;
            case "json":
                JsonNode? actual;
                try
                {
                    actual = JsonNode.Parse(body);
                }
                catch (JsonException)
                {
                    differences.Add($"body: expected JSON, got {Truncate(body)}");
                    break;
                }

                if (contractCase.Random && actual is not null)
                {
                    CompareDraw(contractCase, expected.Body, actual, differences);
                }
                else
                {
                    _placeholders.Compare(expected.Body, actual, "body", differences);
                }

                break;
        }
    }

    /// <summary>
    /// A random draw: the same shape as the recorded question, an id from the case's pool, and no id twice
    /// in one session.
    /// </summary>
    private void CompareDraw(ContractCase contractCase, JsonNode? expected, JsonNode actual, List<string> differences)
    {
        var expectedQuestion = expected?["question"] ?? expected;
        var actualQuestion = expected?["question"] is not null ? actual["question"] : actual;
        if (expected?["session_id"] is { } sessionId && !_placeholders.Matches(sessionId.GetValue<string>(), actual["session_id"]?.GetValue<string>()))
        {
            differences.Add("body.session_id: not a new session");
        }

        if (actualQuestion is not JsonObject question || question["id"]?.GetValue<int>() is not { } id)
        {
            differences.Add($"body: expected a question, got {Truncate(actual.ToJsonString())}");
            return;
        }

        var expectedKeys = expectedQuestion!.AsObject().Select(p => p.Key).ToList();
        if (!expectedKeys.SequenceEqual(question.Select(p => p.Key)))
        {
            differences.Add($"body: keys [{string.Join(", ", expectedKeys)}] expected, got [{string.Join(", ", question.Select(p => p.Key))}]");
        }

        if (!contractCase.Pool.Contains(id))
        {
            differences.Add($"body.id: {id} is not in the pool [{string.Join(", ", contractCase.Pool)}]");
        }

        var session = SessionOf(contractCase, expected);
        if (!_drawnPerSession.TryGetValue(session, out var drawn))
        {
            _drawnPerSession[session] = drawn = [];
        }

        if (!drawn.Add(id))
        {
            differences.Add($"body.id: {id} was drawn before in this session");
        }
    }

    private static string SessionOf(ContractCase contractCase, JsonNode? expected) =>
        expected?["session_id"]?.GetValue<string>()
        ?? contractCase.RequestHeaders["X-Session-Id"]?.GetValue<string>()
        ?? contractCase.RequestHeaders["Cookie"]?.GetValue<string>()?.Split('=', 2)[1]
        ?? "";

    private HttpRequestMessage BuildRequest(ContractCase contractCase)
    {
        var request = new HttpRequestMessage(new HttpMethod(contractCase.Method), _placeholders.Substitute(contractCase.Path));
        request.Headers.TryAddWithoutValidation("Accept", "*/*");
        request.Headers.TryAddWithoutValidation("User-Agent", "python-requests/2.28.1");
        if (contractCase.Authorization is { } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", _placeholders.Substitute(authorization));
        }

        string? contentType = null;
        foreach (var (name, value) in contractCase.RequestHeaders)
        {
            var text = _placeholders.Substitute(value!.GetValue<string>());
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = text;
            }
            else
            {
                request.Headers.Remove(name);
                request.Headers.TryAddWithoutValidation(name, text);
            }
        }

        var body = contractCase.RequestBodyFormat switch
        {
            "json" => _placeholders.Substitute(contractCase.Request["body"])?.ToJsonString() ?? "null",
            "raw" => contractCase.Request["body"]!.GetValue<string>(),
            _ => null,
        };
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
        }

        return request;
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
