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

/// <summary>
/// A teacher runs a class with the keyboard alone (create, copy and renew its key, add a student by email);
/// a student whose attempt the clock ended sees so in the review and the score on the home page. Light,
/// dark and phone width.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ClassesAndWordingTests(BrowserFixture browser)
{
    private const string Password = "student passphrase for class tests";

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
        [(false, false, "light"), (true, false, "dark"), (false, true, "light-phone"), (true, true, "dark-phone")];

    [Fact]
    public async Task Teacher_RunsAClass_WithTheKeyboardAlone()
    {
        var email = $"{Guid.NewGuid():N}"[..10] + "@school.test";
        await using (var scope = browser.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdminService>().CreateAsync(new NewUser(email, "Kim Keyboard", Roles.Student, Password));
        }

        var page = await PageAsync(dark: false, phone: false, TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await page.GotoAsync("classes");
        await page.WaitForInteractiveAsync();

        var name = $"Form {Guid.NewGuid():N}"[..11];
        await page.Locator("[data-testid=create-class]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        // Filled rather than typed key by key: on a busy machine a render of the dialog can land between keys.
        var nameField = page.Locator("input[data-testid=class-name], [data-testid=class-name] input");
        await nameField.FillAsync(name);
        await nameField.PressAsync("Tab");
        await page.Locator("[data-testid=class-submit]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("[data-testid=class-panel] h2")).ToHaveTextAsync(name);
        var key = (await page.Locator("[data-testid=class-key]").TextContentAsync())!.Trim();
        Assert.Matches(new Regex("^[1-9][0-9]{7}$"), key);

        await page.Locator("[data-testid=copy-key]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".mud-snackbar").Last).ToContainTextAsync($"Access key {key} copied.");
        Assert.Equal(key, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));

        var emailField = page.Locator("input[data-testid=student-email], [data-testid=student-email] input");
        await emailField.FillAsync("nobody@school.test");
        await emailField.PressAsync("Enter");
        await Expect(page.Locator("[data-testid=class-panel]")).ToContainTextAsync("No student account has this email.");
        await emailField.FillAsync(email);
        await emailField.PressAsync("Enter");
        await Expect(page.Locator("[data-testid=members]")).ToContainTextAsync("Kim Keyboard");

        await page.Locator("[data-testid=renew-key]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".mud-dialog")).ToContainTextAsync($"The key {key} stops working at once");
        await page.Locator("[data-testid=confirm]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("[data-testid=class-key]")).Not.ToHaveTextAsync(key);
        await Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        var path = new Uri(page.Url).AbsolutePath.TrimStart('/');

        foreach (var (dark, phone, suffix) in Looks())
        {
            var look = await PageAsync(dark, phone, TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
            await look.GotoAsync(path);
            await look.WaitForInteractiveAsync();
            await Expect(look.Locator("[data-testid=members]")).ToContainTextAsync("Kim Keyboard");
            Assert.False(await look.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), $"classes ({suffix}) scrolls sideways");
            await look.ScreenshotAsync($"classes-teacher-{suffix}");
        }

        var student = await PageAsync(dark: false, phone: true, email, Password);
        await Expect(student.Locator("[data-testid=class-list]")).ToContainTextAsync(name);
    }

    [Fact]
    public async Task Student_SeesTheClockEndedTheAttempt_AndTheScoreAtHome()
    {
        var category = $"Wording {Guid.NewGuid():N}"[..16];
        var email = $"{Guid.NewGuid():N}"[..10] + "@school.test";
        int attemptId;
        await using (var scope = browser.App.Services.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            var gift = $"$CATEGORY: Quizzes/Browser/{category}\n\n::Intro::Read the map first.\n\n::Capital::What is the capital of France? {{=Paris ~Lyon}}\n";
            await services.GetRequiredService<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(gift)),
                new ImportOptions { Duplicates = DuplicateHandling.Import }, null);
            await using var db = browser.App.CreateDbContext();
            var questions = await db.Questions.Where(q => q.Category!.Name == category).ToDictionaryAsync(q => q.Title, q => q.Id);
            var student = await services.GetRequiredService<UserAdminService>().CreateAsync(new NewUser(email, "Tim Timed", Roles.Student, Password));
            var schoolClass = await services.GetRequiredService<ClassService>().CreateAsync($"Class {category}", "");
            db.ClassMemberships.Add(new ClassMembership { SchoolClassId = schoolClass.Id, UserId = student.Id, JoinedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
            var teacher = await db.Users.Where(u => u.Email == TestAccounts.TeacherEmail).Select(u => u.Id).SingleAsync();
            var quiz = await services.GetRequiredService<QuizService>().CreateAsync(
                new QuizDraft($"Timed {category}", [new SlotDraft(QuestionId: questions["Intro"]), new SlotDraft(QuestionId: questions["Capital"])])
                {
                    ClassIds = [schoolClass.Id],
                    TimeLimitMinutes = 1,
                    Review = ReviewTime.Immediately,
                }, teacher);

            var attempts = services.GetRequiredService<AttemptService>();
            attemptId = (await attempts.StartAsync(quiz, student.Id)).Id;
            await db.Attempts.Where(a => a.Id == attemptId).ExecuteUpdateAsync(u => u.SetProperty(a => a.Deadline, DateTime.UtcNow.AddSeconds(-5)));
            await attempts.SubmitOverdueAsync(attemptId);
        }

        foreach (var (dark, phone, suffix) in Looks())
        {
            var page = await PageAsync(dark, phone, email, Password);
            await Expect(page.Locator("[data-testid=quiz-score]")).ToHaveTextAsync("Score: 0 / 1");
            await Expect(page.Locator("[data-testid=quiz-list]")).ToContainTextAsync("1 minute");
            await Expect(page.Locator("[data-testid=quiz-list]")).Not.ToContainTextAsync("1 minutes");
            await page.ScreenshotAsync($"student-home-score-{suffix}");

            await page.GotoAsync($"attempts/{attemptId}/review");
            await page.WaitForInteractiveAsync();
            await Expect(page.Locator("[data-testid=review-time-up]")).ToContainTextAsync("Time ran out: your answers were submitted automatically.");
            await Expect(page.Locator("[data-testid=review-1] h2")).ToHaveTextAsync("Information");
            await Expect(page.Locator("[data-testid=review-2] h2")).ToHaveTextAsync("Question 1");
            Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), $"review ({suffix}) scrolls sideways");
            await page.ScreenshotAsync($"review-time-up-{suffix}");
        }
    }
}
