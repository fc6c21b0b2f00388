using System.Text;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EduLoop.Tests.E2E;

/// <summary>Building quizzes in a real browser: the builder's slots on a phone, several questions at once from its search and from the bank.</summary>
[Collection(BrowserCollection.Name)]
public sealed class QuizBuildingTests(BrowserFixture browser)
{
    /// <summary>Questions in a category of their own (named by a word found only in them), and the demo teacher's quiz with a fixed question and a random draw.</summary>
    private async Task<(int Quiz, int Category, string Word, Dictionary<string, int> Questions)> SetUpAsync()
    {
        var word = "fjord" + Guid.NewGuid().ToString("N")[..6];
        var gift = $$"""
            $CATEGORY: Quizzes/Building/Run {{word}}

            ::Capital {{word}}::What is the capital of Norway ({{word}})? {=Oslo ~Bergen ~Trondheim}

            ::Longest {{word}}::The Sognefjord is the longest fjord in Norway ({{word}}). {T}

            ::Depth {{word}}::How deep is the Sognefjord in metres ({{word}})? {#1308:10}

            ::Coast {{word}}::Which country has the most fjords ({{word}})? {=Norway ~Chile ~Iceland}
            """;
        await using var scope = browser.App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await services.GetRequiredService<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(gift)),
            new ImportOptions { Duplicates = DuplicateHandling.Import }, null);
        await using var db = browser.App.CreateDbContext();
        var questions = await db.Questions.Where(q => q.Category!.Name == $"Run {word}").ToDictionaryAsync(q => q.Title.Replace(" " + word, "", StringComparison.Ordinal), q => q.Id);
        var category = await db.Categories.Where(c => c.Name == $"Run {word}").Select(c => c.Id).SingleAsync();
        var teacher = await db.Users.Where(u => u.Email == TestAccounts.TeacherEmail).Select(u => u.Id).SingleAsync();
        var quiz = await services.GetRequiredService<QuizService>().CreateAsync(new QuizDraft($"Fjords {word}",
        [
            new SlotDraft(QuestionId: questions["Capital"]),
            new SlotDraft(DrawCount: 2, CategoryId: category, Points: 2m),
        ]), teacher);
        return (quiz, category, word, questions);
    }

    private async Task<IPage> TeacherAsync(bool phone, string theme)
    {
        var page = await browser.NewPageAsync(phone);
        await page.Context.AddCookiesAsync([new Cookie { Name = "eduloop-theme", Value = theme, Url = browser.App.RootUrl }]);
        await page.LoginAsync(TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
        return page;
    }

    /// <summary>Scrolls the element's top just under the fixed app bar, so a picture of the element is not covered by it.</summary>
    private static Task BelowTheAppBarAsync(IPage page, string selector) =>
        page.EvalOnSelectorAsync(selector, "e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 72)");

    [Fact]
    public async Task TheBuilder_KeepsEverySlotOnTheScreen_AtPhoneWidth_AndLaysOutFixedAndDrawnSlotsAlike()
    {
        var (quiz, _, word, questions) = await SetUpAsync();

        foreach (var (phone, theme) in new[] { (false, "light"), (false, "dark"), (true, "light"), (true, "dark") })
        {
            var suffix = $"{theme}{(phone ? "-phone" : "")}";
            var page = await TeacherAsync(phone, theme);
            await page.GotoAsync($"quizzes/{quiz}/edit");
            await page.WaitForInteractiveAsync();
            await Expect(page.Locator("[data-testid=slot-2]")).ToContainTextAsync("to draw from");

            if (!phone)
            {
                // Several at once from the search: check two, add them together.
                await page.FillAsync("input[data-testid=add-question-search]", word);
                await Expect(page.Locator("[data-testid=picker-results]")).ToHaveAttributeAsync("data-query", word);
                await Expect(page.Locator("[data-testid=picker-row]")).ToHaveCountAsync(4);
                await Expect(page.Locator($"[data-testid=picker-row][data-question-id='{questions["Capital"]}'] [data-testid=picker-in-quiz]")).ToBeVisibleAsync();
                await page.Locator($"[data-testid=picker-row][data-question-id='{questions["Depth"]}'] input[type=checkbox]").CheckAsync();
                await page.Locator($"[data-testid=picker-row][data-question-id='{questions["Longest"]}'] input[type=checkbox]").CheckAsync();
                await BelowTheAppBarAsync(page, "[data-testid=quiz-questions]");
                await page.Locator("[data-testid=quiz-questions]").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"quiz-builder-picker-{suffix}.png") });
                await page.ClickAsync("[data-testid=add-checked]");
                await Expect(page.Locator("[data-testid=slot-3]")).ToContainTextAsync($"#{questions["Depth"]} Depth {word}");
                await Expect(page.Locator("[data-testid=slot-4]")).ToContainTextAsync($"#{questions["Longest"]} Longest {word}");
                await page.FillAsync("input[data-testid=add-question-search]", "");
            }

            var width = await page.EvaluateAsync<int>("document.scrollingElement.clientWidth");
            Assert.True(await page.EvaluateAsync<bool>("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth"), $"the builder scrolls sideways ({suffix})");
            var removes = page.Locator("[data-testid=slot-remove]");
            var boxes = new List<LocatorBoundingBoxResult>();
            for (var i = 0; i < await removes.CountAsync(); i++)
            {
                boxes.Add((await removes.Nth(i).BoundingBoxAsync())!);
            }

            Assert.True(boxes.Count >= 2);
            Assert.All(boxes, box => Assert.True(box.X >= 0 && box.X + box.Width <= width, $"a slot's delete button is off the screen at {box.X} + {box.Width} of {width} ({suffix})"));
            // Fixed questions and draws keep their points and actions in the same columns.
            Assert.True(boxes.Max(b => b.X) - boxes.Min(b => b.X) < 1, $"the slots' delete buttons are not in one column ({suffix})");
            await BelowTheAppBarAsync(page, "[data-testid=quiz-questions]");
            await page.Locator("[data-testid=quiz-questions]").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"quiz-builder-questions-{suffix}.png") });
            // The whole page from its top (a full-page picture of a scrolled page draws the fixed app bar where the view was).
            await page.EvaluateAsync("window.scrollTo(0, 0)");
            await page.ScreenshotAsync($"quiz-builder-slots-{suffix}");
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task TheBankSelection_GoesIntoAQuiz_AndTheEditorShowsTheQuizzesAQuestionIsIn()
    {
        var (quiz, category, word, questions) = await SetUpAsync();

        foreach (var (phone, theme) in new[] { (false, "light"), (false, "dark"), (true, "light") })
        {
            var suffix = $"{theme}{(phone ? "-phone" : "")}";
            var page = await TeacherAsync(phone, theme);
            await page.GotoAsync($"bank?node=c{category}");
            await page.WaitForInteractiveAsync();
            await Expect(page.Locator("[data-testid=bank-row]")).ToHaveCountAsync(4);
            foreach (var title in new[] { "Capital", "Coast" })
            {
                await page.Locator("tr", new() { Has = page.Locator("[data-testid=bank-row]", new() { HasText = $"{title} {word}" }) })
                    .Locator("input[type=checkbox]").CheckAsync();
            }

            await page.ClickAsync("[data-testid=bulk-add-to-quiz]");
            await Expect(page.Locator("[data-testid=add-to-quiz-choices]")).ToBeVisibleAsync();
            await page.FillAsync("input[data-testid=add-to-quiz-search]", word);
            await Expect(page.Locator("[data-testid=add-to-quiz-choices] .mud-list-item")).ToHaveCountAsync(1);
            await page.ClickAsync("[data-testid=add-to-quiz-choices] .mud-list-item");
            await Expect(page.Locator("[data-testid=add-to-quiz-confirm]")).ToBeEnabledAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"bank-add-to-quiz-{suffix}.png") });
            await page.ClickAsync("[data-testid=add-to-quiz-confirm]");
            var expected = suffix == "light" ? $"Added to “Fjords {word}”: 1 · already in it: 1" : $"Added to “Fjords {word}”: 0 · already in it: 2";
            await Expect(page.Locator(".mud-snackbar", new() { HasText = expected })).ToBeVisibleAsync();

            await page.GotoAsync($"bank/questions/{questions["Coast"]}");
            await page.WaitForInteractiveAsync();
            await Expect(page.Locator("[data-testid=question-use]")).ToHaveTextAsync($"Fjords {word}");
            await page.Locator("[data-testid=question-usage]").ScrollIntoViewIfNeededAsync();
            Assert.False(await page.EvaluateAsync<bool>("document.scrollingElement.scrollWidth > document.scrollingElement.clientWidth"), $"the editor scrolls sideways ({suffix})");
            await BelowTheAppBarAsync(page, "[data-testid=question-usage]");
            await page.Locator("[data-testid=question-usage]").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"bank-editor-used-in-section-{suffix}.png") });
            await page.EvaluateAsync("window.scrollTo(0, 0)");
            await page.ScreenshotAsync($"bank-editor-used-in-{suffix}");
            await page.Context.CloseAsync();
        }

        await using var db = browser.App.CreateDbContext();
        Assert.Equal([questions["Capital"], questions["Coast"]],
            await db.QuizSlots.Where(s => s.QuizId == quiz && s.QuestionId != null).OrderBy(s => s.Position).Select(s => s.QuestionId!.Value).ToListAsync());
    }
}
