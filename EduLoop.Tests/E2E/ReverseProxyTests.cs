using System.Text.Json;

namespace EduLoop.Tests.E2E;

/// <summary>Behind a reverse proxy on the same machine, links keep the scheme the client used.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReverseProxyTests(BrowserFixture browser)
{
    [Fact]
    public async Task ForwardedProto_FromLoopback_ShowsInTheApiLinks()
    {
        using var client = new HttpClient { BaseAddress = new Uri(browser.App.RootUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/subcategories/?page_size=5");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await client.SendAsync(request);
        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.StartsWith("https://", page.RootElement.GetProperty("next").GetString());
    }
}
