using EduLoop.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EduLoop.Tests.E2E;

/// <summary>
/// The statistics page of a quiz with four graded attempts (Capital and Sky answered against each other,
/// River right in every one), light, dark and at phone width; the empty state of a quiz nobody has
/// taken, and a quiz that does not exist.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class QuizStatisticsTests(BrowserFixture browser)
{
    private async Task<IPage> TeacherPageAsync(bool dark, bool phone)
    {
        var page = await browser.NewPageAsync(phone);
        if (dark)
        {
            await page.Context.AddCookiesAsync([new Cookie { Name = "eduloop-theme", Value = "dark", Url = browser.App.RootUrl }]);
        }

        await page.LoginAsync(TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
        return page;
    }

    private static IEnumerable<(bool Dark, bool Phone, string Suffix)> Looks() =>
        [(false, false, "light"), (true, false, "dark"), (true, true, "dark-phone"), (false, true, "light-phone")];

    /// <summary>The first few elements whose right edge is past the window's, for a failure message.</summary>
    private const string WiderThanTheWindow = """
        () => [...document.querySelectorAll("body *")]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 6)
            .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} (${Math.round(e.getBoundingClientRect().right)} px)`)
            .join(", ")
        """;

    [Fact]
    public async Task Statistics_ShowTheFigures_FlagTheQuestionsToCheck_AndCountTheChoices()
    {
        // Totals 2, 2, 2 and 3 out of 3.
        var quiz = await StatisticsQuiz.CreateAsync(browser.App,
            new(Capital: true, Sky: false, River: true), new(Capital: true, Sky: false, River: true),
            new(Capital: false, Sky: true, River: true), new(Capital: true, Sky: true, River: true));
        foreach (var (dark, phone, suffix) in Looks())
        {
            var page = await TeacherPageAsync(dark, phone);
            await page.GotoAsync($"quizzes/{quiz.QuizId}/statistics");
            await page.WaitForInteractiveAsync();

            await Expect(page.Locator("h1")).ToHaveTextAsync(quiz.Title);
            await Expect(page.Locator("[data-testid=figure-attempts]")).ToHaveTextAsync("4");
            await Expect(page.Locator("[data-testid=figure-mean]")).ToHaveTextAsync("2.25 / 3");
            await Expect(page.Locator("[data-testid=figure-median]")).ToHaveTextAsync("2 / 3");
            await Expect(page.Locator("[data-testid=figure-sd]")).ToHaveTextAsync("0.5");
            // Capital and Sky disagree: the consistency is below 0, and nothing more than chance.
            await Expect(page.Locator("[data-testid=figure-cic]")).ToHaveTextAsync("-200.0 %");

            var rows = page.Locator("[data-testid=slot-table] tbody tr");
            await Expect(rows).ToHaveCountAsync(3);
            await Expect(page.Locator("[data-testid=slot-question]")).ToHaveTextAsync(["Capital", "Sky", "River"]);
            await Expect(page.Locator("[data-testid=slot-facility]")).ToHaveTextAsync(["75.0 %", "50.0 %", "100.0 %"]);
            await Expect(page.Locator("[data-testid=slot-discrimination_index]").Nth(2)).ToHaveTextAsync("—");
            await Expect(rows.Nth(0).Locator("[data-testid=slot-flag]")).ToHaveTextAsync(["Negative discrimination"]);
            await Expect(rows.Nth(2).Locator("[data-testid=slot-flag]")).ToHaveTextAsync(["Very easy"]);
            await Expect(page.Locator("[data-testid=slot-question] a, a[data-testid=slot-question]").First)
                .ToHaveAttributeAsync("href", $"bank/questions/{quiz.Questions["Capital"]}");
            await Expect(page.Locator("[data-testid=slot-chart-text]")).ToContainTextAsync("Question 1: facility 75 %");

            await page.Locator("[data-testid=choices-toggle]").First.ClickAsync();
            await Expect(page.Locator("[data-testid=choices] [data-testid=choice-count]")).ToHaveTextAsync(["3 (75 %)", "1 (25 %)"]);

            await page.GetByText("What the columns mean").ClickAsync();
            await Expect(page.Locator("[data-testid=slot-legend]")).ToContainTextAsync("Whether students who did well on the rest of the quiz did well here.");
            // Opened all the way, for the screenshot.
            await Expect(page.Locator("[data-testid=slot-legend] .mud-collapse-entered")).ToHaveCountAsync(1);

            await page.EvaluateAsync("window.scrollTo(0, 0)");
            await page.ScreenshotAsync($"quiz-statistics-{suffix}");
            Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"),
                $"the statistics scroll sideways ({suffix}), past the right edge: {await page.EvaluateAsync<string>(WiderThanTheWindow)}");
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Statistics_InGerman_UseGermanNumbers_AndFit()
    {
        var quiz = await StatisticsQuiz.CreateAsync(browser.App,
            new(Capital: true, Sky: false, River: true), new(Capital: true, Sky: false, River: true),
            new(Capital: false, Sky: true, River: true), new(Capital: true, Sky: true, River: true));
        foreach (var phone in new[] { false, true })
        {
            var page = await browser.NewPageAsync(phone);
            await page.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = "c=de|uic=de", Url = browser.App.RootUrl }]);
            await page.LoginAsync(TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
            await page.GotoAsync($"quizzes/{quiz.QuizId}/statistics");
            await page.WaitForInteractiveAsync();

            await Expect(page.Locator("[data-testid=figure-mean]")).ToHaveTextAsync("2,25 / 3");
            await Expect(page.Locator("[data-testid=slot-facility]").First).ToHaveTextAsync("75,0 %");
            await Expect(page.Locator("[data-testid=slot-table] [data-testid=slot-flag]").First).ToHaveTextAsync("Negative Trennschärfe");
            await page.Locator("[data-testid=choices-toggle]").Nth(1).ClickAsync();
            await Expect(page.Locator("[data-testid=choices]")).ToContainTextAsync("Wahr");

            await page.EvaluateAsync("window.scrollTo(0, 0)");
            await page.ScreenshotAsync($"quiz-statistics-de{(phone ? "-phone" : "")}");
            Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"),
                $"the German statistics scroll sideways, past the right edge: {await page.EvaluateAsync<string>(WiderThanTheWindow)}");
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Statistics_AreOneClickFromTheResults_AndFromTheQuizList()
    {
        var quiz = await StatisticsQuiz.CreateAsync(browser.App, new StatisticsAnswers(Capital: true, Sky: true, River: false));
        var page = await TeacherPageAsync(dark: false, phone: false);
        await page.GotoAsync($"quizzes/{quiz.QuizId}/results");
        await page.WaitForInteractiveAsync();

        await page.Locator("[data-testid=statistics-link]").ClickAsync();
        await Expect(page.Locator("[data-testid=figure-attempts]")).ToHaveTextAsync("1");
        await page.GotoAsync("quizzes");
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator($"[data-testid=statistics-link][href='quizzes/{quiz.QuizId}/statistics']")).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Statistics_WithoutGradedAttempts_ShowWhenTheyWillAppear()
    {
        var quiz = await StatisticsQuiz.CreateAsync(browser.App);
        foreach (var (dark, phone, suffix) in Looks().Where(l => !l.Dark || !l.Phone))
        {
            var page = await TeacherPageAsync(dark, phone);
            await page.GotoAsync($"quizzes/{quiz.QuizId}/statistics");
            await page.WaitForInteractiveAsync();

            await Expect(page.Locator("[data-testid=no-statistics]")).ToContainTextAsync("Statistics appear once attempts are graded.");
            await Expect(page.Locator("[data-testid=statistics-csv]")).ToHaveCountAsync(0);
            await Expect(page.Locator("[data-testid=slot-table]")).ToHaveCountAsync(0);
            await page.ScreenshotAsync($"quiz-statistics-empty-{suffix}");
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Statistics_OfNoQuiz_SayItDoesNotExist()
    {
        var page = await TeacherPageAsync(dark: false, phone: false);
        await page.GotoAsync("quizzes/999999/statistics");
        await page.WaitForInteractiveAsync();

        await Expect(page.GetByText("This quiz does not exist (any more).")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
