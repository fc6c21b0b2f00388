using System.Text;
using System.Text.Json;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Identity;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EduLoop.Tests.E2E;

/// <summary>
/// A quiz with the default review and an essay that waits for its grade, in a class of two where one student
/// has not started: the results page, the student's review and the builder's warning, light, dark and at phone width.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class QuizResultsTests(BrowserFixture browser)
{
    private const string Password = "student passphrase for results tests";

    private async Task<(int Quiz, string Email)> SetUpAsync()
    {
        var category = $"Results {Guid.NewGuid():N}"[..16];
        await using var scope = browser.App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var gift = $"$CATEGORY: Quizzes/Browser/{category}\n\n::Capital::What is the capital of France? {{=Paris ~Lyon}}\n\n::Essay::Describe a river you know. {{}}\n";
        await services.GetRequiredService<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(gift)),
            new ImportOptions { Duplicates = DuplicateHandling.Import }, null);
        await using var db = browser.App.CreateDbContext();
        var questions = await db.Questions.Where(q => q.Category!.Name == category).ToDictionaryAsync(q => q.Title, q => q.Id);

        var accounts = services.GetRequiredService<UserAdminService>();
        var email = $"{Guid.NewGuid():N}"[..10] + "@school.test";
        var ana = await accounts.CreateAsync(new NewUser(email, "Ana Submitted", Roles.Student, Password));
        var ben = await accounts.CreateAsync(new NewUser($"{Guid.NewGuid():N}"[..10] + "@school.test", "Ben Not Started", Roles.Student, Password));
        var schoolClass = await services.GetRequiredService<ClassService>().CreateAsync($"Class {category}", "");
        db.ClassMemberships.AddRange(
            new ClassMembership { SchoolClassId = schoolClass.Id, UserId = ana.Id, JoinedAt = DateTime.UtcNow },
            new ClassMembership { SchoolClassId = schoolClass.Id, UserId = ben.Id, JoinedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();

        var teacher = await db.Users.Where(u => u.Email == TestAccounts.TeacherEmail).Select(u => u.Id).SingleAsync();
        var quiz = await services.GetRequiredService<QuizService>().CreateAsync(
            new QuizDraft($"Quiz {category}", [new SlotDraft(QuestionId: questions["Capital"], Points: 5m), new SlotDraft(QuestionId: questions["Essay"], Points: 4m)])
            {
                ClassIds = [schoolClass.Id],
                ShuffleChoices = false,
            }, teacher);

        var attempts = services.GetRequiredService<AttemptService>();
        var attempt = await attempts.StartAsync(quiz, ana.Id);
        foreach (var (type, answer) in new[] { (QuestionType.Mcq, "\"Paris\""), (QuestionType.Writing, "\"The Rhine flows to the North Sea.\"") })
        {
            await attempts.SaveAnswerAsync(attempt.Id, ana.Id, attempt.Questions.Single(q => q.Type == type).Position, JsonDocument.Parse(answer).RootElement, 1);
        }

        await attempts.SubmitAsync(attempt.Id, ana.Id);
        return (quiz, email);
    }

    private async Task<IPage> PageAsync(bool dark, bool phone, string email, string password)
    {
        var page = await browser.NewPageAsync(phone);
        if (dark)
        {
            await page.Context.AddCookiesAsync([new Cookie { Name = "eduloop-theme", Value = "dark", Url = browser.App.RootUrl }]);
        }

        await page.LoginAsync(email, password);
        return page;
    }

    private static IEnumerable<(bool Dark, bool Phone, string Suffix)> Looks() =>
        [(false, false, "light"), (true, false, "dark"), (true, true, "dark-phone"), (false, true, "light-phone")];

    [Fact]
    public async Task Results_ListEveryStudent_AndAProvisionalScore_WhileTheEssayWaits()
    {
        var (quiz, _) = await SetUpAsync();
        foreach (var (dark, phone, suffix) in Looks())
        {
            var page = await PageAsync(dark, phone, TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
            await page.GotoAsync($"quizzes/{quiz}/results");
            await page.WaitForInteractiveAsync();

            await Expect(page.Locator("[data-testid=attempt-score]").First).ToHaveTextAsync("5 / 9 so far · 1 essay to grade");
            await Expect(page.Locator("[data-testid=grades] tbody tr")).ToHaveCountAsync(2);
            await Expect(page.Locator("[data-testid=progress]")).ToHaveTextAsync(["submitted", "not started"]);
            Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "the results scroll sideways");
            await page.ScreenshotAsync($"quiz-results-provisional-{suffix}");
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Review_ShowsTheStudentTheScoreSoFar_RightAfterSubmitting()
    {
        var (quiz, email) = await SetUpAsync();
        await using var db = browser.App.CreateDbContext();
        var attempt = await db.Attempts.Where(a => a.QuizId == quiz).Select(a => a.Id).SingleAsync();
        foreach (var (dark, phone, suffix) in Looks())
        {
            var page = await PageAsync(dark, phone, email, Password);
            await page.GotoAsync($"attempts/{attempt}/review");
            await page.WaitForInteractiveAsync();

            await Expect(page.Locator("[data-testid=review-score-so-far]")).ToHaveTextAsync("5 / 9 so far");
            await Expect(page.Locator("[data-testid=review-summary]")).ToContainTextAsync("1 essay to grade");
            await Expect(page.Locator("[data-testid=review-key]")).ToHaveCountAsync(1);
            Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "the review scrolls sideways");
            await page.ScreenshotAsync($"quiz-review-provisional-{suffix}");
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Builder_WarnsInWords_WhenTheReviewWouldOpenAfterAMissingCloseTime()
    {
        foreach (var (dark, phone, suffix) in Looks())
        {
            var page = await PageAsync(dark, phone, TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
            await page.GotoAsync("quizzes/new");
            await page.WaitForInteractiveAsync();
            await Expect(page.Locator("[data-testid=review-warning]")).ToHaveCountAsync(0);

            await page.GetByText("After the quiz closes", new() { Exact = true }).ClickAsync();

            var warning = page.Locator("[data-testid=review-warning]");
            await Expect(warning).ToContainTextAsync("the quiz has no close time");
            Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "the builder scrolls sideways");
            // Clicking scrolled the page; from the top, the full-page shot keeps the app bar at the top.
            await page.EvaluateAsync("window.scrollTo(0, 0)");
            await page.ScreenshotAsync($"quiz-builder-review-warning-{suffix}");
            await page.Context.CloseAsync();
        }
    }
}
