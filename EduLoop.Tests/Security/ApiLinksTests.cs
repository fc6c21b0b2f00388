using System.Text.Json;

using EduLoop.App.Api;
using EduLoop.Tests.Infrastructure;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace EduLoop.Tests.Security;

/// <summary>The absolute next/previous links of the compatible lists, under forged Host headers.</summary>
public sealed class ApiLinksTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    private const string List = "/api/subcategories/";

    [Fact]
    public async Task Lists_ForgedHostWithPublicUrl_LinkToThePublicUrl()
    {
        await using var published = new PublishedAppFactory();

        var page = await GetAsync(published, "evil.example", "page_size=1&page=2");

        Assert.Equal("https://school.example/eduloop/api/subcategories/?page=3&page_size=1", page.GetProperty("next").GetString());
        Assert.Equal("https://school.example/eduloop/api/subcategories/?page_size=1", page.GetProperty("previous").GetString());
    }

    [Fact]
    public async Task Lists_ForgedHostFirst_DoNotPoisonTheCacheForTheRealHost()
    {
        // A forged Host asks first, so its page is the one cached; the real Host must not be given it.
        var forged = await GetAsync(app, "evil.example", "page_size=1&search=a");
        var real = await GetAsync(app, "localhost", "page_size=1&search=a");

        Assert.StartsWith("http://evil.example/", forged.GetProperty("next").GetString(), StringComparison.Ordinal);
        Assert.Equal("http://localhost/api/subcategories/?page=2&page_size=1&search=a", real.GetProperty("next").GetString());
    }

    [Fact]
    public async Task Lists_ForgedHostFirstWithPublicUrl_ServeOnePageToEveryHost()
    {
        await using var published = new PublishedAppFactory();

        var forged = await GetAsync(published, "evil.example", "page_size=1&search=b");
        var real = await GetAsync(published, "school.example", "page_size=1&search=b");

        Assert.Equal(forged.GetRawText(), real.GetRawText());
        Assert.DoesNotContain("evil", real.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("evil.example/x")]
    [InlineData("evil.example:junk")]
    [InlineData("evil.example:80@other")]
    [InlineData("evil example")]
    public async Task Lists_MalformedHost_LinkToPathsOnThisSite(string host)
    {
        var page = await GetAsync(app, host, "page_size=1&search=c");

        Assert.Equal("/api/subcategories/?page=2&page_size=1&search=c", page.GetProperty("next").GetString());
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("localhost:5000", true)]
    [InlineData("192.0.2.1:443", true)]
    [InlineData("[::1]:8080", true)]
    [InlineData("school.example", true)]
    [InlineData("school.example:99999", false)]
    [InlineData("school.example:", false)]
    [InlineData("school.example/x", false)]
    [InlineData("a b", false)]
    [InlineData("", false)]
    public void IsWellFormed_Host_AcceptsOnlyHostAndNumericPort(string host, bool expected) =>
        Assert.Equal(expected, ApiLinks.IsWellFormed(new HostString(host)));

    private static async Task<JsonElement> GetAsync(EduLoopAppFactory factory, string host, string query)
    {
        var context = await factory.Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = List;
            c.Request.QueryString = new QueryString("?" + query);
            c.Request.Host = new HostString(host);
        });
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        using var document = await JsonDocument.ParseAsync(context.Response.Body);
        return document.RootElement.Clone();
    }

    private sealed class PublishedAppFactory : EduLoopAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("EduLoop:PublicUrl", "https://school.example/eduloop/");
        }
    }
}
