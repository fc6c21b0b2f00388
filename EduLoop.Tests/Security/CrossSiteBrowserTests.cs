using EduLoop.Tests.E2E;
using EduLoop.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace EduLoop.Tests.Security;

/// <summary>
/// The forgery as the probe made it, in Chromium: an admin signed in to EduLoop opens a page served
/// by another server — on another port of the same host, and on another host name — whose script
/// posts a new admin to <c>/api/users/</c> with <c>fetch(…, {mode: 'no-cors', credentials: 'include'})</c>
/// and with a plain form. Nothing is written. EduLoop's own page writes through <c>eduloop.api</c>.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CrossSiteBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private WebApplication? _attacker;
    private string _attackerPort = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _attacker = builder.Build();
        _attacker.MapGet("/{kind}", (string kind, string target, string email) => Results.Content(AttackPage(kind, target, email), "text/html"));
        await _attacker.StartAsync();
        _attackerPort = new Uri(_attacker.Urls.First()).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync()
    {
        if (_attacker is not null)
        {
            await _attacker.DisposeAsync();
        }
    }

    private static string AttackPage(string kind, string target, string email)
    {
        var body = $$"""{"username": "{{email}}", "email": "{{email}}", "password": "a long enough passphrase", "confirm_password": "a long enough passphrase", "role": "admin"}""";
        return kind == "form"
            ? $$"""
              <!DOCTYPE html><title>cats</title>
              <form id="f" method="post" action="{{target}}api/users/" enctype="text/plain">
                <input name='{"username": "{{email}}", "email": "{{email}}", "password": "a long enough passphrase", "confirm_password": "a long enough passphrase", "role": "admin", "x": "' value='"}'>
              </form>
              <script>document.getElementById("f").submit();</script>
              """
            : $$"""
              <!DOCTYPE html><title>cats</title>
              <script>
                fetch("{{target}}api/users/", { method: "POST", mode: "no-cors", credentials: "include",
                  headers: { "Content-Type": "text/plain" }, body: {{System.Text.Json.JsonSerializer.Serialize(body)}} })
                  .then(() => document.title = "sent", () => document.title = "failed");
              </script>
              """;
    }

    [Theory]
    [InlineData("127.0.0.1", "fetch")]
    [InlineData("127.0.0.1", "form")]
    [InlineData("localhost", "fetch")]
    [InlineData("localhost", "form")]
    public async Task APageOnAnotherPortOrHost_CannotCreateAnAdmin_WithTheSignedInAdminsCookie(string host, string kind)
    {
        var page = await browser.NewPageAsync();
        await page.LoginAsync(TestAccounts.AdminEmail, TestAccounts.AdminPassword);
        var email = $"forged-{Guid.NewGuid():N}@evil.test";
        var refused = new TaskCompletionSource<int>();
        page.Context.Response += (_, response) =>
        {
            if (response.Url.EndsWith("/api/users/", StringComparison.Ordinal))
            {
                refused.TrySetResult(response.Status);
            }
        };

        var target = browser.App.RootUrl;
        await page.GotoAsync($"http://{host}:{_attackerPort}/{kind}?target={Uri.EscapeDataString(target)}&email={Uri.EscapeDataString(email)}");

        // The request reached EduLoop (a no-cors response is opaque to the page, not to the test).
        var status = await refused.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(status is 401 or 403, $"answered {status}");
        await using var db = browser.App.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.Email == email));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task EduLoopsOwnPage_CreatesAUser_ThroughEduloopApi()
    {
        var page = await browser.NewPageAsync();
        await page.LoginAsync(TestAccounts.AdminEmail, TestAccounts.AdminPassword);
        var email = $"own-{Guid.NewGuid():N}@school.test";

        var status = await page.EvaluateAsync<int>(
            """
            async email => (await eduloop.api("/api/users/", { method: "POST", headers: { "Content-Type": "application/json" },
                body: JSON.stringify({ username: email, email, password: "a long enough passphrase", confirm_password: "a long enough passphrase", role: "teacher" }) })).status
            """,
            email);

        Assert.Equal(201, status);
        await using var db = browser.App.CreateDbContext();
        Assert.True(await db.Users.AnyAsync(u => u.Email == email));
        await page.Context.CloseAsync();
    }
}
