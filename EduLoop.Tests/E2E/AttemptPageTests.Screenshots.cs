using System.Text.Json;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace EduLoop.Tests.E2E;

/// <summary>The attempt page with a flag and the preview with its timer, light and dark, on a desktop and a phone.</summary>
public sealed partial class AttemptPageTests
{
    [Fact]
    public async Task AFlaggedAttemptAndATimedPreview_InBothThemesAndAtPhoneWidth_RenderAndFit()
    {
        var (quiz, email, studentId) = await SetUpAsync(d => d with { OneQuestionPerPage = true, TimeLimitMinutes = 20 }, "Capital", "Primes", "Planet", "Sky");
        int attemptId;
        await using (var scope = browser.App.Services.CreateAsyncScope())
        {
            var attempts = scope.ServiceProvider.GetRequiredService<AttemptService>();
            var attempt = await attempts.StartAsync(quiz, studentId);
            await attempts.SaveAnswerAsync(attempt.Id, studentId, 1, JsonDocument.Parse("\"Paris\"").RootElement, 1);
            await attempts.FlagAsync(attempt.Id, studentId, 1, true);
            await attempts.FlagAsync(attempt.Id, studentId, 3, true);
            attemptId = attempt.Id;
        }

        foreach (var (phone, theme) in new[] { (false, "light"), (false, "dark"), (true, "light"), (true, "dark") })
        {
            var suffix = $"{theme}{(phone ? "-phone" : "")}";
            var student = await SignedInAsync(email, Password, phone, theme);
            await student.GotoAsync($"attempts/{attemptId}");
            await student.WaitForInteractiveAsync();
            await Expect(student.Locator("[data-testid=page-3]")).ToHaveAttributeAsync("aria-label", "Question 3, flagged");
            await Expect(student.Locator("[data-testid=question-1] [data-testid=flag]")).ToHaveAttributeAsync("aria-pressed", "true");
            Assert.False(await student.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "the attempt scrolls sideways");
            await student.ScreenshotAsync($"attempt-flagged-{suffix}");
            await student.Context.CloseAsync();

            var teacher = await SignedInAsync(TestAccounts.TeacherEmail, TestAccounts.TeacherPassword, phone, theme);
            await teacher.GotoAsync($"quizzes/{quiz}/preview");
            await teacher.WaitForInteractiveAsync();
            await Expect(teacher.Locator("[data-testid=preview-start]")).ToBeVisibleAsync();
            Assert.False(await teacher.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "the preview page scrolls sideways");
            await teacher.ScreenshotAsync($"preview-start-{suffix}");
            await teacher.ClickAsync("[data-testid=preview-start]");
            await Expect(teacher.Locator("[data-testid=timer]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(20:00|19:5\\d)$"));
            Assert.False(await teacher.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "the preview scrolls sideways");
            await teacher.ScreenshotAsync($"preview-timer-{suffix}");
            // Straight to the last page by the navigation, and submitted unanswered: the review says it was a preview.
            await teacher.ClickAsync("[data-testid=page-4]");
            await teacher.ClickAsync("[data-testid=submit]");
            await teacher.ClickAsync("[data-testid=confirm]");
            await Expect(teacher.Locator("[data-testid=preview-review]")).ToBeVisibleAsync();
            await Expect(teacher.Locator("[data-testid=review-score]")).ToHaveTextAsync("0 / 4");
            Assert.False(await teacher.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "the preview's review scrolls sideways");
            await teacher.ScreenshotAsync($"preview-review-{suffix}");
            await teacher.Context.CloseAsync();
        }
    }
}
