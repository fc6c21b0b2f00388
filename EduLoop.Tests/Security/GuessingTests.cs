using System.Net;
using System.Text.RegularExpressions;

using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EduLoop.Tests.Security;

/// <summary>
/// The app with the default guessing budgets (30 failed credentials a minute per address, 10 failed
/// sign-ins per account name in 15 minutes, 10 registrations a minute per address), a password hasher
/// that counts its checks, and no proxy declared. The request budgets are out of the way.
/// </summary>
public class GuessingAppFactory : EduLoopAppFactory
{
    public PasswordChecks Checks { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("EduLoop:Api:Throttling:Enabled", "true");
        builder.UseSetting("EduLoop:Api:Throttling:AnonymousPerMinute", "100000");
        builder.UseSetting("EduLoop:Api:Throttling:UserPerMinute", "100000");
        builder.UseSetting("EduLoop:Api:Throttling:LoginPerMinute", "100000");
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Scoped<IPasswordHasher<ApplicationUser>>(
            sp => new CountingPasswordHasher(new PasswordHasher<ApplicationUser>(sp.GetRequiredService<IOptions<PasswordHasherOptions>>()), Checks))));
    }
}

/// <summary>The same, behind a declared proxy at 192.0.2.10.</summary>
public sealed class ProxiedGuessingAppFactory : GuessingAppFactory
{
    public const string Proxy = "192.0.2.10";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("EduLoop:ForwardedHeaders:KnownProxies:0", Proxy);
    }
}

public sealed class PasswordChecks
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Add() => Interlocked.Increment(ref _count);
}

/// <summary>Identity's real hasher, counting how often a password is checked.</summary>
public sealed class CountingPasswordHasher(PasswordHasher<ApplicationUser> inner, PasswordChecks checks) : IPasswordHasher<ApplicationUser>
{
    public string HashPassword(ApplicationUser user, string password) => inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(ApplicationUser user, string hashedPassword, string providedPassword)
    {
        checks.Add();
        return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}

public sealed partial class GuessingTests(GuessingAppFactory app) : IClassFixture<GuessingAppFactory>
{
    private const string Throttled = "Request was throttled. Expected available in ";

