using System.Text.RegularExpressions;
using EduLoop.Domain.QuestionBank;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EduLoop.Tests.E2E;

[Collection(BrowserCollection.Name)]
public sealed class BankTests(BrowserFixture browser)
{
    private async Task<IPage> TeacherAsync(bool phone = false)
    {
        var page = await browser.NewPageAsync(phone);
        await page.LoginAsync(TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
        return page;
    }

    private async Task<(int Category, string Path)> PlaceAsync(string name)
    {
        await using var db = browser.App.CreateDbContext();
        var category = await db.Categories.Where(c => c.Name == name)
            .Select(c => new { c.Id, Path = c.Group!.Name + " / " + c.Subject!.Name + " / " + c.Name }).FirstAsync();
        return (category.Id, category.Path);
    }

    private static async Task FillAsync(IPage page, string testId, string value, int index = 0)
    {
        var field = page.Locator($"input[data-testid={testId}], textarea[data-testid={testId}], [data-testid={testId}] input, [data-testid={testId}] textarea").Nth(index);
        await field.FillAsync(value);
        await field.BlurAsync();
    }

    [Fact]
    public async Task Teacher_CreatesEditsSearchesBulkMovesAndDeletesAQuestion()
    {
        var word = "zebra" + Guid.NewGuid().ToString("N")[..6];
        var (category, _) = await PlaceAsync("Linear equations");
        var page = await TeacherAsync();

        await page.GotoAsync($"bank/questions/new?category={category}");
        await page.WaitForInteractiveAsync();
        await FillAsync(page, "editor-title", $"Squares {word}");
        await FillAsync(page, "editor-stem", $"What is $x^2$ when x = 3? ({word})");
        await FillAsync(page, "editor-choice-text", "9", 0);
        await FillAsync(page, "editor-choice-text", "6", 1);
        await Expect(page.Locator("[data-testid=question-view] .katex").First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=editor-problem]")).ToHaveCountAsync(0);
        await page.ScreenshotAsync("bank-editor-light");
        await page.ClickAsync("[data-testid=save]");
        await Expect(page).ToHaveURLAsync(new Regex(@"/bank/questions/\d+$"));

        await FillAsync(page, "editor-stem", $"What is $x^2$ when x = 4? ({word})");
        await FillAsync(page, "editor-choice-text", "16", 0);
        await page.Keyboard.PressAsync("Control+s");
        await Expect(page.Locator("h1 + .mud-chip, .mud-chip").Filter(new() { HasText = "Version 2" })).ToBeVisibleAsync();
        await page.ClickAsync("[data-testid=history]");
        await Expect(page.Locator("[data-testid=history-entry]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=history-entry]")).ToContainTextAsync("x = 3");
        await page.ScreenshotAsync("bank-editor-history");

        await page.GotoAsync($"bank?q={word}");
        await page.WaitForInteractiveAsync();
        var rows = page.Locator("[data-testid=bank-row]");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows).ToContainTextAsync("Squares");

        var (_, target) = await PlaceAsync("Pythagoras");
        await page.Locator("[data-testid=bank-table] tbody tr .mud-checkbox input").First.CheckAsync();
        await Expect(page.Locator("[data-testid=bulk-bar]")).ToContainTextAsync("1 selected");
        await page.ClickAsync("[data-testid=bulk-move]");
        // The dialog's search can get the text before it is wired up on a busy machine, and then opens no
        // list: the teacher types again, and so does the test.
        var choose = page.Locator("[data-testid=choose-place] input, input[data-testid=choose-place]");
        for (var typed = 1; ; typed++)
        {
            await choose.FillAsync("Pythagoras");
            try
            {
                await page.Locator(".mud-popover").GetByText(target).First.ClickAsync(new() { Timeout = 10_000 });
                break;
            }
            catch (TimeoutException) when (typed < 3)
            {
                await choose.FillAsync("");
            }
        }

        await page.ClickAsync("[data-testid=choose-ok]");
        await Expect(page.Locator("[data-testid=bank-table]")).ToContainTextAsync(target);

        await page.Locator("[data-testid=bank-table] tbody tr .mud-checkbox input").First.CheckAsync();
        await page.ClickAsync("[data-testid=bulk-delete]");
        await page.ClickAsync("[data-testid=confirm]");
        await Expect(rows).ToHaveCountAsync(0);
        await using var db = browser.App.CreateDbContext();
        Assert.False(await db.Questions.AnyAsync(q => q.Title.Contains(word)));
    }

