using System.Net;

using EduLoop.Tests.Infrastructure;

namespace EduLoop.Tests.Security;

/// <summary>
/// Hostile return addresses on the sign-in, registration, logout and language forms: the browser
/// always ends up on this site (home when the address is not a path here), never on a 500.
/// </summary>
public sealed class ReturnAddressTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    /// <summary>Query-string values as they appear in the address bar, encoded variants included.</summary>
    public static TheoryData<string> HostileReturnUrls => new()
    {
        "https://evil.example/",
        "https%3A%2F%2Fevil.example%2F",
        "//x",
        "%2F%2Fx",
        "/%5Cx",
        "%5C%5Cx",
        "%09//x",
        "/%09/x",
        "%0D%0A//x",
        "/%00/x",
        "javascript:alert(1)",
        "JaVaScRiPt%3Aalert%281%29",
        "http:%2F%2Fevil.example",
        "https:evil.example",
        "http://user@evil.example/",
        "http://localhost@evil.example/",
        "http://localhost//evil.example/",
    };

    private HttpClient NewBrowser() => app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });

    [Theory]
    [MemberData(nameof(HostileReturnUrls))]
    public async Task Login_HostileReturnUrl_SignsInAndGoesHome(string returnUrl)
    {
        var browser = NewBrowser();
        var url = $"/Account/Login?ReturnUrl={returnUrl}";

        // The page renders, and the return address it hands on to registration is not the hostile one.
        var page = await browser.GetDocumentAsync(url);
        var register = page.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!).Single(h => h.Contains("Account/Register", StringComparison.Ordinal));
        Assert.DoesNotContain("ReturnUrl", register, StringComparison.Ordinal);

        var response = await browser.SubmitFormAsync(url, new Dictionary<string, string>
        {
            ["Input.Email"] = TestAccounts.TeacherEmail,
            ["Input.Password"] = TestAccounts.TeacherPassword,
        });

        AssertRedirectsHome(browser, response);
        Assert.Contains("count-questions", await (await browser.GetAsync("/")).BodyAsync());
    }

    [Theory]
    [MemberData(nameof(HostileReturnUrls))]
    public async Task Register_HostileReturnUrl_CreatesTheAccountAndGoesHome(string returnUrl)
    {
        var browser = NewBrowser();
        var url = $"/Account/Register?ReturnUrl={returnUrl}";
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(url)).StatusCode);

        var response = await browser.SubmitFormAsync(url, new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "Returning Student",
            ["Input.Email"] = $"{Guid.NewGuid():N}@school.test",
            ["Input.Password"] = "long enough passphrase",
            ["Input.ConfirmPassword"] = "long enough passphrase",
        });

        AssertRedirectsHome(browser, response);
        Assert.Contains("Returning Student", await (await browser.GetAsync("/")).BodyAsync());
    }

    [Theory]
    [InlineData("/quizzes", "/quizzes")]
    [InlineData("quizzes%3Fpage%3D2", "/quizzes?page=2")]
    [InlineData("http%3A%2F%2Flocalhost%2Fquizzes%3Fpage%3D2", "/quizzes?page=2")]
    public async Task Login_ReturnUrlOnThisSite_GoesThere(string returnUrl, string expected)
    {
        var browser = NewBrowser();

        var response = await browser.SubmitFormAsync($"/Account/Login?ReturnUrl={returnUrl}", new Dictionary<string, string>
        {
            ["Input.Email"] = TestAccounts.TeacherEmail,
            ["Input.Password"] = TestAccounts.TeacherPassword,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = new Uri(browser.BaseAddress!, response.Headers.Location!);
        Assert.Equal(browser.BaseAddress!.Authority, target.Authority);
        Assert.Equal(expected, target.PathAndQuery);
    }

    [Theory]
    [MemberData(nameof(HostileReturnUrls))]
    [InlineData("%0D%0A/x")]
    [InlineData("/x%0D%0ASet-Cookie:%20a=b")]
    [InlineData("/x%00")]
    [InlineData("/x%09y")]
    [InlineData("/x%7F")]
    public async Task CultureSet_HostileRedirectUri_GoesHome(string redirectUri)
    {
        var response = await NewBrowser().GetAsync($"/culture/set?culture=de&redirectUri={redirectUri}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CultureSet_PathOnThisSite_GoesBack()
    {
        var response = await NewBrowser().GetAsync("/culture/set?culture=de&redirectUri=%2Fquizzes%3Fpage%3D2");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/quizzes?page=2", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Logout_WithoutAntiforgeryToken_AnswersBadRequestAndKeepsTheSession()
    {
        var browser = NewBrowser();
        await SignInAsync(browser);

        var response = await browser.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["ReturnUrl"] = "",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("Bad request", await response.BodyAsync());
        Assert.Contains("count-questions", await (await browser.GetAsync("/")).BodyAsync());
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("/\r\n/evil.example")]
    [InlineData("\t//evil.example")]
    public async Task Logout_HostileReturnUrl_SignsOutAndGoesHome(string returnUrl)
    {
        var browser = NewBrowser();
        await SignInAsync(browser);
        var account = await browser.GetDocumentAsync("/Account/Manage");
        var token = account.QuerySelector("form[action='Account/Logout'] input[name='__RequestVerificationToken']")!.GetAttribute("value")!;

        var response = await browser.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["ReturnUrl"] = returnUrl,
        }));

        AssertRedirectsHome(browser, response);
        Assert.Contains("Learn, practise, remember.", await (await browser.GetAsync("/")).BodyAsync());
    }

    private static async Task SignInAsync(HttpClient browser)
    {
        var response = await browser.SubmitFormAsync("/Account/Login", new Dictionary<string, string>
        {
            ["Input.Email"] = TestAccounts.TeacherEmail,
            ["Input.Password"] = TestAccounts.TeacherPassword,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>A redirect whose target, read as a browser reads it, is this site's home page.</summary>
    private static void AssertRedirectsHome(HttpClient browser, HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        var target = new Uri(browser.BaseAddress!, location);
        Assert.Equal(browser.BaseAddress!.Scheme, target.Scheme);
        Assert.Equal(browser.BaseAddress.Authority, target.Authority);
        Assert.Equal("/", target.PathAndQuery);
        Assert.DoesNotContain("evil", location.OriginalString, StringComparison.OrdinalIgnoreCase);
    }
}
