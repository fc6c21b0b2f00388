using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

using EduLoop.App.Hosting;
using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;

using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Security;

/// <summary>The headers on pages and API answers, read off the real pipeline.</summary>
public sealed partial class SecurityHeadersTests(LocalProxyAppFactory app) : IClassFixture<LocalProxyAppFactory>
{
    [Theory]
    [InlineData("/", null)]
    [InlineData("/Account/Login", null)]
    [InlineData("/Account/Register", null)]
    [InlineData("/no/such/page", null)]
    [InlineData("/", Roles.Admin)]
    [InlineData("/bank", Roles.Teacher)]
    [InlineData("/quizzes", Roles.Teacher)]
    [InlineData("/", Roles.Student)]
    [InlineData("/practice", Roles.Student)]
    public async Task Pages_AnyRole_CarryThePolicyAndNoInlineScript(string path, string? role)
    {
        var client = role is null ? app.CreateClient(new() { AllowAutoRedirect = false }) : app.CreateClientAs(role);

        var response = await client.GetAsync(path);

        Assert.Equal(SecurityHeaders.PagePolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<script", html, StringComparison.Ordinal);
        Assert.Empty(InlineScript().Matches(html));
    }

    [Fact]
    public void PagePolicy_ScriptSource_IsThisSiteOnly()
    {
        var directives = SecurityHeaders.PagePolicy.Split(';', StringSplitOptions.TrimEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ')[1..]);

        Assert.Equal(["'self'"], directives["script-src"]);
        Assert.Equal(["'none'"], directives["object-src"]);
        Assert.Equal(["'self'"], directives["base-uri"]);
        Assert.Equal(["'self'"], directives["frame-ancestors"]);
        Assert.Equal(["'self'"], directives["connect-src"]);
        Assert.Equal(["'self'", "data:"], directives["img-src"]);
    }

    [Fact]
    public async Task StaticFiles_CarryNoSniff()
    {
        var response = await app.CreateClient().GetAsync("/assets/js/eduloop.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task ApiReference_Page_AllowsExactlyItsOwnInlineScriptsByHash()
    {
        var response = await app.CreateClient().GetAsync("/api/docs/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var scriptSources = policy.Split(';', StringSplitOptions.TrimEntries).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal)).Split(' ')[1..];
        var inline = InlineScript().Matches(html).Select(m => m.Groups["code"].Value).ToList();
        Assert.NotEmpty(inline);
        Assert.Equal(
            ["'self'", .. inline.Select(code => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(code)))}'")],
            scriptSources);
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hsts_HttpsThroughTheLocalProxy_IsSent()
    {
        var context = await SendAsync("/Account/Login", IPAddress.Loopback, forwardedProto: "https");

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.StartsWith("max-age=", context.Response.Headers.StrictTransportSecurity.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("203.0.113.9", "https")]
    [InlineData("127.0.0.1", null)]
    public async Task Hsts_NotHttpsOrForwardedByAStranger_IsNotSent(string remote, string? forwardedProto)
    {
        var context = await SendAsync("/Account/Login", IPAddress.Parse(remote), forwardedProto);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("Strict-Transport-Security"));
    }

    [Theory]
    [InlineData("cookie")]
    [InlineData("token")]
    [InlineData("access key")]
    public async Task Api_SignedInCaller_GetsNoStore(string credential)
    {
        var client = await ClientWithAsync(credential);

        foreach (var path in new[] { "/api/groups/", "/api/subcategories/?page_size=2", "/api/categories/list/?page=2&page_size=1" })
        {
            var response = await client.GetAsync(path);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        }
    }

    [Fact]
    public async Task Api_SignedInCallerOutsideTheListCache_GetsNoStore()
    {
        var client = await ClientWithAsync("token");

        var response = await client.GetAsync("/api/current-user/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Api_SignedInCallerWithETag_GetsNotModifiedStillNoStore()
    {
        var client = app.CreateClientAs(Roles.Teacher);
        var first = await client.GetAsync("/api/groups/");

        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/groups/");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var response = await client.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Api_AnonymousList_KeepsNoCacheWithETag()
    {
        var response = await app.CreateClient().GetAsync("/api/groups/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Api_Errors_CarryNoSniff()
    {
        var response = await app.CreateClient().PostAsync("/api/groups/", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    private async Task<HttpClient> ClientWithAsync(string credential)
    {
        switch (credential)
        {
            case "cookie":
                var browser = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
                var signIn = await browser.SubmitFormAsync("/Account/Login", new Dictionary<string, string>
                {
                    ["Input.Email"] = TestAccounts.TeacherEmail,
                    ["Input.Password"] = TestAccounts.TeacherPassword,
                });
                Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
                return browser;
            case "token":
                var login = await app.CreateClient().PostJsonAsync("/api/api-token-auth/", $$"""{"username":"{{TestAccounts.TeacherEmail}}","password":"{{TestAccounts.TeacherPassword}}"}""");
                return app.CreateClient().WithAuthorization("Token", (await login.JsonAsync()).GetProperty("token").GetString()!);
            default:
                await using (var db = app.CreateDbContext())
                {
                    var key = await db.AccessKeys.Where(k => k.IsActive && k.SchoolClassId != null).Select(k => k.Key).FirstAsync();
                    return app.CreateClient().WithAuthorization("AccessKey", key);
                }
        }
    }

    /// <summary>A request as it reaches Kestrel from <paramref name="remote"/>, for what depends on the connection.</summary>
    private Task<HttpContext> SendAsync(string path, IPAddress remote, string? forwardedProto) =>
        app.Server.SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Get;
            context.Request.Path = path;
            context.Request.Host = new HostString("school.example");
            context.Connection.RemoteIpAddress = remote;
            if (forwardedProto is not null)
            {
                context.Request.Headers["X-Forwarded-For"] = "198.51.100.7";
                context.Request.Headers["X-Forwarded-Proto"] = forwardedProto;
            }
        });

    /// <summary>A <c>&lt;script&gt;</c> element without <c>src</c>: an inline script.</summary>
    [GeneratedRegex(@"<script\b(?![^>]*\bsrc\s*=)[^>]*>(?<code>.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}

/// <summary>The app behind a declared reverse proxy on this machine: forwarded headers from loopback count.</summary>
public sealed class LocalProxyAppFactory : EduLoopAppFactory
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("EduLoop:ForwardedHeaders:Enabled", "true");
    }
}