    [Fact]
    public async Task AccessKey_1500WrongKeys_Get429WithRetryAfterWellBeforeTheEnd()
    {
        var client = app.CreateClient().From(ClientAddressExtensions.NewAddress());
        var codes = new List<HttpStatusCode>();
        HttpResponseMessage? first429 = null;
        for (var i = 0; i < 1500; i++)
        {
            var response = await client.SendAsync(WithAuthorization("AccessKey", (10_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            codes.Add(response.StatusCode);
            first429 ??= response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.Equal(30, codes.IndexOf(HttpStatusCode.TooManyRequests));
        Assert.All(codes.Skip(30), code => Assert.Equal(HttpStatusCode.TooManyRequests, code));
        await AssertThrottledAsync(first429!);
        // Over the budget even the right key is not checked: a right guess would tell nothing.
        var right = await client.SendAsync(WithAuthorization("AccessKey", await ActiveKeyAsync()));
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
    }

    [Fact]
    public async Task Token_WrongTokens_Get429WithRetryAfter()
    {
        var client = app.CreateClient().From(ClientAddressExtensions.NewAddress());
        var codes = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 100; i++)
        {
            last = await client.SendAsync(WithAuthorization("Token", Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + "abcdefgh"));
            codes.Add(last.StatusCode);
        }

        Assert.All(codes.Take(30), code => Assert.Equal(HttpStatusCode.Unauthorized, code));
        Assert.All(codes.Skip(30), code => Assert.Equal(HttpStatusCode.TooManyRequests, code));
        await AssertThrottledAsync(last!);
    }

    [Fact]
    public async Task TokenVerify_WrongKeys_Get429()
    {
        var client = app.CreateClient().From(ClientAddressExtensions.NewAddress());
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            codes.Add((await client.PostJsonAsync("/api/token-verify/", $$"""{"key":"{{20_000_000 + i}}"}""")).StatusCode);
        }

        Assert.Equal(30, codes.IndexOf(HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task FailedCredentials_OfEveryKind_ShareOneBudget()
    {
        var address = ClientAddressExtensions.NewAddress();
        var api = app.CreateClient().From(address);
        var browser = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true }).From(address);
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            codes.Add((await browser.SignInAsync($"form{i}@school.test", "wrong password")).StatusCode);
            codes.Add((await api.PostJsonAsync("/api/api-token-auth/", $$"""{"username":"api{{i}}@school.test","password":"wrong"}""")).StatusCode);
            codes.Add((await api.SendAsync(WithAuthorization("AccessKey", $"3000000{i}"))).StatusCode);
            codes.Add((await api.SendAsync(WithAuthorization("Token", new string('e', 39) + i))).StatusCode);
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, codes.Take(30));
        Assert.All(codes.Skip(30), code => Assert.Equal(HttpStatusCode.TooManyRequests, code));
    }

    [Fact]
    public async Task Login_OverTheAccountBudget_Gets429FromAnyAddress_KnownOrNot()
    {
        var known = await CreateUserAsync();
        var unknown = $"{Guid.NewGuid():N}@school.test";
        foreach (var email in new[] { known, unknown })
        {
            for (var i = 0; i < 10; i++)
            {
                var browser = Browser(ClientAddressExtensions.NewAddress());
                Assert.Equal(HttpStatusCode.OK, (await browser.SignInAsync(email, "wrong password")).StatusCode);
            }

            // A new address does not help, and neither does the right password.
            var throttled = await Browser(ClientAddressExtensions.NewAddress()).SignInAsync(email, "long enough passphrase");
            Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
            Assert.True(int.Parse(throttled.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
            Assert.Contains("Too many failed sign-ins.", await throttled.BodyAsync());
            Assert.DoesNotContain(throttled.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [],
                c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ApiTokenAuth_OverTheAccountBudget_Gets429()
    {
        var email = await CreateUserAsync();
        for (var i = 0; i < 10; i++)
        {
            var wrong = await app.CreateClient().From(ClientAddressExtensions.NewAddress())
                .PostJsonAsync("/api/api-token-auth/", $$"""{"username":"{{email}}","password":"wrong"}""");
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        var throttled = await app.CreateClient().From(ClientAddressExtensions.NewAddress())
            .PostJsonAsync("/api/api-token-auth/", $$"""{"username":"{{email}}","password":"long enough passphrase"}""");
        await AssertThrottledAsync(throttled);
    }

    [Fact]
    public async Task Register_OverTheAddressBudget_Gets429AndCreatesNothing()
    {
        var address = ClientAddressExtensions.NewAddress();
        for (var i = 0; i < 10; i++)
        {
            var refused = await Browser(address).SubmitFormAsync("/Account/Register", Registration("not-an-email"));
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        }

        var email = $"{Guid.NewGuid():N}@school.test";
        var throttled = await Browser(address).SubmitFormAsync("/Account/Register", Registration(email));

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Contains("Too many attempts from your network.", await throttled.BodyAsync());
        await using var db = app.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.Email == email));
        // Another address still registers.
        Assert.Equal(HttpStatusCode.Redirect, (await Browser(ClientAddressExtensions.NewAddress()).SubmitFormAsync("/Account/Register", Registration(email))).StatusCode);
    }

    [Fact]
    public async Task Login_KnownAndUnknownAccount_GiveTheSameAnswer()
    {
        var known = await CreateUserAsync();
        var unknown = $"{Guid.NewGuid():N}@school.test";

        var knownResponse = await Browser(ClientAddressExtensions.NewAddress()).SignInAsync(known, "wrong password");
        var unknownResponse = await Browser(ClientAddressExtensions.NewAddress()).SignInAsync(unknown, "wrong password");

        Assert.Equal(knownResponse.StatusCode, unknownResponse.StatusCode);
        Assert.Equal(Comparable(await knownResponse.BodyAsync(), known), Comparable(await unknownResponse.BodyAsync(), unknown));
        Assert.Contains("Wrong email or password.", await knownResponse.BodyAsync());
    }

    [Fact]
    public async Task ApiTokenAuth_KnownAndUnknownAccount_GiveTheSameAnswer()
    {
        var known = await CreateUserAsync();
        var client = app.CreateClient().From(ClientAddressExtensions.NewAddress());

        var knownResponse = await client.PostJsonAsync("/api/api-token-auth/", $$"""{"username":"{{known}}","password":"wrong"}""");
        var unknownResponse = await client.PostJsonAsync("/api/api-token-auth/", """{"username":"nobody-here@school.test","password":"wrong"}""");

        Assert.Equal(knownResponse.StatusCode, unknownResponse.StatusCode);
        Assert.Equal(await knownResponse.BodyAsync(), await unknownResponse.BodyAsync());
    }

    [Fact]
    public async Task Login_DeactivatedAccountWithAWrongPassword_LooksLikeAnyWrongPassword()
    {
        var email = await CreateUserAsync();
        await using (var db = app.CreateDbContext())
        {
            await db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false));
        }

        var body = await (await Browser(ClientAddressExtensions.NewAddress()).SignInAsync(email, "wrong password")).BodyAsync();

        Assert.Contains("Wrong email or password.", body);
        Assert.DoesNotContain("deactivated", body);
    }

    /// <summary>The time of the answer: an unknown account costs one password hash, as a known one does.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SignIn_UnknownAccount_ChecksAPasswordHashAsAKnownOneDoes(bool form)
    {
        var known = await CreateUserAsync();
        var unknown = $"{Guid.NewGuid():N}@school.test";
        var client = form ? Browser(ClientAddressExtensions.NewAddress()) : app.CreateClient().From(ClientAddressExtensions.NewAddress());
        async Task<int> ChecksForAsync(string email)
        {
            var before = app.Checks.Count;
            var response = form
                ? await client.SignInAsync(email, "wrong password")
                : await client.PostJsonAsync("/api/api-token-auth/", $$"""{"username":"{{email}}","password":"wrong"}""");
            Assert.NotEqual(HttpStatusCode.TooManyRequests, response.StatusCode);
            return app.Checks.Count - before;
        }

        await ChecksForAsync(unknown); // the first unknown account also makes the stand-in hash
        Assert.Equal(1, await ChecksForAsync(known));
        Assert.Equal(1, await ChecksForAsync($"{Guid.NewGuid():N}@school.test"));
    }

    [Fact]
    public async Task ForwardedFor_FromAnUndeclaredProxy_DoesNotResetTheBudget()
    {
        // Loopback is not trusted either until a proxy is declared.
        var client = app.CreateClient().From("127.0.0.1");
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            var request = WithAuthorization("AccessKey", $"4{i:0000000}");
            request.Headers.Add("X-Forwarded-For", ClientAddressExtensions.NewAddress());
            codes.Add((await client.SendAsync(request)).StatusCode);
        }

        Assert.Equal(30, codes.IndexOf(HttpStatusCode.TooManyRequests));
    }

    private HttpClient Browser(string address) =>
        app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true }).From(address);

    private static HttpRequestMessage WithAuthorization(string scheme, string value)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/groups/");
        request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {value}");
        return request;
    }

