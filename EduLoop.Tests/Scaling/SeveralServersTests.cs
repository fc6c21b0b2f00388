using System.Net;
using System.Text.Json;

using EduLoop.App.Hosting;
using EduLoop.Domain.Data;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Quizzes;
using EduLoop.Domain.Settings;
using EduLoop.Tests.Infrastructure;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Scaling;

/// <summary>
/// Two EduLoop servers on one PostgreSQL database and one Redis server, on real Kestrel ports: what
/// one server writes, changes or issues holds on the other at once. Each test gets its own database
/// and Redis server, so no test's cache or budget reaches another's.
/// </summary>
public sealed class SeveralServersTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private readonly RedisServer _redis = new();
    private KestrelAppFactory? _first;
    private KestrelAppFactory? _second;

    private KestrelAppFactory First => _first!;
    private KestrelAppFactory Second => _second!;

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        var database = await postgres.CreateDatabaseAsync();
        // One after the other, as systemd starts them: the first migrates and seeds, the second finds it done.
        _first = Server(database, "first", _redis.Configuration);
        _second = Server(database, "second", _redis.Configuration);
    }

    public async Task DisposeAsync()
    {
        if (_second is not null)
        {
            await _second.DisposeAsync();
        }

        if (_first is not null)
        {
            await _first.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task AWriteThroughOneServer_IsInTheOthersNextRead()
    {
        var reader = Teacher(Second);
        var before = await reader.GetStringAsync("api/groups/?page_size=100");

        var created = await Teacher(First).PostJsonAsync("api/groups/", """{"name":"Orchestra"}""");
        var after = await reader.GetStringAsync("api/groups/?page_size=100");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.DoesNotContain("Orchestra", before);
        Assert.Contains("Orchestra", after);
    }

    [Fact]
    public async Task TwoServersStartingTogether_OnAnEmptyDatabase_MigrateAndSeedItOnce()
    {
        var database = await postgres.CreateDatabaseAsync();

        var servers = await Task.WhenAll(
            Task.Run(() => Server(database, "together-1", _redis.Configuration)),
            Task.Run(() => Server(database, "together-2", _redis.Configuration)));
        try
        {
            await using var db = servers[0].CreateDbContext();
            var migrations = await db.Database.SqlQueryRaw<string>("""SELECT "MigrationId" AS "Value" FROM "__EFMigrationsHistory" """).ToListAsync();
            Assert.Equal(migrations.Count, migrations.Distinct().Count());
            Assert.Equal(1, await db.Users.CountAsync(u => u.Email == TestAccounts.TeacherEmail));
            Assert.Equal(1, await db.Users.CountAsync(u => u.Email == TestAccounts.AdminEmail));
            foreach (var server in servers)
            {
                Assert.Empty(server.Failures.Entries);
                Assert.Equal(HttpStatusCode.OK, (await new HttpClient().GetAsync(server.RootUrl + "health/ready")).StatusCode);
            }
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task WithoutRedis_TheOtherServerServesItsCachedPage()
    {
        // What the shared generations prevent: the same two servers without Redis.
        var database = await postgres.CreateDatabaseAsync();
        await using var first = Server(database, "alone-1", redis: null);
        await using var second = Server(database, "alone-2", redis: null);
        var reader = Teacher(second);
        await reader.GetStringAsync("api/groups/?page_size=100");

        await Teacher(first).PostJsonAsync("api/groups/", """{"name":"Orchestra"}""");

        Assert.DoesNotContain("Orchestra", await reader.GetStringAsync("api/groups/?page_size=100"));
    }

    [Fact]
    public async Task ASignInCookieFromOneServer_IsAcceptedByTheOther()
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(First.RootUrl) };
        var signedIn = await browser.SignInAsync(TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal)).Split(';')[0];

        using var other = new HttpClient { BaseAddress = new Uri(Second.RootUrl) };
        other.DefaultRequestHeaders.Add("Cookie", cookie);
        var me = await other.GetAsync("api/current-user/");

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(TestAccounts.TeacherEmail, (await me.JsonAsync()).GetProperty("email").GetString());
    }

    [Fact]
    public async Task ATokenFromOneServer_AuthenticatesOnTheOther_UntilThePasswordIsResetOnTheFirst()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(First.RootUrl) };
        var signIn = await anonymous.PostJsonAsync("api/api-token-auth/", $$"""{"username":"{{TestAccounts.TeacherEmail}}","password":"{{TestAccounts.TeacherPassword}}"}""");
        var token = (await signIn.JsonAsync()).GetProperty("token").GetString();
        using var robot = new HttpClient { BaseAddress = new Uri(Second.RootUrl) };
        robot.DefaultRequestHeaders.Add("Authorization", "Token " + token);
        var before = await robot.GetAsync("api/current-user/");

        await using (var scope = First.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserAdminService>();
            var teacher = (await users.ListAsync(TestAccounts.TeacherEmail)).Single();
            await users.ResetPasswordAsync(teacher.Id, "a brand new passphrase");
        }

        var after = await robot.GetAsync("api/current-user/");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task SignInBudgets_AreSharedByTheServers()
    {
        var throttled = new Dictionary<string, string> { ["EduLoop:Api:Throttling:Enabled"] = "true", ["EduLoop:Api:Throttling:LoginPerMinute"] = "3" };
        var database = await postgres.CreateDatabaseAsync();
        await using var first = Server(database, "budget-1", _redis.Configuration, throttled);
        await using var second = Server(database, "budget-2", _redis.Configuration, throttled);
        var body = """{"username":"nobody@example.org","password":"wrong password"}""";

        var statuses = new List<HttpStatusCode>();
        foreach (var server in new[] { first, second, first, second })
        {
            using var client = new HttpClient { BaseAddress = new Uri(server.RootUrl) };
            statuses.Add((await client.PostJsonAsync("api/api-token-auth/", body)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task TheOverdueRounds_OfBothServers_SubmitEachAttemptOnce()
    {
        var services = new[] { First.GetService<OverdueAttempts>(), Second.GetService<OverdueAttempts>() };
        // Both servers' own timers run too (every 10 s): what every round of either submitted is counted.
        var before = services.Sum(s => s.Submitted);
        var ids = await OverdueAttemptsAsync(First, 40);

        await Task.WhenAll(services.Concat(services).Select(s => s.RunOnceAsync(CancellationToken.None)));

        // A timer's round that claimed an attempt may still be finishing it (its count comes at its end).
        await Eventually(() => services.Sum(s => s.Submitted) - before >= ids.Count);
        Assert.Equal(ids.Count, services.Sum(s => s.Submitted) - before);
        await using var db = First.CreateDbContext();
        Assert.All(await db.Attempts.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(a => a.State).ToListAsync(), state => Assert.Equal(AttemptState.Graded, state));
    }

    [Fact]
    public async Task SettingsSavedOnOneServer_ReachTheOther()
    {
        var settings = First.GetService<SchoolSettingsService>();
        await settings.SaveAsync(settings.Current with { SchoolName = "Riverside Academy" });

        var other = Second.GetService<SchoolSettingsService>();
        await Eventually(() => other.Current.SchoolName == "Riverside Academy");
        var page = await new HttpClient { BaseAddress = new Uri(Second.RootUrl) }.GetStringAsync("Account/Login");
        Assert.Contains("Riverside Academy", page);
    }

    [Fact]
    public async Task AnAccountDeactivatedOnOneServer_IsRefusedByTheOtherAtOnce()
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(Second.RootUrl) };
        await browser.SignInAsync(TestAccounts.StudentEmail, TestAccounts.StudentPassword);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("api/current-user/")).StatusCode);

        await using (var scope = First.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserAdminService>();
            var student = (await users.ListAsync(TestAccounts.StudentEmail)).Single();
            var admin = (await users.ListAsync(TestAccounts.AdminEmail)).Single();
            await users.SetActiveAsync(student.Id, false, admin.Id);
        }

        // Long before the 30 seconds a server trusts what it read of an account.
        await Eventually(async () => (await browser.GetAsync("api/current-user/")).StatusCode == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Ready_NamesTheServerAndItsChecks_AndReadsGoOnWithoutRedis()
    {
        using var client = new HttpClient { BaseAddress = new Uri(First.RootUrl) };
        var ready = await client.GetAsync("health/ready");
        var body = await ready.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("first", body.GetProperty("server").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("redis").GetString());

        await _redis.StopAsync();
        var down = await client.GetAsync("health/ready");
        var teacher = Teacher(First);
        var created = await teacher.PostJsonAsync("api/groups/", """{"name":"Without Redis"}""");
        var list = await teacher.GetStringAsync("api/groups/?page_size=100");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("Unhealthy", (await down.JsonAsync()).GetProperty("checks").GetProperty("redis").GetString());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains("Without Redis", list);

        await _redis.StartAsync();
        await Eventually(async () => (await client.GetAsync("health/ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        // A write made while Redis was away reaches the other server's cache once it is back.
        Assert.Contains("Without Redis", await Teacher(Second).GetStringAsync("api/groups/?page_size=100"));
    }

    private KestrelAppFactory Server(string database, string name, string? redis, IReadOnlyDictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>
        {
            [DatabaseSettings.ProviderKey] = "PostgreSQL",
            ["ConnectionStrings:" + DatabaseSettings.ConnectionStringName] = database,
            ["EduLoop:ServerName"] = name,
        };
        if (redis is not null)
        {
            settings["EduLoop:Redis"] = redis;
        }

        foreach (var (key, value) in more ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return new KestrelAppFactory(settings);
    }

    private static HttpClient Teacher(KestrelAppFactory server)
    {
        var client = new HttpClient { BaseAddress = new Uri(server.RootUrl) };
        client.DefaultRequestHeaders.Add(TestAuthHandler.RoleHeader, Roles.Teacher);
        return client;
    }

    private static async Task<IReadOnlyList<int>> OverdueAttemptsAsync(KestrelAppFactory server, int count)
    {
        await using var db = server.CreateDbContext();
        return await OverdueSchool.CreateAsync(db, TestAccounts.StudentEmail, 1, count);
    }

    private static Task Eventually(Func<bool> condition) => Eventually(() => Task.FromResult(condition()), TimeSpan.FromSeconds(5));

    private static async Task Eventually(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not so within {within.TotalSeconds} s.");
            await Task.Delay(50);
        }
    }
}
