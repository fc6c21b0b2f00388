using System.Text.Json.Nodes;

namespace EduLoop.Tests.Compatibility;

/// <summary>What EduLoop must answer to one recorded request; <see cref="Deviation"/> says why when it is not the recording.</summary>
public sealed record ExpectedAnswer(
    int Status,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyList<string> AbsentHeaders,
    string BodyFormat,
    JsonNode? Body,
    string? Deviation = null);

/// <summary>
/// The recording, except where EduLoop answers differently on purpose. Every such case is listed here
/// with its reason and with exactly what EduLoop answers instead, which the replay checks as strictly
/// as the rest; <c>docs/compatibility.md</c> lists the same differences for people.
/// </summary>
public static class ContractExpectations
{
    private const string Forbidden = """{"detail":"You do not have permission to perform this action."}""";

    private static readonly Dictionary<int, Func<ExpectedAnswer, ExpectedAnswer>> _deviations = new()
    {
        // The original's own routes only: EduLoop's answer check for practice lives beside them.
        [26] = _ => Json(400, """{"errors":"question_id and response are required."}""", "EduLoop checks practice answers at this address; the original had no such route."),
        // EduLoop has no Django admin; its admin pages are its own.
        [33] = _ => new ExpectedAnswer(404, new Dictionary<string, string>(), [], "text", null, "EduLoop has no Django admin site."),

        // The original's 500s, which EduLoop does not copy.
        [37] = _ => Json(200, GroupsPage(("Mathematik", "Zahlen, Algebra und Geometrie", 1), ("Sprachen", null, 2)), ServerError + " Groups have no ordering fields, so ordering is ignored, as search is (case 39)."),
        [38] = _ => Json(200, GroupsPage(("Mathematik", "Zahlen, Algebra und Geometrie", 1), ("Sprachen", null, 2)), ServerError + " Groups have no ordering fields, so ordering is ignored."),
        [158] = AccessKeyRefused,
        [172] = AccessKeyRefused,
        [198] = AccessKeyRefused,
        [207] = AccessKeyRefused,
        [216] = AccessKeyRefused,
        [324] = AccessKeyRefused,
        [356] = AccessKeyRefused,
        [378] = AccessKeyRefused,
        [185] = _ => Json(400, """{"message":"Upload failed. Please fix the errors.","Failed find: ":1,"failed_items":[{"row":2,"errors":{"level":"This field is required."}}]}""",
            ServerError + " A row without a level is reported like every other bad row."),
        [261] = _ => Json(400, """{"non_field_errors":["Invalid data. Expected a dictionary, but got list."]}""", ServerError + " A list body is refused as DRF refuses it elsewhere."),
        [262] = _ => Json(400, """{"errors":"Selecting a group and at least one subject is mandatory."}""", ServerError + " A group id that is not a number selects no group."),
        [293] = _ => Json(200, """{"id":2,"group":"Mathematik","subject":"Algebra","category":"Gleichungen","subcategory":"Quadratische Gleichungen","level":"advance","type":"math","metadata":{"question":"Löse x^2 - 5x + 6 = 0.","answer":"x = 2 oder x = 3","explanation":"Faktorisieren: (x - 2)(x - 3) = 0"}}""",
            ServerError + " A PATCH changes what it names; the question keeps its place."),
        [317] = _ => Json(400, """{"error":"Token-Schlüssel muss angegeben werden."}""", ServerError + " A list body has no key."),

        // cache_page answered before authentication and served stale pages after writes.
        [52] = _ => Json(401, """{"detail":"Invalid token."}""", "The original's page cache answered before checking credentials; EduLoop checks them first.", challenge: true),
        [401] = _ => Json(200, GroupsPage(("Cache-Probe", "neu", 3), ("Mathematik", "Zahlen, Algebra und Geometrie", 1), ("Sprachen", null, 2)),
            "The original's page cache served the list from before the write for 15 minutes; EduLoop's lists show every write at once."),

        // Signing in.
        [191] = _ => Json(200, """{"token":"<new_token>"}""", "EduLoop's accounts sign in with their email as well as their user name."),
        [194] = _ => Json(200, """{"token":"<new_token>"}""", "Tokens are stored hashed, so each sign-in makes a new one rather than returning the old (docs/decisions/0004-api-tokens-hashed.md)."),

        // Answer keys are for staff.
        [263] = KeyHidden,
        [285] = KeyHidden,

        // SQLite's JSON escapes hid non-ASCII words from the original's search; EduLoop finds them.
        [231] = expected => expected with
        {
            Body = JsonNode.Parse("""{"count":3,"next":null,"previous":null,"results":"<any>"}"""),
            Deviation = "EduLoop's search finds non-ASCII words; the original's did not on SQLite (it would on PostgreSQL).",
        },

        // Only admins manage accounts.
        [372] = _ => Json(403, Forbidden, "Only admins manage accounts through /api/users/; the original let every staff account in."),
    };

    private const string ServerError = "The original answered 500 here.";

    public static IReadOnlyDictionary<int, string> Deviations { get; } =
        ContractCase.All.Where(c => _deviations.ContainsKey(c.N)).ToDictionary(c => c.N, c => For(c).Deviation!);

    public static ExpectedAnswer For(ContractCase contractCase)
    {
        var recorded = new ExpectedAnswer(
            contractCase.Status,
            contractCase.ResponseHeaders.ToDictionary(h => h.Key, h => h.Value!.GetValue<string>()),
            [],
            contractCase.ResponseBodyFormat,
            contractCase.ResponseBody?.DeepClone());
        return _deviations.TryGetValue(contractCase.N, out var deviate) ? deviate(recorded) : recorded;
    }

    /// <summary>An access key is a student's read-only credential: staff routes refuse it with 403, where the original failed with 500.</summary>
    private static ExpectedAnswer AccessKeyRefused(ExpectedAnswer recorded) =>
        Json(403, Forbidden, ServerError + " An access key is refused on staff routes with 403.");

    /// <summary>
    /// Non-staff callers get no answer key (<c>EduLoop:Api:ExposeAnswerKeys</c> gives it back): the
    /// metadata keeps only the question and its options.
    /// </summary>
    private static ExpectedAnswer KeyHidden(ExpectedAnswer recorded)
    {
        var body = recorded.Body!.DeepClone();
        var metadata = (body["question"] ?? body)["metadata"]!.AsObject();
        foreach (var key in metadata.Select(p => p.Key).Where(k => k is not ("question" or "options")).ToList())
        {
            metadata.Remove(key);
        }

        return recorded with { Body = body, Deviation = "Answer keys go to staff only, unless EduLoop:Api:ExposeAnswerKeys is on." };
    }

    private static ExpectedAnswer Json(int status, string body, string reason, bool challenge = false) =>
        new(status,
            challenge
                ? new Dictionary<string, string> { ["Content-Type"] = "application/json", ["WWW-Authenticate"] = "AccessKey" }
                : new Dictionary<string, string> { ["Content-Type"] = "application/json" },
            [], "json", JsonNode.Parse(body), reason);

    private static string GroupsPage(params (string Name, string? Description, int Id)[] groups) =>
        new JsonObject
        {
            ["count"] = groups.Length,
            ["next"] = null,
            ["previous"] = null,
            ["results"] = new JsonArray(groups.Select(g => (JsonNode)new JsonObject
            {
                ["id"] = g.Id,
                ["name"] = g.Name,
                ["description"] = g.Description,
                ["created_at"] = "<timestamp>",
            }).ToArray()),
        }.ToJsonString();
}