    private static async Task AssertThrottledAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var seconds = int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 1, 900);
        Assert.Equal($$"""{"detail":"{{Throttled}}{{seconds}} seconds."}""", await response.BodyAsync());
    }

    private static Dictionary<string, string> Registration(string email) => new()
    {
        ["Input.DisplayName"] = "New Student",
        ["Input.Email"] = email,
        ["Input.Password"] = "long enough",
        ["Input.ConfirmPassword"] = "long enough",
        ["Input.AccessKey"] = "",
    };

    /// <summary>
    /// The page without what differs by design: the typed email, and what is made anew for every
    /// response (the antiforgery token, the data-protected circuit descriptors and state).
    /// </summary>
    private static string Comparable(string body, string email) =>
        ProtectedValue().Replace(body.Replace(email, "EMAIL", StringComparison.Ordinal), "PROTECTED");

    private async Task<string> ActiveKeyAsync()
    {
        await using var db = app.CreateDbContext();
        return await db.AccessKeys.Where(k => k.IsActive).Select(k => k.Key).FirstAsync();
    }

    private async Task<string> CreateUserAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<UserAdminService>()
            .CreateAsync(new NewUser($"{Guid.NewGuid():N}@school.test", "Someone", Roles.Student, "long enough passphrase"));
        return created.Email;
    }

    [GeneratedRegex(@"CfDJ8[A-Za-z0-9+/=_\\-]*")]
    private static partial Regex ProtectedValue();
}

/// <summary>Behind a declared proxy, each client it names has a budget of its own; nobody else's header counts.</summary>
public sealed class DeclaredProxyTests(ProxiedGuessingAppFactory app) : IClassFixture<ProxiedGuessingAppFactory>
{
    [Fact]
    public async Task ForwardedFor_FromTheDeclaredProxy_GivesEachClientItsOwnBudget()
    {
        var client = app.CreateClient().From(ProxiedGuessingAppFactory.Proxy);
        var sameClient = ClientAddressExtensions.NewAddress();
        var spread = new List<HttpStatusCode>();
        var single = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            spread.Add((await client.SendAsync(Wrong(i, ClientAddressExtensions.NewAddress()))).StatusCode);
            single.Add((await client.SendAsync(Wrong(i, sameClient))).StatusCode);
        }

        Assert.All(spread, code => Assert.Equal(HttpStatusCode.Unauthorized, code));
        Assert.Equal(30, single.IndexOf(HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task ForwardedFor_FromLoopbackWhenAnotherProxyIsDeclared_IsIgnored()
    {
        var client = app.CreateClient().From("127.0.0.1");
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            codes.Add((await client.SendAsync(Wrong(i, ClientAddressExtensions.NewAddress()))).StatusCode);
        }

        Assert.Equal(30, codes.IndexOf(HttpStatusCode.TooManyRequests));
    }

    private static HttpRequestMessage Wrong(int i, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/groups/");
        request.Headers.TryAddWithoutValidation("Authorization", $"AccessKey 5{i:0000000}");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return request;
    }
}
