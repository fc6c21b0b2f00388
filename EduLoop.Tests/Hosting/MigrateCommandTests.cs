using System.Net;

using EduLoop.App.Hosting;
using EduLoop.Domain.Data;
using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;

using Npgsql;

namespace EduLoop.Tests.Hosting;

/// <summary>
/// <c>migrate --to postgresql</c> on the demo school with a class of students, a quiz and answered
/// attempts, into a throwaway PostgreSQL server: every row moves, and the app started on the moved
/// database answers the API as it did on SQLite.
/// </summary>
[Collection(ConsoleOutput.Collection)]
public sealed class MigrateCommandTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    /// <summary>Reads that show the bank, the accounts, the classes, the quiz and its attempts, as the demo teacher.</summary>
    private static readonly string[] _teacherReads =
    [
        "/api/groups/", "/api/subjects/", "/api/categories/", "/api/subcategories/?page_size=500",
        "/api/dashboard/recent-questions/?page_size=200", "/api/dashboard/recent-questions/?search=solve&page=2",
        "/api/dashboard/question/1/", "/api/dashboard/question/1999/", "/api/users/?page_size=100", "/api/token-list/",
    ];

    private static async Task<(string Email, string Token, int Attempt, int Questions)[]> QuizWithAnsweredAttemptsAsync(string data)
    {
        using (new KestrelAppFactory(data, 0, demoData: true))
        {
            // The first start creates the demo school.
        }

        var load = Path.Combine(data, "load.tsv");
        Assert.Equal(0, await QuizLoadCommand.RunAsync(["--students", "4", "--questions", "5", "--out", load, "--data-dir", data]));
        var students = File.ReadAllLines(load).Select(l => l.Split('\t'))
            .Select(f => (Email: f[0], Token: f[1], Attempt: int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), Questions: int.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture)))
            .ToArray();

        using var app = new KestrelAppFactory(data, 0);
        foreach (var (student, index) in students.Select((s, i) => (s, i)))
        {
            using var client = new HttpClient { BaseAddress = new Uri(app.RootUrl) }.WithAuthorization("Token", student.Token);
            for (var position = 1; position <= student.Questions - index; position++)
            {
                var saved = await client.PutAsync($"/api/attempts/{student.Attempt}/answers/{position}/",
                    new StringContent($$"""{"response":"{{position % 2}}","sequence":1}""", System.Text.Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            }

            if (index < 2)
            {
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/attempts/{student.Attempt}/submit/", null)).StatusCode);
            }
        }

        return students;
    }

    private static async Task<Dictionary<string, string>> ReadAllAsync(KestrelAppFactory app, (string Email, string Token, int Attempt, int Questions)[] students)
    {
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        using var teacher = As(app, Roles.Teacher);
        foreach (var path in _teacherReads)
        {
            var response = await teacher.GetAsync(path);
            answers[path] = $"{(int)response.StatusCode} {Local(app, await response.Content.ReadAsStringAsync())}";
        }

        foreach (var student in students)
        {
            using var client = new HttpClient { BaseAddress = new Uri(app.RootUrl) }.WithAuthorization("Token", student.Token);
            foreach (var path in new[] { "/api/quizzes/", $"/api/attempts/{student.Attempt}/" })
            {
                var response = await client.GetAsync(path);
                answers[$"{student.Email} {path}"] = $"{(int)response.StatusCode} {Local(app, await response.Content.ReadAsStringAsync())}";
            }
        }

        return answers;
    }

    [Fact]
    public async Task DemoSchoolWithAttempts_MovesEveryRow_AndTheAppOnPostgreSQL_AnswersAsOnSqlite()
    {
        using var data = new TempDirectory();
        var students = await QuizWithAnsweredAttemptsAsync(data.Path);
        Dictionary<string, string> before;
        using (var onSqlite = new KestrelAppFactory(data.Path, 0))
        {
            before = await ReadAllAsync(onSqlite, students);
        }

        var connection = await server.CreateDatabaseAsync();
        var (exitCode, output, error) = await ConsoleOutput.CaptureAsync(() =>
            MigrateCommand.RunAsync(["--to", "postgresql", "--connection", connection, "--data-dir", data.Path]));

        Assert.True(exitCode == 0, error + output);
        Assert.Contains("every table and the questions' checksum agree", output);
        Assert.Contains("EduLoop__Database__Provider=PostgreSQL", output);
        Assert.DoesNotContain("DIFFERENT", output);
        Assert.Matches(@"Questions\s+2,000 → +2,000", output);
        Assert.Matches(@"AttemptQuestions\s+20 → +20", output);

        var settings = new Dictionary<string, string>
        {
            [DatabaseSettings.ProviderKey] = "PostgreSQL",
            ["ConnectionStrings:" + DatabaseSettings.ConnectionStringName] = connection,
        };
        using var onPostgres = new KestrelAppFactory(data.Path, 0, demoData: false, settings);
        var after = await ReadAllAsync(onPostgres, students);
        foreach (var (read, answer) in before)
        {
            Assert.True(answer == after[read], $"{read} answered differently after the move:\nSQLite:     {Around(answer, after[read])}\nPostgreSQL: {Around(after[read], answer)}");
        }

        // The school goes on: a student still in the quiz saves an answer, and a new account gets the next number.
        var last = students[^1];
        using var student = new HttpClient { BaseAddress = new Uri(onPostgres.RootUrl) }.WithAuthorization("Token", last.Token);
        var saved = await student.PutAsync($"/api/attempts/{last.Attempt}/answers/{last.Questions}/",
            new StringContent("""{"response":"1","sequence":2}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        using var admin = As(onPostgres, Roles.Admin);
        var created = await admin.PostJsonAsync("/api/users/", """{"username":"new.teacher","email":"new.teacher@school.example","password":"a long new password","confirm_password":"a long new password","is_staff":true}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True((await created.JsonAsync()).GetProperty("id").GetInt32() > students.Length + 3);
        Assert.Empty(onPostgres.Failures.Entries);
    }

    /// <summary>A client of the app on its port, signed in as the first account of the role.</summary>
    private static HttpClient As(KestrelAppFactory app, string role)
    {
        var client = new HttpClient { BaseAddress = new Uri(app.RootUrl) };
        client.DefaultRequestHeaders.Add(TestAuthHandler.RoleHeader, role);
        return client;
    }

    /// <summary>An answer without the server's own address (each app has its port), which the API's links start with.</summary>
    private static string Local(KestrelAppFactory app, string body) => body.Replace(app.RootUrl, "/", StringComparison.Ordinal);

    /// <summary>The text around the first character where <paramref name="text"/> and <paramref name="other"/> differ.</summary>
    private static string Around(string text, string other)
    {
        var at = 0;
        while (at < text.Length && at < other.Length && text[at] == other[at])
        {
            at++;
        }

        var start = Math.Max(0, at - 150);
        return "…" + text[start..Math.Min(text.Length, at + 250)] + "…";
    }

    [Fact]
    public async Task ATargetThatIsNotEmpty_IsRefused_AndNothingIsWritten()
    {
        using var data = new TempDirectory();
        using (new KestrelAppFactory(data.Path, 0, demoData: false))
        {
        }

        var connection = await server.CreateDatabaseAsync();
        var (first, output, firstError) = await ConsoleOutput.CaptureAsync(() =>
            MigrateCommand.RunAsync(["--to", "postgresql", "--connection", connection, "--data-dir", data.Path]));
        Assert.True(first == 0, firstError + output);
        await using (var db = new NpgsqlConnection(connection))
        {
            await db.OpenAsync();
            await using var clear = new NpgsqlCommand("TRUNCATE \"AspNetUsers\", \"AccountNumbers\" CASCADE; INSERT INTO \"Tags\" (\"Name\") VALUES ('only here')", db);
            await clear.ExecuteNonQueryAsync();
        }

        var (exitCode, _, error) = await ConsoleOutput.CaptureAsync(() =>
            MigrateCommand.RunAsync(["--to", "postgresql", "--connection", connection, "--data-dir", data.Path]));

        Assert.Equal(2, exitCode);
        Assert.Contains("already holds", error);
        Assert.Contains("Nothing was written", error);
        await using var check = new NpgsqlConnection(connection);
        await check.OpenAsync();
        await using var tags = new NpgsqlCommand("SELECT string_agg(\"Name\", ',') FROM \"Tags\"", check);
        Assert.Equal("only here", await tags.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData(new[] { "--to", "mysql", "--connection", "Host=x" }, "The only target is PostgreSQL")]
    [InlineData(new[] { "--to", "postgresql" }, "--connection is empty")]
    [InlineData(new[] { "--to", "postgresql", "--connection", "Hots=x;Nonsense" }, "is not a PostgreSQL connection string")]
    [InlineData(new[] { "--to", "postgresql", "--connection", "Host=x", "--data-dir", "/nonexistent/eduloop" }, "There is no school database")]
    [InlineData(new[] { "--to", "postgresql", "--wrong", "x" }, "Unknown or invalid argument")]
    public async Task BadArguments_ExitTwo_WithTheReason(string[] args, string reason)
    {
        var (exitCode, _, error) = await ConsoleOutput.CaptureAsync(() => MigrateCommand.RunAsync(args));

        Assert.Equal(2, exitCode);
        Assert.Contains(reason, error);
    }

    [Fact]
    public async Task AnUnreachableServer_ExitsTwo_SayingNothingWasWritten()
    {
        using var data = new TempDirectory();
        using (new KestrelAppFactory(data.Path, 0, demoData: false))
        {
        }

        var unreachable = new NpgsqlConnectionStringBuilder(server.ConnectionString()) { Port = 1, Timeout = 2 }.ConnectionString;
        var (exitCode, _, error) = await ConsoleOutput.CaptureAsync(() =>
            MigrateCommand.RunAsync(["--to", "postgresql", "--connection", unreachable, "--data-dir", data.Path]));

        Assert.Equal(2, exitCode);
        Assert.Contains("Nothing was written", error);
    }
}
