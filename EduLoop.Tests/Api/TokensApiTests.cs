using System.Net;
using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Api;

public sealed class TokensApiTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    [Fact]
    public async Task ApiTokenAuth_RightPassword_GivesAWorkingTokenEachTime_AndItAuthenticatesWrites()
    {
        var client = app.CreateClient();

        var first = await client.PostJsonAsync("/api/api-token-auth/", $$"""{"username":"{{TestAccounts.TeacherEmail}}","password":"{{TestAccounts.TeacherPassword}}"}""");
        var second = await client.PostJsonAsync("/api/api-token-auth/", $$"""{"username":"{{TestAccounts.TeacherEmail}}","password":"{{TestAccounts.TeacherPassword}}"}""");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var token = (await first.JsonAsync()).GetProperty("token").GetString()!;
        Assert.Matches("^[0-9a-f]{40}$", token);
        // Only hashes are stored, so a second sign-in cannot return the first key: it makes another (docs/decisions/0004-api-tokens-hashed.md).
        Assert.Matches("^[0-9a-f]{40}$", (await second.JsonAsync()).GetProperty("token").GetString()!);

        var write = await app.CreateClient().WithAuthorization("Token", token)
            .PostJsonAsync("/api/groups/", $$"""{"name":"By token {{Guid.NewGuid():N}}"}""");
        Assert.Equal(HttpStatusCode.Created, write.StatusCode);
    }

    [Theory]
    [InlineData("""{"username":"teacher@eduloop.local","password":"wrong"}""", """{"non_field_errors":["Unable to log in with provided credentials."]}""")]
    [InlineData("""{"username":"nobody@school.test","password":"whatever"}""", """{"non_field_errors":["Unable to log in with provided credentials."]}""")]
    [InlineData("""{"username":"teacher@eduloop.local"}""", """{"password":["This field is required."]}""")]
    [InlineData("""{"username":"","password":""}""", """{"username":["This field may not be blank."],"password":["This field may not be blank."]}""")]
    public async Task ApiTokenAuth_BadCredentials_Are400(string body, string expected)
    {
        var response = await app.CreateClient().PostJsonAsync("/api/api-token-auth/", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AccessKey_AuthenticatesReads_ButNeverWrites()
    {
        var key = await ActiveKeyAsync();

        var read = await app.CreateClient().WithAuthorization("AccessKey", key).GetAsync("/api/groups/");
        var asToken = await app.CreateClient().WithAuthorization("Token", key).GetAsync("/api/groups/");
        var write = await app.CreateClient().WithAuthorization("AccessKey", key).PostJsonAsync("/api/groups/", """{"name":"Keyed"}""");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        // As the original: an access key goes with "AccessKey"; as a "Token" it is no token.
        Assert.Equal(HttpStatusCode.Unauthorized, asToken.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
    }

    [Theory]
    [InlineData("Token", "0000000000000000000000000000000000000000", "Invalid token.")]
    [InlineData("AccessKey", "99999999", "Ungültiges oder inaktives Token.")]
    [InlineData("AccessKey", "not-a-key", "Ungültiges oder inaktives Token.")]
    [InlineData("Token", "", "Invalid token header. No credentials provided.")]
    [InlineData("Token", "a b", "Invalid token header. Token string should not contain spaces.")]
    public async Task BadCredentials_Are401_EvenOnReads(string scheme, string value, string detail)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"{scheme} {value}".Trim());

        var response = await client.GetAsync("/api/groups/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($$"""{"detail":"{{detail}}"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OtherAuthorizationSchemes_AreIgnored()
    {
        var response = await app.CreateClient().WithAuthorization("Bearer", "abc").GetAsync("/api/groups/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TokenVerify_ActiveKey_Is200_OthersAre400()
    {
        var key = await ActiveKeyAsync();
        var client = app.CreateClient();

        var valid = await client.PostJsonAsync("/api/token-verify/", $$"""{"key":"{{key}}"}""");
        var invalid = await client.PostJsonAsync("/api/token-verify/", """{"key":"12345678"}""");
        var missing = await client.PostJsonAsync("/api/token-verify/", "{}");

        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.True((await valid.JsonAsync()).TryGetProperty("message", out _));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True((await invalid.JsonAsync()).TryGetProperty("error", out _));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Fact]
    public async Task DeactivatedUser_TokenStopsWorking()
    {
        var email = $"{Guid.NewGuid():N}@school.test";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdminService>().CreateAsync(new NewUser(email, "T", Roles.Teacher, "long enough passphrase"));
        }

        var token = (await (await app.CreateClient().PostJsonAsync("/api/api-token-auth/", $$"""{"username":"{{email}}","password":"long enough passphrase"}""")).JsonAsync())
            .GetProperty("token").GetString()!;
        await using (var db = app.CreateDbContext())
        {
            await db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false));
        }

        var response = await app.CreateClient().WithAuthorization("Token", token).GetAsync("/api/groups/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<string> ActiveKeyAsync()
    {
        await using var db = app.CreateDbContext();
        return await db.AccessKeys.Where(k => k.IsActive).Select(k => k.Key).FirstAsync();
    }
}

/// <summary>The app with tiny request budgets.</summary>
public sealed class ThrottledAppFactory : EduLoopAppFactory
{
    protected override bool DemoData => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("EduLoop:Api:Throttling:Enabled", "true");
        builder.UseSetting("EduLoop:Api:Throttling:AnonymousPerMinute", "3");
        builder.UseSetting("EduLoop:Api:Throttling:UserPerMinute", "5");
        builder.UseSetting("EduLoop:Api:Throttling:LoginPerMinute", "2");
    }
}

public sealed class ThrottlingTests(ThrottledAppFactory app) : IClassFixture<ThrottledAppFactory>
{
    [Fact]
    public async Task Anonymous_OverTheBudget_Gets429WithRetryAfter()
    {
        var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/groups/")).StatusCode);
        }

        var throttled = await client.GetAsync("/api/groups/");

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        var seconds = int.Parse(throttled.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 1, 60);
        Assert.Equal($$"""{"detail":"Request was throttled. Expected available in {{seconds}} seconds."}""", await throttled.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TokenAuth_HasItsOwnSmallerBudget()
    {
        var client = app.CreateClient();
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            codes.Add((await client.PostJsonAsync("/api/api-token-auth/", """{"username":"x@school.test","password":"wrong"}""")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], codes);
    }
}
