using Microsoft.Playwright;

namespace EduLoop.Tests.E2E;

public static class PageExtensions
{
    /// <summary>Signs in through the real form and waits for the interactive home page.</summary>
    public static async Task LoginAsync(this IPage page, string email, string password)
    {
        await page.GotoAsync("Account/Login");
        await page.FillAsync("#Input\\.Email", email);
        await page.FillAsync("#Input\\.Password", password);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForInteractiveAsync();
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPage, List<string>> _console = [];

    /// <summary>What the page wrote to its console, for failure messages.</summary>
    public static List<string> ConsoleOf(IPage page) => _console.GetOrCreateValue(page);

    /// <summary>Waits until the page's circuit is connected and its buttons respond.</summary>
    public static async Task WaitForInteractiveAsync(this IPage page)
    {
        try
        {
            await page.WaitForSelectorAsync("body[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(
                $"{page.Url} did not become interactive. Console:{Environment.NewLine}{string.Join(Environment.NewLine, ConsoleOf(page))}", e);
        }
    }

    public static Task ScreenshotAsync(this IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png"),
            FullPage = true,
        });
}
