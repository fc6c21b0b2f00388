using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

using EduLoop.Domain.Classes;
using EduLoop.Domain.Data;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.E2E;
using EduLoop.Tests.Infrastructure;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace EduLoop.Tests.Scaling;

/// <summary>
/// A school as deploy/ installs it: two published EduLoop servers started from the systemd unit, on
/// PostgreSQL and Redis, behind nginx with the site from deploy/. A student in Chromium takes a timed
/// quiz through nginx; the server holding the student's circuit is killed; nginx carries the student
/// to the other, which goes on with every acknowledged answer and the same deadline.
/// </summary>
public sealed partial class BehindNginxTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private const string Password = "student passphrase behind nginx";

    private readonly RedisServer _redis = new();
    private readonly TempDirectory _data = new();
    private readonly List<UnitServer> _servers = [];
    private NginxServer? _nginx;
    private string _database = "";

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        _database = await postgres.CreateDatabaseAsync();
        var app = await Deployed.AppAsync();
        var environment = Path.Combine(_data.Path, "eduloop.env");
        await File.WriteAllLinesAsync(environment,
        [
            "ASPNETCORE_ENVIRONMENT=Production",
            "EduLoop__Database__Provider=PostgreSQL",
            "ConnectionStrings__EduLoop=" + _database,
            "EduLoop__Redis=" + _redis.Configuration,
            "EduLoop__DemoData=false",
            "EduLoop__Admin__Email=" + TestAccounts.AdminEmail,
            "EduLoop__Admin__Password=" + TestAccounts.AdminPassword,
            "EduLoop__Metrics__AllowedNetworks=127.0.0.1",
        ]);
        var paths = new Dictionary<string, string>
        {
            ["/etc/eduloop/eduloop.env"] = environment,
            ["/opt/eduloop"] = app,
            ["/var/lib/eduloop"] = Path.Combine(_data.Path, "data"),
        };
        // One after the other, as a school's first start would: the first migrates, the second finds it done.
        foreach (var port in new[] { Deployed.FreePort(), Deployed.FreePort() })
        {
            _servers.Add(await UnitServer.StartAsync(port, paths));
        }

        _nginx = await NginxServer.StartAsync([.. _servers.Select(s => s.Port)]);
    }

    public async Task DisposeAsync()
    {
        if (_nginx is not null)
        {
            await _nginx.DisposeAsync();
        }

        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        await _redis.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task AStudentWhoseServerDies_GoesOnOnTheOther_WithEveryAcknowledgedAnswerAndTheSameDeadline()
    {
        var (quiz, email) = await SchoolAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _nginx!.Url, Locale = "en-GB" });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var responses = new List<string>();
        page.Response += (_, r) => responses.Add($"{r.Status} {r.Request.Method} {r.Url} {string.Join(" | ", r.Headers.Where(h => h.Key is "set-cookie" or "location").Select(h => h.Key + ": " + h.Value))}");
        try
        {
            await TakeTheQuizAsync(page, quiz, email);
        }
        catch (Exception e) when (e is TimeoutException or PlaywrightException)
        {
            throw new TimeoutException(
                $"{e.Message}{Environment.NewLine}Page {page.Url}: {await page.InnerTextAsync("body")}{Environment.NewLine}" +
                string.Join(Environment.NewLine, responses) + Environment.NewLine +
                string.Join(Environment.NewLine, _servers.Select(s => $"Server {s.Port}:{Environment.NewLine}{s.Log}")), e);
        }
    }

    private async Task TakeTheQuizAsync(IPage page, int quiz, string email)
    {
        await page.LoginAsync(email, Password);
        await page.ClickAsync("[data-testid=quiz-list] >> text=Quiz behind nginx");
        await page.WaitForInteractiveAsync();
        await page.ClickAsync("[data-testid=start]");
        await Expect(page.Locator("[data-testid=timer]")).ToHaveTextAsync(new Regex("^(20:00|19:[0-5]\\d)$"), new() { Timeout = 30_000 });
        await page.Locator("[data-testid=question-1] label", new() { HasText = "Paris" }).ClickAsync();
        await Expect(page.Locator("[data-testid=question-1] .take-question-state")).ToHaveTextAsync("Saved");
        var deadline = await DeadlineAsync(quiz);

        // The server this browser is pinned to, as nginx sees it: the page asks through its own cookie.
        var holder = await page.EvaluateAsync<string>("async () => (await (await fetch('/health/ready')).json()).server");
        var dying = _servers.Single(s => holder.EndsWith("-" + s.Port, StringComparison.Ordinal));
        await page.EvaluateAsync("() => window.beforeTheCrash = true");
        await dying.KillAsync();

        // Blazor finds its circuit gone, reconnects through nginx to the other server, is refused
        // there (the circuit lived on the dead one) and reloads the page, which the other server renders.
        await page.WaitForFunctionAsync("() => !window.beforeTheCrash && document.body?.dataset.interactive === 'true'", null, new() { Timeout = 60_000 });
        await Expect(page.Locator("[data-testid=question-1] input[type=radio]").First).ToBeCheckedAsync();
        var now = await page.EvaluateAsync<string>("async () => (await (await fetch('/health/ready')).json()).server");
        await Expect(page.Locator("[data-testid=timer]")).ToHaveTextAsync(new Regex("^(20:00|1\\d:[0-5]\\d)$"));
        await page.FillAsync("[data-testid=question-2] [data-testid=answer-text]", "Mars");
        await Expect(page.Locator("[data-testid=question-2] .take-question-state")).ToHaveTextAsync("Saved");

        Assert.NotEqual(holder, now);
        Assert.Equal(deadline, await DeadlineAsync(quiz));
        // The survivor holds the student's new circuit, and says so to a monitor on this machine.
        var survivor = _servers.Single(s => s != dying);
        using var monitor = new HttpClient();
        Assert.Matches(@"(?m)^eduloop_circuits_open(\{[^}]*\})? 1$", await monitor.GetStringAsync(survivor.Url + "metrics"));
        await using var db = await OpenAsync();
        var answers = await db.AttemptQuestions.Where(q => db.Attempts.Any(a => a.Id == q.AttemptId && a.QuizId == quiz))
            .OrderBy(q => q.Position).Select(q => q.Response).ToListAsync();
        Assert.Equal(2, answers.Count(a => a != null));
        Assert.Contains("Mars", answers[1]);
    }

    [Fact]
    public async Task TheTwoServers_ShareWritesSignInsAndTokens_AndSubmitEachOverdueAttemptOnce()
    {
        await SchoolAsync();
        var (first, second) = (_servers[0], _servers[1]);

        // A cookie from the first server's sign-in form is good on the second.
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(first.Url) };
        var signedIn = await browser.SignInAsync("teacher@nginx.test", Password);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal)).Split(';')[0];
        using var other = new HttpClient { BaseAddress = new Uri(second.Url) };
        other.DefaultRequestHeaders.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("api/current-user/")).StatusCode);

        // A token made on the first authenticates on the second; a write through the first is in the second's next (cached) read.
        using var anonymous = new HttpClient { BaseAddress = new Uri(first.Url) };
        var token = (await (await anonymous.PostJsonAsync("api/api-token-auth/", $$"""{"username":"teacher@nginx.test","password":"{{Password}}"}""")).JsonAsync())
            .GetProperty("token").GetString();
        using var writer = new HttpClient { BaseAddress = new Uri(first.Url) };
        using var reader = new HttpClient { BaseAddress = new Uri(second.Url) };
        writer.DefaultRequestHeaders.Add("Authorization", "Token " + token);
        reader.DefaultRequestHeaders.Add("Authorization", "Token " + token);
        Assert.DoesNotContain("Orchestra", await reader.GetStringAsync("api/groups/?page_size=100"));
        Assert.Equal(HttpStatusCode.Created, (await writer.PostJsonAsync("api/groups/", """{"name":"Orchestra"}""")).StatusCode);
        Assert.Contains("Orchestra", await reader.GetStringAsync("api/groups/?page_size=100"));

        // Both servers' overdue rounds run every 10 s: together they submit each attempt once.
        var overdue = await OverdueAttemptsAsync(20);
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (await StillInProgressAsync(overdue) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The overdue attempts were not all submitted within 45 s.");
            await Task.Delay(500);
        }

        // A round logs its count after its last submit, and the servers' output is read as it comes.
        int Submitted() => _servers.Sum(s => SubmittedCount().Matches(s.Log).Sum(m => int.Parse(m.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture)));
        while (Submitted() < 20 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal(20, Submitted());
    }

    [Fact]
    public async Task Nginx_PinsABrowserToOneServer_AndSpreadsBrowsersOverBoth()
    {
        var seen = new HashSet<string>();
        for (var browser = 0; browser < 16; browser++)
        {
            using var client = new HttpClient(new HttpClientHandler { UseCookies = true }) { BaseAddress = new Uri(_nginx!.Url) };
            var first = await ServerAsync(client);
            var again = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => ServerAsync(client)));

            Assert.All(again, server => Assert.Equal(first, server));
            seen.Add(first);
        }

        Assert.Equal(2, seen.Count);
    }

    private static async Task<string> ServerAsync(HttpClient client)
    {
        var response = await client.GetAsync("health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("server").GetString()!;
    }

    /// <summary>A teacher's timed quiz of two questions for a new student's class, written before the browser arrives.</summary>
    private async Task<(int Quiz, string Email)> SchoolAsync()
    {
        await using var school = await DomainDatabase.CreateAsync(Settings);
        var services = school.Services;
        var imported = await services.GetRequiredService<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes("""
            $CATEGORY: Quizzes/Behind nginx/Run

            ::Capital::What is the capital of France? {=Paris ~Lyon ~Nice}

            ::Planet::Which planet is called the red planet? {=Mars}
            """)), new ImportOptions { Duplicates = DuplicateHandling.Import }, null);
        Assert.Empty(imported.Errors);
        var users = services.GetRequiredService<UserAdminService>();
        var teacher = await users.CreateAsync(new NewUser("teacher@nginx.test", "Nginx Teacher", Roles.Teacher, Password));
        var email = "student@nginx.test";
        var student = await users.CreateAsync(new NewUser(email, "Nginx Student", Roles.Student, Password));
        var schoolClass = await services.GetRequiredService<ClassService>().CreateAsync("Class behind nginx", "");
        await using var db = await services.GetRequiredService<IDbContextFactory<EduLoopDbContext>>().CreateDbContextAsync();
        db.ClassMemberships.Add(new ClassMembership { SchoolClassId = schoolClass.Id, UserId = student.Id, JoinedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        var questions = await db.Questions.OrderBy(q => q.Id).Select(q => q.Id).ToListAsync();
        var quiz = await services.GetRequiredService<QuizService>().CreateAsync(
            new QuizDraft("Quiz behind nginx", [.. questions.Select(id => new SlotDraft(QuestionId: id))])
            {
                ClassIds = [schoolClass.Id],
                ShuffleChoices = false,
                TimeLimitMinutes = 20,
                Review = ReviewTime.Immediately,
            },
            teacher.Id);
        return (quiz, email);
    }

    /// <summary>Attempts past their deadline, one per quiz, of the student of <see cref="SchoolAsync"/>.</summary>
    private async Task<IReadOnlyList<int>> OverdueAttemptsAsync(int count)
    {
        await using var db = await OpenAsync();
        return await OverdueSchool.CreateAsync(db, "student@nginx.test", await db.Questions.OrderBy(q => q.Id).Select(q => q.Id).FirstAsync(), count);
    }

    private async Task<int> StillInProgressAsync(IReadOnlyList<int> ids)
    {
        await using var db = await OpenAsync();
        return await db.Attempts.CountAsync(a => ids.Contains(a.Id) && a.State == AttemptState.InProgress);
    }

    [GeneratedRegex(@"Submitted (?<count>\d+) overdue attempts")]
    private static partial Regex SubmittedCount();

    private DatabaseSettings Settings => new(DatabaseProvider.PostgreSQL, _database);

    private async Task<EduLoopDbContext> OpenAsync()
    {
        var options = new DbContextOptionsBuilder<EduLoopDbContext>()
            .UseNpgsql(_database, o => o.MigrationsAssembly(DatabaseSettings.PostgresMigrationsAssembly)).Options;
        var db = new EduLoopDbContext(options);
        await db.Database.OpenConnectionAsync();
        return db;
    }

    private async Task<DateTime?> DeadlineAsync(int quiz)
    {
        await using var db = await OpenAsync();
        return await db.Attempts.Where(a => a.QuizId == quiz).Select(a => a.Deadline).SingleAsync();
    }
}
