using EduLoop.Tests.Infrastructure;

using Microsoft.Playwright;

namespace EduLoop.Tests.E2E;

/// <summary>One app on a real Kestrel port and one headless Debian Chromium, shared by the browser tests.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public KestrelAppFactory App { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotDirectory { get; } = RepositoryPaths.Combine("artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        // A shared two-core machine can be slow; waiting longer costs nothing when the page is fast.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>A fresh browser profile (no cookies) at a desktop or phone size, on the shared app or another one.</summary>
    public async Task<IPage> NewPageAsync(bool phone = false, KestrelAppFactory? app = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (app ?? App).RootUrl,
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1366, Height = 860 },
            IsMobile = phone,
            HasTouch = phone,
            Locale = "en-GB",
        });
        context.SetDefaultTimeout(15_000);
        // Every refusal of the Content-Security-Policy reaches the console, where the page checks look.
        await context.AddInitScriptAsync(PageExtensions.ReportPolicyViolations);
        var page = await context.NewPageAsync();
        var log = PageExtensions.ConsoleOf(page);
        page.Console += (_, message) => log.Add($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => log.Add($"page error: {error}");
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await App.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

/// <summary>
/// The walks over every page (accessibility, screenshots, the Content-Security-Policy, math), with an app
/// and a browser of their own: about half of the browser tests' time, run beside the other half rather
/// than after it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PageWalkCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "page-walks";
}