    /// <summary>
    /// The bank as one list on a phone: it fits the width, the view's last question is reached by
    /// scrolling to the bottom, and the keyboard scrolls the focused list back to the first.
    /// </summary>
    [Fact]
    public async Task OneList_ScrolledToTheBottom_ShowsTheLastQuestion_AndFitsAPhone()
    {
        int newest, oldest;
        await using (var db = browser.App.CreateDbContext())
        {
            var listed = db.Questions.Where(q => !q.IsArchived);
            newest = await listed.OrderByDescending(q => q.CreatedAt).ThenByDescending(q => q.Id).Select(q => q.Id).FirstAsync();
            oldest = await listed.OrderBy(q => q.CreatedAt).ThenBy(q => q.Id).Select(q => q.Id).FirstAsync();
        }

        var page = await TeacherAsync(phone: true);
        await page.GotoAsync("bank?list=one");
        await page.WaitForInteractiveAsync();
        var list = page.Locator("[data-testid=bank-one-list]");
        await Expect(list.Locator($"[data-testid=bank-one-row][data-question-id='{newest}']")).ToBeVisibleAsync();
        Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "the bank scrolls sideways");
        Assert.False(await list.EvaluateAsync<bool>("l => l.scrollWidth > l.clientWidth"), "the list scrolls sideways");
        await page.ScreenshotAsync("bank-one-list-phone");

        // On a phone the hierarchy comes first: the list is below it.
        await list.ScrollIntoViewIfNeededAsync();
        await list.EvaluateAsync("l => l.scrollTop = l.scrollHeight");
        await Expect(list.Locator($"[data-testid=bank-one-row][data-question-id='{oldest}']")).ToBeInViewportAsync();

