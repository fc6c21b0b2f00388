using System.Text.Json;

using EduLoop.Tests.Infrastructure;

namespace EduLoop.Tests.E2E;

/// <summary>
/// Behind a declared reverse proxy on the same machine, links keep the scheme the client used; without
/// one, the forwarded headers are anybody's and are ignored. Real Kestrel connections from loopback.
/// </summary>
public sealed class ReverseProxyTests
{
    [Fact]
    public async Task ForwardedProto_FromLoopbackWithAProxyDeclared_ShowsInTheApiLinks()
    {
        await using var app = new KestrelAppFactory(new Dictionary<string, string> { ["EduLoop:ForwardedHeaders:Enabled"] = "true" });

        Assert.StartsWith("https://", await NextLinkAsync(app));
    }

    [Fact]
    public async Task ForwardedProto_WithNoProxyDeclared_IsIgnored()
    {
        await using var app = new KestrelAppFactory(new Dictionary<string, string>());

        Assert.StartsWith("http://", await NextLinkAsync(app));
    }

    [Fact]
    public async Task ForwardedProto_FromLoopbackWhenOtherProxiesAreListed_IsIgnored()
    {
        await using var app = new KestrelAppFactory(new Dictionary<string, string> { ["EduLoop:ForwardedHeaders:KnownProxies:0"] = "192.0.2.10" });

        Assert.StartsWith("http://", await NextLinkAsync(app));
    }

    private static async Task<string> NextLinkAsync(KestrelAppFactory app)
    {
        using var client = new HttpClient { BaseAddress = new Uri(app.RootUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/subcategories/?page_size=5");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await client.SendAsync(request);
        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return page.RootElement.GetProperty("next").GetString()!;
    }
}
