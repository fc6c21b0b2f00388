using System.Net;

using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;

namespace EduLoop.Tests.Api;

public sealed class AppHostTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    [Fact]
    public async Task Health_WithDatabase_IsHealthy()
    {
        var response = await app.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.BodyAsync());
    }

    [Fact]
    public async Task Assets_FileInWwwrootAssets_IsServedUnderAssets()
    {
        var response = await app.CreateClient().GetAsync("/assets/css/app.css");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(".account-card", await response.BodyAsync());
    }

    [Fact]
    public async Task Assets_PathOutsideTheFolder_IsNotServed()
    {
        var response = await app.CreateClient().GetAsync("/assets/../appsettings.json");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Home_Anonymous_ShowsTheWelcomeWithSignIn()
    {
        var body = await (await app.CreateClient().GetAsync("/")).BodyAsync();

        Assert.Contains("Learn, practise, remember.", body);
        Assert.Contains("href=\"Account/Login\"", body);
    }

    [Theory]
    [InlineData("/admin/users")]
    [InlineData("/admin/classes")]
    [InlineData("/admin/backups")]
    [InlineData("/admin/settings")]
    [InlineData("/Account/Manage")]
    public async Task ProtectedPage_Anonymous_RedirectsToSignIn(string path)
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData(Roles.Student, "/admin/users")]
    [InlineData(Roles.Student, "/admin/classes")]
    [InlineData(Roles.Teacher, "/admin/users")]
    [InlineData(Roles.Teacher, "/admin/classes")]
    [InlineData(Roles.Student, "/admin/backups")]
    [InlineData(Roles.Teacher, "/admin/backups")]
    [InlineData(Roles.Student, "/admin/settings")]
    [InlineData(Roles.Teacher, "/admin/settings")]
    public async Task AdminPage_NonAdmin_IsForbidden(string role, string path)
    {
        var response = await app.CreateClientAs(role).GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("users-table", await response.BodyAsync());
    }

    [Fact]
    public async Task UsersPage_Admin_ListsTheAccounts()
    {
        var response = await app.CreateClientAs(Roles.Admin).GetAsync("/admin/users");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("users-table", await response.BodyAsync());
    }

    [Fact]
    public async Task Home_Admin_ShowsTheDashboardCounts()
    {
        var body = await (await app.CreateClientAs(Roles.Admin).GetAsync("/")).BodyAsync();

        Assert.Contains("Administration", body);
        Assert.Contains("data-testid=\"count-users\"", body);
        Assert.Contains("2,000", body);
    }

    [Fact]
    public async Task Home_Teacher_ShowsTheBankCountsWithoutAccounts()
    {
        var body = await (await app.CreateClientAs(Roles.Teacher).GetAsync("/")).BodyAsync();

        Assert.Contains("data-testid=\"count-questions\"", body);
        Assert.DoesNotContain("data-testid=\"count-users\"", body);
    }

    [Fact]
    public async Task Home_Student_ListsTheirClass()
    {
        var body = await (await app.CreateClientAs(Roles.Student).GetAsync("/")).BodyAsync();

        Assert.Contains("My classes", body);
        Assert.Contains("Year 9 — Class A", body);
        Assert.DoesNotContain("count-questions", body);
    }

    [Fact]
    public async Task CultureSet_SupportedCulture_SetsTheCookieAndReturns()
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync("/culture/set?culture=de&redirectUri=%2Fadmin%2Fusers");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/users", response.Headers.Location!.ToString());
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=c%3Dde%7Cuic%3Dde", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    [InlineData("")]
    public async Task CultureSet_ForeignRedirect_GoesHomeInstead(string redirect)
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync($"/culture/set?culture=en&redirectUri={Uri.EscapeDataString(redirect)}");

        Assert.Equal("/", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task CultureSet_UnsupportedCulture_SetsNoCookie()
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync("/culture/set?culture=xx&redirectUri=%2F");

        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Home_GermanCookie_RendersInGerman()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("Cookie", ".AspNetCore.Culture=c%3Dde%7Cuic%3Dde");

        var body = await (await client.GetAsync("/")).BodyAsync();

        Assert.Contains("<html lang=\"de\"", body);
        Assert.Contains("Lernen, üben, behalten.", body);
    }

    [Fact]
    public async Task OpenApi_DescribesEveryCompatibleRoute_WithTheOriginalsTrailingSlash()
    {
        var document = await (await app.CreateClient().GetAsync("/openapi/v1.json")).JsonAsync();

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var route in new[]
        {
            "/api/groups/", "/api/subjects/", "/api/subject/{groupId}/", "/api/categories/", "/api/categories/list/",
            "/api/categories/{subjectId}/", "/api/subcategories/", "/api/subcategories/{categoryId}/", "/api/questions/",
            "/api/questions/answer/", "/api/upload-questions/", "/api/question/create/", "/api/dashboard/",
            "/api/dashboard/recent-questions/", "/api/dashboard/question/{id}/", "/api/token-verify/", "/api/api-token-auth/",
            "/api/token-generate/", "/api/token-list/", "/api/token-update/", "/api/token-delete/", "/api/users/",
            "/api/users/{id}/", "/api/current-user/",
        })
        {
            Assert.Contains(route, paths);
        }

        Assert.DoesNotContain(paths, p => p.StartsWith("/Account", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApiReference_IsServedLocally()
    {
        var response = await app.CreateClient().GetAsync("/api/docs/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.BodyAsync();
        Assert.DoesNotContain("https://", page);
        // Nothing phones home from a school's server.
        Assert.Contains("\"telemetry\":false", page.Replace(" ", "", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task Api_CompressesWhenAsked(string encoding)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.AcceptEncoding.ParseAdd(encoding);

        var response = await client.GetAsync("/api/subcategories/?page_size=100");

        Assert.Equal(encoding, response.Content.Headers.ContentEncoding.Single());
    }

    [Fact]
    public async Task UnknownPage_ShowsTheNotFoundPage()
    {
        var response = await app.CreateClient().GetAsync("/no/such/page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Sorry, there is nothing at this address.", await response.BodyAsync());
    }
}
