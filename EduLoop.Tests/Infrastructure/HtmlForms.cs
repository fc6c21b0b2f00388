using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace EduLoop.Tests.Infrastructure;

/// <summary>Submits the static SSR forms the way a browser does: hidden fields (antiforgery, handler) included.</summary>
public static class HtmlForms
{
    public static async Task<IHtmlDocument> GetDocumentAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        return await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Loads <paramref name="url"/>, fills the form's fields and posts it.</summary>
    public static async Task<HttpResponseMessage> SubmitFormAsync(this HttpClient client, string url, IReadOnlyDictionary<string, string> fields)
    {
        var document = await client.GetDocumentAsync(url);
        var form = document.Forms.Single(f => f.Method.Equals("post", StringComparison.OrdinalIgnoreCase)
            && f.QuerySelector("input[name='_handler']") is not null);
        var values = form.QuerySelectorAll("input[type='hidden']").OfType<IHtmlInputElement>()
            .Where(i => !string.IsNullOrEmpty(i.Name))
            .ToDictionary(i => i.Name!, i => i.Value);
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        return await client.PostAsync(url, new FormUrlEncodedContent(values));
    }

    public static async Task<string> BodyAsync(this HttpResponseMessage response) => await response.Content.ReadAsStringAsync();

    /// <summary>Posts the sign-in form as a browser does.</summary>
    public static Task<HttpResponseMessage> SignInAsync(this HttpClient browser, string email, string password) =>
        browser.SubmitFormAsync("/Account/Login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
}
