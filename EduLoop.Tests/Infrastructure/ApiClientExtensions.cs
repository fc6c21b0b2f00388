using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace EduLoop.Tests.Infrastructure;

public static class ApiClientExtensions
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    public static HttpClient WithAuthorization(this HttpClient client, string scheme, string value)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, value);
        return client;
    }

    public static IReadOnlyList<string> Names(this JsonElement page) =>
        page.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToList();
}
