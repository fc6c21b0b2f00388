using System.Text;
using System.Text.RegularExpressions;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EduLoop.Tests.E2E;

/// <summary>The attempt page in a real browser: a teacher's preview taken as a student's attempt.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class AttemptPageTests(BrowserFixture browser)
{
    private const string Password = "student passphrase for attempt page tests";

    private static string Gift(string category) => $$"""
        $CATEGORY: Quizzes/Attempt page/{{category}}

        ::Capital::What is the capital of France? {=Paris ~Lyon ~Nice}

        ::Primes::Which of these are prime numbers? {~%50%2 ~%50%3 ~%-100%4}

        ::Planet::Which planet is called the red planet? {=Mars}

        ::Sky::The sky is green. {F}
        """;

    /// <summary>Fresh questions in their own category, a class with a new student in it, and a quiz of the demo teacher built from them.</summary>
    private async Task<(int Quiz, string Email, string StudentId)> SetUpAsync(Func<QuizDraft, QuizDraft> change, params string[] titles)
    {
        var app = browser.App;
        var category = $"Run {Guid.NewGuid():N}"[..12];
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await services.GetRequiredService<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(Gift(category))),
            new ImportOptions { Duplicates = DuplicateHandling.Import }, null);
        await using var db = app.CreateDbContext();
        var questions = await db.Questions.Where(q => q.Category!.Name == category).ToDictionaryAsync(q => q.Title, q => q.Id);

        var email = $"{Guid.NewGuid():N}"[..10] + "@school.test";
        var student = await services.GetRequiredService<UserAdminService>().CreateAsync(new NewUser(email, "Page Student", Roles.Student, Password));
        var schoolClass = await services.GetRequiredService<ClassService>().CreateAsync($"Class {category}", "");
        db.ClassMemberships.Add(new ClassMembership { SchoolClassId = schoolClass.Id, UserId = student.Id, JoinedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();

        var draft = new QuizDraft($"Quiz {category}", titles.Select(t => new SlotDraft(QuestionId: questions[t])).ToList())
        {
            ClassIds = [schoolClass.Id],
            ShuffleChoices = false,
            AttemptsAllowed = 1,
            Review = ReviewTime.Immediately,
        };
        var teacher = await db.Users.Where(u => u.Email == TestAccounts.TeacherEmail).Select(u => u.Id).SingleAsync();
        var quiz = await services.GetRequiredService<QuizService>().CreateAsync(change(draft), teacher);
        return (quiz, email, student.Id);
    }

    private async Task<IPage> SignedInAsync(string email, string password, bool phone = false, string theme = "light")
    {
        var page = await browser.NewPageAsync(phone);
        await page.Context.AddCookiesAsync([new Cookie { Name = "eduloop-theme", Value = theme, Url = browser.App.RootUrl }]);
        await page.LoginAsync(email, password);
        return page;
    }

    [Fact]
    public async Task APreview_OfAOnePerPageSequentialTimedQuiz_PagesTimesSubmitsAndScores_AndIsNoAttempt()
    {
        var (quiz, _, _) = await SetUpAsync(d => d with { OneQuestionPerPage = true, SequentialNavigation = true, TimeLimitMinutes = 15 }, "Capital", "Sky", "Planet");
        var page = await SignedInAsync(TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
        await page.GotoAsync($"quizzes/{quiz}/preview");
        await page.WaitForInteractiveAsync();
        await page.ClickAsync("[data-testid=preview-start]");

        await Expect(page.Locator("[data-testid=preview-banner]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=timer]")).ToHaveTextAsync(new Regex("^(15:00|14:5\\d)$"));
        var questions = page.Locator("section[data-testid^=question-]");
        foreach (var (position, answer) in new[] { (1, "Paris"), (2, "False") })
        {
            // One question per page, and no way back to the one before.
            await Expect(questions).ToHaveCountAsync(1);
            await Expect(page.Locator($"[data-testid=question-{position}]")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-testid=previous]")).ToBeDisabledAsync();
            await Expect(page.Locator("[data-testid=submit]")).ToHaveCountAsync(0);
            await page.Locator($"[data-testid=question-{position}] label", new() { HasText = answer }).ClickAsync();
            await Expect(page.Locator($"[data-testid=question-{position}] .take-question-state")).ToHaveTextAsync("Saved");
            await page.ClickAsync("[data-testid=next]");
        }

        await Expect(page.Locator("[data-testid=question-3]")).ToBeVisibleAsync();
        await page.FillAsync("[data-testid=question-3] [data-testid=answer-text]", "Mars");
        await Expect(page.Locator("[data-testid=question-3] .take-question-state")).ToHaveTextAsync("Saved");
        await page.ClickAsync("[data-testid=submit]");
        await page.ClickAsync("[data-testid=confirm]");

        await Expect(page).ToHaveURLAsync(new Regex("/review$"));
        await Expect(page.Locator("[data-testid=review-score]")).ToHaveTextAsync("3 / 3");
        await Expect(page.Locator("[data-testid=preview-review]")).ToBeVisibleAsync();

        // The results know no attempt, and the quiz list counts none.
        await page.GotoAsync($"quizzes/{quiz}/results");
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("[data-testid=no-attempts]")).ToBeVisibleAsync();
        await using var db = browser.App.CreateDbContext();
        var stored = await db.Attempts.Where(a => a.QuizId == quiz).Select(a => new { a.IsPreview, a.Score }).SingleAsync();
        Assert.Equal((true, (decimal?)3m), (stored.IsPreview, stored.Score));
        await page.Context.CloseAsync();
    }
}
