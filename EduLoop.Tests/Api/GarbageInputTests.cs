using System.Net;
using System.Text;
using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;

namespace EduLoop.Tests.Api;

/// <summary>
/// Thousands of generated requests with nonsense in the query string or the body: every one gets an
/// answer below 500. Bad input is the caller's problem to fix, never the server's to crash on.
/// </summary>
public sealed class GarbageInputTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    /// <summary>
    /// Generated requests per test. The second pass on PostgreSQL runs a fifth of them: the parsing that
    /// refuses them is the same code, and what that pass checks is the database's part.
    /// </summary>
    private static int Cases => TestDatabase.IsPostgres ? 300 : 1500;

    private static readonly string[] _lists =
    [
        "/api/groups/", "/api/subjects/", "/api/categories/", "/api/categories/list/", "/api/subcategories/",
        "/api/dashboard/recent-questions/", "/api/token-list/", "/api/users/", "/api/questions/",
        "/api/subject/1/", "/api/categories/1/", "/api/subcategories/1/", "/api/dashboard/question/1/",
    ];

    private static readonly string[] _writes =
    [
        "/api/groups/", "/api/subjects/", "/api/categories/", "/api/subcategories/", "/api/question/create/",
        "/api/upload-questions/", "/api/questions/", "/api/questions/answer/", "/api/token-verify/", "/api/api-token-auth/",
        "/api/token-generate/", "/api/users/",
    ];

    private static readonly string[] _parameters =
    [
        "page", "page_size", "search", "ordering", "group__id", "subject__id", "category__id", "subcategory__id", "level", "type",
        "session_id", "key",
    ];

    private static readonly string[] _nastyValues =
    [
        "", "last", "0", "-1", "1.5", "1e309", "99999999999999999999999", "NaN", "' OR 1=1 --", "%00", "\u0000", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "-name", "name,-group__name,,", "--", "<script>", "../../etc/passwd", new string('9', 400), "true", "null", "[]",
    ];

    [Fact]
    public void QueryStrings_OfAnyShape_NeverCauseA500()
    {
        var value = Gen.OneOf(Gen.Elements(_nastyValues), ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""));
        var pair = Gen.OneOf(Gen.Elements(_parameters), ArbMap.Default.GeneratorFor<string>().Select(s => s ?? "x"))
            .SelectMany(_ => value, (key, v) => $"{Uri.EscapeDataString(key)}={Uri.EscapeDataString(v)}");
        var request = Gen.Elements(_lists).SelectMany(_ => Gen.ListOf(pair), (path, pairs) => $"{path}?{string.Join('&', pairs)}");

        var staff = app.CreateClientAs(Roles.Teacher);
        var anonymous = app.CreateClient();
        Prop.ForAll(request.ToArbitrary(), url =>
            {
                var status = (int)(url.GetHashCode() % 2 == 0 ? staff : anonymous).GetAsync(url).GetAwaiter().GetResult().StatusCode;
                return (status < 500).Label($"{url} answered {status}");
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(Cases));
    }

    [Fact]
    public void Bodies_OfAnyShape_NeverCauseA500()
    {
        var body = Gen.OneOf(
            Json(4),
            ArbMap.Default.GeneratorFor<string>().Select(s => Encoding.UTF8.GetBytes(s ?? "")),
            ArbMap.Default.GeneratorFor<byte[]>(),
            Gen.Choose(1, 400).Select(depth => Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth))),
            Gen.Constant(new byte[] { (byte)'{', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)':', (byte)'1', (byte)'}' }));
        var request = Gen.Elements(_writes).SelectMany(_ => body, (path, bytes) => (path, bytes));

        var staff = app.CreateClientAs(Roles.Teacher);
        Prop.ForAll(request.ToArbitrary(), r =>
            {
                var content = new ByteArrayContent(r.bytes);
                content.Headers.ContentType = new("application/json");
                var status = (int)staff.PostAsync(r.path, content).GetAwaiter().GetResult().StatusCode;
                return (status < 500).Label($"{r.path} with {Encoding.UTF8.GetString(r.bytes)} answered {status}");
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(Cases));
    }

    [Fact]
    public async Task ContentTypes_OtherThanJson_Are415()
    {
        var admin = app.CreateClientAs(Roles.Admin);
        foreach (var path in _writes)
        {
            var response = await admin.PostAsync(path, new StringContent("<xml/>", Encoding.UTF8, "application/xml"));
            Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, $"{path}: {response.StatusCode}");
        }
    }

    /// <summary>JSON values of every kind, with the field names the API reads, nested a few levels.</summary>
    private static Gen<byte[]> Json(int depth) => JsonText(depth).Select(Encoding.UTF8.GetBytes);

    private static Gen<string> JsonText(int depth)
    {
        var scalar = Gen.OneOf(
            Gen.Elements("null", "true", "false", "0", "-1", "1e400", "123456789012345678901234567890", "3.5", "\"\"", "\"easy\"", "\"mcq\"",
                "\"Mathematics\"", "\"Algebra\"", "\"12345678\""),
            ArbMap.Default.GeneratorFor<string>().Select(s => System.Text.Json.JsonSerializer.Serialize(s ?? "")),
            ArbMap.Default.GeneratorFor<int>().Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (depth == 0)
        {
            return scalar;
        }

        var keys = Gen.Elements(
            "name", "description", "group", "subject", "category", "subcategory", "level", "type", "metadata", "question", "options",
            "answer", "group_id", "subject_id", "category_ids", "levels", "question_id", "response", "key", "username", "password",
            "email", "role", "is_staff", "is_active", "unknown");
        var member = keys.SelectMany(_ => JsonText(depth - 1), (k, v) => $"\"{k}\":{v}");
        var obj = Gen.ListOf(member).Select(m => "{" + string.Join(',', m) + "}");
        var array = Gen.ListOf(JsonText(depth - 1)).Select(items => "[" + string.Join(',', items) + "]");
        return Gen.Frequency((3, scalar), (4, obj), (2, array));
    }
}
