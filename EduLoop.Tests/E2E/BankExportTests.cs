using System.Text;
using System.Text.RegularExpressions;
using EduLoop.Domain.Formats;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EduLoop.Tests.E2E;

/// <summary>Export from the bank in a real browser: the file holds exactly the rows the filtered view listed.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class BankExportTests(BrowserFixture browser)
{
    [Fact]
    public async Task ExportFromAFilteredView_DownloadsExactlyTheListedQuestions()
    {
        var word = "delta" + Guid.NewGuid().ToString("N")[..6];
        var gift = $$"""
            $CATEGORY: Exports/Algebra/Run {{word}}

            ::Linear {{word}}::Solve x + 1 = 2 ({{word}}). {=1 ~2}

            ::Check {{word}}::Is x = 1 a solution of x + 1 = 2 ({{word}})? {T}

            ::Square {{word}}::Solve x^2 = 9 for a positive x ({{word}}). {=3 ~4}

            ::Root {{word}}::Which x is the square root of 16 ({{word}})? {=4 ~8}
            """;
        await using (var scope = browser.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(gift)),
                new ImportOptions { Duplicates = DuplicateHandling.Import }, null);
        }

        int category;
        await using (var db = browser.App.CreateDbContext())
        {
            category = await db.Categories.Where(c => c.Name == $"Run {word}").Select(c => c.Id).SingleAsync();
        }

        foreach (var (phone, theme) in new[] { (false, "light"), (false, "dark"), (true, "light") })
        {
            var suffix = $"{theme}{(phone ? "-phone" : "")}";
            var page = await browser.NewPageAsync(phone);
            await page.Context.AddCookiesAsync([new Cookie { Name = "eduloop-theme", Value = theme, Url = browser.App.RootUrl }]);
            await page.LoginAsync(TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
            // The view of the issue: a place, single choice, and a text search.
            await page.GotoAsync($"bank?node=c{category}&type=mcq&q=solve");
            await page.WaitForInteractiveAsync();
            await Expect(page.Locator("[data-testid=bank-row]")).ToHaveCountAsync(2);
            var listed = (await page.Locator("[data-testid=bank-row]").AllInnerTextsAsync()).Select(t => t.Trim()).Order(StringComparer.Ordinal).ToList();
            Assert.Equal([$"Linear {word}", $"Square {word}"], listed);

            await page.ClickAsync("[data-testid=export-view]");
            await Expect(page.Locator("[data-testid=export-count]")).ToContainTextAsync("2");
            await Expect(page.Locator("[data-testid=export-filter]")).ToHaveTextAsync([$"Exports / Algebra / Run {word}", "Single choice", "Search: “solve”"]);
            Assert.False(await page.EvaluateAsync<bool>("document.scrollingElement.scrollWidth > document.scrollingElement.clientWidth"), $"the export page scrolls sideways ({suffix})");
            await page.ScreenshotAsync($"bank-export-view-{suffix}");

            var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=download]"));
            var file = await File.ReadAllTextAsync((await download.PathAsync())!);
            Assert.Equal(listed, GiftTitle().Matches(file).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList());
            await page.Context.CloseAsync();
        }
    }

    [GeneratedRegex(@"^::(.+?)::", RegexOptions.Multiline)]
    private static partial Regex GiftTitle();
}
