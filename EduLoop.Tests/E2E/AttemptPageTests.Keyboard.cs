using System.Text.RegularExpressions;
using EduLoop.Domain.Quizzes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EduLoop.Tests.E2E;

/// <summary>Flags in the question navigation, and a whole quiz with the keyboard alone.</summary>
public sealed partial class AttemptPageTests
{
    /// <summary>Presses Tab until the focused element matches <paramref name="selector"/> (a CSS selector).</summary>
    private static async Task TabToAsync(IPage page, string selector, string key = "Tab")
    {
        for (var presses = 0; presses < 40; presses++)
        {
            if (await page.EvaluateAsync<bool>("s => !!document.activeElement && document.activeElement.matches(s)", selector))
            {
                return;
            }

            await page.Keyboard.PressAsync(key);
        }

        Assert.Fail($"{key} never reached {selector}; the focus is on {await page.EvaluateAsync<string>("() => document.activeElement?.outerHTML.slice(0, 200) ?? 'nothing'")}");
    }

    [Fact]
    public async Task AFlag_ShowsOnItsQuestionsButtonInTheNavigation_AndIsStillThereAfterAReload()
    {
        var (quiz, email, _) = await SetUpAsync(d => d with { OneQuestionPerPage = true }, "Capital", "Sky", "Planet");
        var page = await SignedInAsync(email, Password);
        await page.GotoAsync($"quizzes/{quiz}");
        await page.WaitForInteractiveAsync();
        await page.ClickAsync("[data-testid=start]");

        var flag = page.Locator("[data-testid=question-1] [data-testid=flag]");
        await Expect(flag).ToHaveAttributeAsync("aria-pressed", "false");
        await flag.ClickAsync();
        await Expect(flag).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(page.Locator("[data-testid=page-1]")).ToHaveAttributeAsync("aria-label", "Question 1, flagged");
        await Expect(page.Locator("[data-testid=page-1]")).ToHaveClassAsync(new Regex("\\bflagged\\b"));
        await Expect(page.Locator("[data-testid=page-2]")).ToHaveAttributeAsync("aria-label", "Question 2");

        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("[data-testid=page-1]")).ToHaveAttributeAsync("aria-label", "Question 1, flagged");
        await Expect(page.Locator("[data-testid=question-1] [data-testid=flag]")).ToHaveAttributeAsync("aria-pressed", "true");
        await using var db = browser.App.CreateDbContext();
        Assert.Equal([1], await db.AttemptQuestions.Where(q => q.Flagged && db.Attempts.Any(a => a.Id == q.AttemptId && a.QuizId == quiz)).Select(q => q.Position).ToListAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task WithAllQuestionsOnOnePage_AQuestionsButton_TakesTheFocusToItsHeading_AndShowsItsFlag()
    {
        var (quiz, email, _) = await SetUpAsync(d => d, "Capital", "Primes", "Planet", "Sky");
        var page = await SignedInAsync(email, Password);
        await page.GotoAsync($"quizzes/{quiz}");
        await page.WaitForInteractiveAsync();
        await page.ClickAsync("[data-testid=start]");
        await Expect(page.Locator("section[data-testid^=question-]")).ToHaveCountAsync(4);

        await page.Locator("[data-testid=question-3] [data-testid=flag]").ClickAsync();
        await Expect(page.Locator("[data-testid=page-3]")).ToHaveAttributeAsync("aria-label", "Question 3, flagged");
        await page.Locator("[data-testid=page-3]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#q3-title")).ToBeFocusedAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AQuiz_IsAnsweredFlaggedAndSubmitted_WithTheKeyboardAlone()
    {
        var (quiz, email, _) = await SetUpAsync(d => d with { OneQuestionPerPage = true }, "Capital", "Primes", "Planet");
        var page = await SignedInAsync(email, Password);
        var keyboard = page.Keyboard;
        await page.GotoAsync($"quizzes/{quiz}");
        await page.WaitForInteractiveAsync();
        await TabToAsync(page, "[data-testid=start]");
        await keyboard.PressAsync("Enter");

        // One answer: the arrow keys choose (Lyon, then back to Paris), and the choice is saved.
        await Expect(page.Locator("[data-testid=question-1]")).ToBeVisibleAsync();
        await TabToAsync(page, "[data-testid=question-1] input[type=radio]");
        await keyboard.PressAsync("ArrowDown");
        await keyboard.PressAsync("ArrowUp");
        await Expect(page.Locator("[data-testid=question-1] .take-question-state")).ToHaveTextAsync("Saved");
        // Back to the question's flag, which Space presses.
        await keyboard.PressAsync("Shift+Tab");
        await Expect(page.Locator("[data-testid=question-1] [data-testid=flag]")).ToBeFocusedAsync();
        await keyboard.PressAsync("Space");
        await Expect(page.Locator("[data-testid=page-1]")).ToHaveAttributeAsync("aria-label", "Question 1, flagged");

        // The next page puts the focus on its question's heading.
        await TabToAsync(page, "[data-testid=next]");
        await keyboard.PressAsync("Enter");
        await Expect(page.Locator("#q2-title")).ToBeFocusedAsync();

        // Several answers: Space ticks each box.
        await TabToAsync(page, "[data-testid=question-2] input[type=checkbox][value='0']");
        await keyboard.PressAsync("Space");
        await keyboard.PressAsync("Tab");
        await Expect(page.Locator("[data-testid=question-2] input[type=checkbox][value='1']")).ToBeFocusedAsync();
        await keyboard.PressAsync("Space");
        await Expect(page.Locator("[data-testid=question-2] input[type=checkbox]:checked")).ToHaveCountAsync(2);
        await Expect(page.Locator("[data-testid=question-2] .take-question-state")).ToHaveTextAsync("Saved");
        await TabToAsync(page, "[data-testid=next]");
        await keyboard.PressAsync("Space");
        await Expect(page.Locator("#q3-title")).ToBeFocusedAsync();

        // A short answer, typed.
        await TabToAsync(page, "[data-testid=question-3] [data-testid=answer-text]");
        await keyboard.TypeAsync("Mars");
        await Expect(page.Locator("[data-testid=question-3] .take-question-state")).ToHaveTextAsync("Saved");

        // The submit dialog takes the focus and keeps Tab inside; Escape closes it and gives the focus back.
        await TabToAsync(page, "[data-testid=submit]");
        await keyboard.PressAsync("Enter");
        var confirm = page.Locator("[data-testid=confirm]");
        await Expect(confirm).ToBeFocusedAsync();
        await keyboard.PressAsync("Tab");
        await Expect(page.Locator("[data-testid=cancel]")).ToBeFocusedAsync();
        await keyboard.PressAsync("Shift+Tab");
        await Expect(confirm).ToBeFocusedAsync();
        await keyboard.PressAsync("Escape");
        await Expect(confirm).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=submit]")).ToBeFocusedAsync();
        await keyboard.PressAsync("Enter");
        await Expect(confirm).ToBeFocusedAsync();
        await keyboard.PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(new Regex("/review$"));
        await Expect(page.Locator("[data-testid=review-score]")).ToHaveTextAsync("3 / 3");
        await using var db = browser.App.CreateDbContext();
        var attempt = await db.Attempts.Include(a => a.Questions).SingleAsync(a => a.QuizId == quiz);
        Assert.Equal((AttemptState.Graded, (decimal?)3m), (attempt.State, attempt.Score));
        Assert.Equal([true, false, false], attempt.Questions.OrderBy(q => q.Position).Select(q => q.Flagged));
        await page.Context.CloseAsync();
    }
}