        await list.FocusAsync();
        await page.Keyboard.PressAsync("Home");
        await Expect(list.Locator($"[data-testid=bank-one-row][data-question-id='{newest}']")).ToBeInViewportAsync();
    }

    [Fact]
    public async Task TwoTeachersEditTheSameQuestion_TheSecondSaveIsAConflict_ShowingTheOtherVersion()
    {
        int id;
        await using (var db = browser.App.CreateDbContext())
        {
            id = await db.Questions.Where(q => q.Type == QuestionType.Mcq).OrderBy(q => q.Id).Select(q => q.Id).Skip(7).FirstAsync();
        }

        var first = await TeacherAsync();
        var second = await TeacherAsync();
        await first.GotoAsync($"bank/questions/{id}");
        await second.GotoAsync($"bank/questions/{id}");
        await first.WaitForInteractiveAsync();
        await second.WaitForInteractiveAsync();

        await FillAsync(first, "editor-title", "First teacher's title");
        await first.ClickAsync("[data-testid=save]");
        await Expect(first.Locator(".mud-snackbar")).ToContainTextAsync("Saved.");
        await FillAsync(second, "editor-title", "Second teacher's title");
        await second.ClickAsync("[data-testid=save]");

        await Expect(second.Locator("[data-testid=their-version]")).ToContainTextAsync("First teacher's title");
        await second.WaitForTimeoutAsync(400);
        await second.ScreenshotAsync("bank-editor-conflict");
        await second.ClickAsync("[data-testid=take-theirs]");
        await Expect(second.Locator("input[data-testid=editor-title], [data-testid=editor-title] input")).ToHaveValueAsync("First teacher's title");
        await using var check = browser.App.CreateDbContext();
        Assert.Equal("First teacher's title", await check.Questions.Where(q => q.Id == id).Select(q => q.Title).SingleAsync());
    }

    public static TheoryData<string> Payloads =>
    [
        "<script>window.__xss = 1</script>",
        "<img src=x onerror=\"window.__xss = 2\">",
        "[click me](javascript:window.__xss=3)",
        "<a href=\"javascript:window.__xss=4\">link</a>",
        "<svg onload=\"window.__xss = 5\"><circle r=\"5\"/></svg>",
        "<iframe srcdoc=\"<script>parent.__xss = 6</script>\"></iframe>",
        "$\\href{javascript:window.__xss=7}{math link}$",
        "$$\\htmlId{x}{\\text{id}}\\url{javascript:window.__xss=8}$$",
        "<details open ontoggle=\"window.__xss = 9\"><summary>s</summary></details>",
        "<style>body { display: none }</style><p style=\"position:fixed;inset:0\">cover</p>",
    ];

    /// <summary>Payloads saved through the editor and through the API: none runs, none reaches the page as active markup.</summary>
    [Fact]
    public async Task XssPayloads_SavedThroughTheEditorAndTheApi_NeverRun()
    {
        var (category, path) = await PlaceAsync("Linear equations");
        var parts = path.Split(" / ");
        var page = await TeacherAsync();
        var dialogs = 0;
        page.Dialog += async (_, dialog) =>
        {
            dialogs++;
            await dialog.DismissAsync();
        };
        using var api = new HttpClient { BaseAddress = new Uri(browser.App.RootUrl) };
        api.DefaultRequestHeaders.Add(TestAuthHandler.RoleHeader, EduLoop.Domain.Identity.Roles.Teacher);
        var ids = new List<int>();
        foreach (var payload in Payloads)
        {
            var body = System.Text.Json.JsonSerializer.Serialize(new
            {
                group = parts[0],
                subject = parts[1],
                category = parts[2],
                level = "easy",
                type = "mcq",
                metadata = new { question = "API " + payload, options = new[] { payload, "safe" }, answer = "safe", explanation = payload },
            });
            var created = await api.PostJsonAsync("/api/question/create/", body);
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
            ids.Add((await created.JsonAsync()).GetProperty("id").GetInt32());

            await page.GotoAsync($"bank/questions/new?category={category}");
            await page.WaitForInteractiveAsync();
            await FillAsync(page, "editor-stem", "Editor " + payload);
            await FillAsync(page, "editor-choice-text", payload, 0);
            await FillAsync(page, "editor-choice-text", "safe", 1);
            await page.ClickAsync("[data-testid=save]");
            await Expect(page).ToHaveURLAsync(new Regex(@"/bank/questions/\d+$"));
            // The saved question's page has finished arriving before the next one is opened: on a busy
            // machine the next navigation otherwise overtook this one and was aborted.
            await Expect(page.Locator("[data-testid=question-view]").First).ToBeVisibleAsync();
            await page.WaitForInteractiveAsync();
            await AssertInertAsync(page, payload);
        }

        foreach (var id in ids)
        {
            await page.GotoAsync($"bank/questions/{id}");
            await page.WaitForInteractiveAsync();
            await Expect(page.Locator("[data-testid=question-view]").First).ToContainTextAsync("API");
            await AssertInertAsync(page, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(0, dialogs);
    }

    private static async Task AssertInertAsync(IPage page, string what)
    {
        await page.WaitForTimeoutAsync(150);
        Assert.Null(await page.EvaluateAsync<int?>("window.__xss ?? null"));
        var view = page.Locator("[data-testid=question-view]").First;
        Assert.Equal(0, await view.Locator("script, iframe, svg[onload], [onerror], [onload], [ontoggle], style, [style*=fixed]").CountAsync());
        Assert.Equal(0, await view.Locator("a[href^='javascript'], a[href^='JAVASCRIPT']").CountAsync());
        Assert.True(await page.Locator("h1").IsVisibleAsync(), what);
    }
}
