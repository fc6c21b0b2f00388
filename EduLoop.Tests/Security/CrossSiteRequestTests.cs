using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Security;

/// <summary>
/// Cross-site request forgery against the API, as a browser would send it for a page elsewhere: the
/// admin's real sign-in cookie rides along, the page can set neither the request token nor its own
/// Origin. Every such write is refused and writes nothing; EduLoop's own pages and API callers pass.
/// </summary>
public sealed partial class CrossSiteRequestTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    private const string NewAdmin =
        """{"username": "EMAIL", "email": "EMAIL", "password": "a long enough passphrase", "confirm_password": "a long enough passphrase", "role": "admin"}""";

    /// <summary>A browser signed in as the admin through the real form.</summary>
    private async Task<HttpClient> SignedInAdminAsync()
    {
        var browser = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var response = await browser.SubmitFormAsync("/Account/Login", new Dictionary<string, string>
        {
            ["Input.Email"] = TestAccounts.AdminEmail,
            ["Input.Password"] = TestAccounts.AdminPassword,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    private static HttpRequestMessage NewAdminRequest(string email, string contentType, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/users/")
        {
            Content = new StringContent(NewAdmin.Replace("EMAIL", email, StringComparison.Ordinal), Encoding.UTF8),
        };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private async Task<bool> ExistsAsync(string email)
    {
        await using var db = app.CreateDbContext();
        return await db.Users.AnyAsync(u => u.Email == email);
    }

    public static TheoryData<string, string, string, string> Forgeries() => new()
    {
        // What fetch(..., {mode: 'no-cors', credentials: 'include'}) sends from another port of this host.
        { "text/plain;charset=UTF-8", "http://localhost:5001", "same-site", "another port" },
        { "application/json", "http://localhost:5001", "same-site", "another port, json" },
        // From another site.
        { "text/plain;charset=UTF-8", "https://evil.example", "cross-site", "another site" },
        { "application/x-www-form-urlencoded", "https://evil.example", "cross-site", "a plain html form" },
        { "application/json", "null", "cross-site", "a sandboxed frame" },
        // An old browser that sends neither header: the missing request token still gives it away.
        { "application/json", "", "", "no headers at all" },
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task ACookieSignedInWrite_FromAnotherOriginOrPort_IsRefused_AndWritesNothing(string contentType, string origin, string site, string from)
    {
        var browser = await SignedInAdminAsync();
        var email = $"forged-{Guid.NewGuid():N}@evil.test";
        var headers = new List<(string, string)>();
        if (origin.Length > 0)
        {
            headers.Add(("Origin", origin));
        }

        if (site.Length > 0)
        {
            headers.Add(("Sec-Fetch-Site", site));
        }

        var response = await browser.SendAsync(NewAdminRequest(email, contentType, [.. headers]));

        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{from}: {response.StatusCode}");
        Assert.StartsWith("CSRF Failed", (await response.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(await ExistsAsync(email));
    }

    [Theory]
    [InlineData("DELETE", "/api/current-user/")]
    [InlineData("PATCH", "/api/current-user/")]
    [InlineData("POST", "/api/token-generate/")]
    [InlineData("DELETE", "/api/dashboard/question/1/")]
    public async Task EveryUnsafeMethod_IsChecked(string method, string path)
    {
        var browser = await SignedInAdminAsync();
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Origin", "http://localhost:5001");

        var response = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await using var db = app.CreateDbContext();
        Assert.True(await db.Users.AnyAsync(u => u.Email == TestAccounts.AdminEmail));
        Assert.True(await db.Questions.AnyAsync(q => q.Id == 1));
    }

    [Fact]
    public async Task EduLoopsOwnPage_WritesWithItsRequestToken()
    {
        var browser = await SignedInAdminAsync();
        var page = await (await browser.GetAsync("/")).Content.ReadAsStringAsync();
        var token = RequestToken().Match(page).Groups[1].Value;
        Assert.NotEmpty(token);
        var email = $"made-{Guid.NewGuid():N}@school.test";
        var own = app.Server.BaseAddress.GetLeftPart(UriPartial.Authority);

        var response = await browser.SendAsync(NewAdminRequest(email, "application/json",
            ("RequestVerificationToken", System.Net.WebUtility.HtmlDecode(token)), ("Origin", own), ("Sec-Fetch-Site", "same-origin")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(await ExistsAsync(email));
    }

    [Fact]
    public async Task ARequestToken_FromAnotherUsersPage_DoesNotPass()
    {
        var other = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await other.SubmitFormAsync("/Account/Login", new Dictionary<string, string>
        {
            ["Input.Email"] = TestAccounts.StudentEmail,
            ["Input.Password"] = TestAccounts.StudentPassword,
        });
        var token = RequestToken().Match(await (await other.GetAsync("/")).Content.ReadAsStringAsync()).Groups[1].Value;
        Assert.NotEmpty(token);
        var email = $"stolen-{Guid.NewGuid():N}@school.test";

        var response = await (await SignedInAdminAsync()).SendAsync(NewAdminRequest(email, "application/json", ("RequestVerificationToken", System.Net.WebUtility.HtmlDecode(token))));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(await ExistsAsync(email));
    }

    [Fact]
    public async Task ATokenCaller_IsNotAskedForAnyOfIt_FromAnyOrigin()
    {
        var login = await app.CreateClient().PostJsonAsync("/api/api-token-auth/",
            $$"""{"username": "{{TestAccounts.AdminEmail}}", "password": "{{TestAccounts.AdminPassword}}"}""");
        var key = (await login.JsonAsync()).GetProperty("token").GetString()!;
        var email = $"scripted-{Guid.NewGuid():N}@school.test";

        var response = await app.CreateClient().WithAuthorization("Token", key)
            .SendAsync(NewAdminRequest(email, "application/json", ("Origin", "https://elsewhere.example"), ("Sec-Fetch-Site", "cross-site")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(await ExistsAsync(email));
    }

    /// <summary>
    /// A token caller may send a form, as the original's clients did (a page on another site cannot
    /// attach a token); a body that is neither JSON nor a form is refused from everyone.
    /// </summary>
    [Theory]
    [InlineData("text/plain")]
    [InlineData("")]
    public async Task AJsonRoute_RefusesABodyThatIsNotJson_With415_AndWritesNothing(string contentType)
    {
        var login = await app.CreateClient().PostJsonAsync("/api/api-token-auth/",
            $$"""{"username": "{{TestAccounts.AdminEmail}}", "password": "{{TestAccounts.AdminPassword}}"}""");
        var key = (await login.JsonAsync()).GetProperty("token").GetString()!;
        var email = $"typed-{Guid.NewGuid():N}@school.test";
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(NewAdmin.Replace("EMAIL", email, StringComparison.Ordinal)));
        if (contentType.Length > 0)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        var response = await app.CreateClient().WithAuthorization("Token", key).PostAsync("/api/users/", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.False(await ExistsAsync(email));
    }

    /// <summary>
    /// A form is what a page on another site can post without a preflight: a caller signed in by the
    /// cookie must send JSON, even with every other proof of EduLoop's own page.
    /// </summary>
    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task ACookieCaller_CannotWriteWithAForm_EvenFromEduLoopsOwnPage(string contentType)
    {
        var browser = await SignedInAdminAsync();
        var token = System.Net.WebUtility.HtmlDecode(RequestToken().Match(await (await browser.GetAsync("/")).Content.ReadAsStringAsync()).Groups[1].Value);
        var email = $"form-{Guid.NewGuid():N}@school.test";
        var own = app.Server.BaseAddress.GetLeftPart(UriPartial.Authority);

        var response = await browser.SendAsync(NewAdminRequest(email, contentType,
            ("RequestVerificationToken", token), ("Origin", own), ("Sec-Fetch-Site", "same-origin")));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.False(await ExistsAsync(email));
    }

    [Fact]
    public async Task ATokenCaller_MayWriteWithAForm_AsTheOriginalsClientsDid()
    {
        var login = await app.CreateClient().PostJsonAsync("/api/api-token-auth/",
            $$"""{"username": "{{TestAccounts.AdminEmail}}", "password": "{{TestAccounts.AdminPassword}}"}""");
        var key = (await login.JsonAsync()).GetProperty("token").GetString()!;
        var name = $"Form group {Guid.NewGuid():N}";

        var response = await app.CreateClient().WithAuthorization("Token", key)
            .PostAsync("/api/groups/", new FormUrlEncodedContent([new("name", name)]));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(name, (await response.JsonAsync()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task ThePublicUrlsOrigin_IsEduLoopsOwn_ButNoOtherIs()
    {
        await using var behindProxy = new PublicUrlAppFactory();
        var browser = behindProxy.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await browser.SubmitFormAsync("/Account/Login", new Dictionary<string, string>
        {
            ["Input.Email"] = TestAccounts.AdminEmail,
            ["Input.Password"] = TestAccounts.AdminPassword,
        });
        var token = System.Net.WebUtility.HtmlDecode(RequestToken().Match(await (await browser.GetAsync("/")).Content.ReadAsStringAsync()).Groups[1].Value);
        var (made, forged) = ($"proxied-{Guid.NewGuid():N}@school.test", $"forged-{Guid.NewGuid():N}@evil.test");

        var own = await browser.SendAsync(NewAdminRequest(made, "application/json", ("RequestVerificationToken", token), ("Origin", PublicUrlAppFactory.Origin)));
        var other = await browser.SendAsync(NewAdminRequest(forged, "application/json", ("RequestVerificationToken", token), ("Origin", "https://evil.example")));

        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        await using var db = behindProxy.CreateDbContext();
        Assert.True(await db.Users.AnyAsync(u => u.Email == made));
        Assert.False(await db.Users.AnyAsync(u => u.Email == forged));
    }

    [GeneratedRegex("<meta name=\"eduloop-request-token\" content=\"([^\"]+)\"")]
    private static partial Regex RequestToken();
}

/// <summary>The app at a public address a proxy serves it under, the proxy not declared: its requests look like plain http.</summary>
public sealed class PublicUrlAppFactory : EduLoopAppFactory
{
    public const string Origin = "https://school.example";

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("EduLoop:PublicUrl", Origin + "/eduloop");
    }
}
