using System.Text;
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
/// The learning loop in the browser, on an app whose clock the test moves on: a student learns new
/// questions, comes back days later to what is due, resumes after a reload and reads their progress;
/// their teacher reads the class's heatmap. Light, dark and phone width.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LearningLoopTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "student passphrase for learning tests";
    private readonly ManualClock _clock = new();
    private KestrelAppFactory _app = null!;
    private string _email = null!;
    private int _class;

    public async Task InitializeAsync()
    {
        _app = new KestrelAppFactory(null, 0, clock: _clock);
        await using var scope = _app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var gift = """
            $CATEGORY: Science/Astronomy/Planets

            ::Red::Which planet is red? {=Mars ~Venus}

            ::Big::Which planet is the largest? {=Jupiter ~Mercury}

            ::Rings::Which planet has the brightest rings? {=Saturn ~Earth}

            $CATEGORY: Science/Astronomy/Stars

            ::Sun::Is the Sun a star? {T}
            """;
        await services.GetRequiredService<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(gift)), new ImportOptions(), null);
        _email = $"{Guid.NewGuid():N}"[..10] + "@school.test";
        var ana = await services.GetRequiredService<UserAdminService>().CreateAsync(new NewUser(_email, "Ana Learner", Roles.Student, Password));
        var ben = await services.GetRequiredService<UserAdminService>().CreateAsync(
            new NewUser($"{Guid.NewGuid():N}"[..10] + "@school.test", "Ben Beginner", Roles.Student, Password));
        await using var db = _app.CreateDbContext();
        var teacher = await db.Users.Where(u => u.Email == TestAccounts.TeacherEmail).Select(u => u.Id).SingleAsync();
        var schoolClass = new SchoolClass { Name = "Astronomy club" };
        schoolClass.Members.Add(new ClassMembership { UserId = ana.Id, JoinedAt = DateTime.UtcNow });
        schoolClass.Members.Add(new ClassMembership { UserId = ben.Id, JoinedAt = DateTime.UtcNow });
        schoolClass.Teachers.Add(new ClassTeacher { TeacherId = teacher });
        db.SchoolClasses.Add(schoolClass);
        await db.SaveChangesAsync();
        _class = schoolClass.Id;
        // The class's quiz takes Astronomy: its subject is where new questions come from. It closed
        // yesterday, so it holds none of them back.
        var sun = await db.Questions.Where(q => q.Title == "Sun").Select(q => q.Id).SingleAsync();
        await services.GetRequiredService<QuizService>().CreateAsync(new QuizDraft("Stars quiz", [new SlotDraft(QuestionId: sun)])
        {
            ClassIds = [_class],
            ClosesAt = _clock.GetUtcNow().UtcDateTime.AddDays(-1),
        }, teacher);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Student_LearnsNewQuestions_ReviewsThemDaysLater_ResumesAfterAReload_AndTheTeacherSeesTheClass()
    {
        var page = await browser.NewPageAsync(app: _app);
        await page.LoginAsync(_email, Password);

        // Day 1: nothing due; review mode brings the class's subject's new questions.
        await Expect(page.Locator("[data-testid=due-none]")).ToBeVisibleAsync();
        await page.ScreenshotAsync("learning-home-nothing-due");
        await page.ClickAsync("[data-testid=review-due]");
        await page.WaitForInteractiveAsync();
        var answered = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            answered.Add(await AnswerRightAsync(page));
            if (i == 1)
            {
                // A reload finds the session where it was: the answer and its result still shown.
                await page.ReloadAsync();
                await page.WaitForInteractiveAsync();
                await Expect(page.Locator("[data-testid=practice-result]")).ToBeVisibleAsync();
                await Expect(page.Locator("[data-testid=practice-progress]")).ToContainTextAsync("2 of 2");
            }

            await page.ClickAsync("[data-testid=practice-next]");
        }

        await Expect(page.Locator("[data-testid=practice-done]")).ToBeVisibleAsync();
        Assert.Equal(4, answered.Distinct().Count());

        // Answered at once, each was Easy: due again in about 8 days. Ten days later all four are due, most overdue first.
        _clock.Advance(TimeSpan.FromDays(10));
        await page.GotoAsync("");
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("[data-testid=due-total]")).ToHaveTextAsync("4");
        await Expect(page.Locator("[data-testid=due-subjects]")).ToContainTextAsync("Astronomy: 4");
        await page.ScreenshotAsync("learning-home-due");
        await page.ClickAsync("[data-testid=review-due]");
        await page.WaitForInteractiveAsync();
        var reviewed = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            reviewed.Add(await AnswerRightAsync(page));
            await page.ClickAsync("[data-testid=practice-next]");
        }

        Assert.Equal(answered, reviewed);

        // The progress page: one subject with both categories.
        _clock.Advance(TimeSpan.FromHours(1));
        await page.GotoAsync("progress");
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("[data-testid=mastery-row]")).ToHaveCountAsync(3);
        await Expect(page.Locator("[data-testid=mastery-seen]").First).ToHaveTextAsync("4 / 4");
        await Expect(page.Locator("[data-testid=progress-today] .count-value")).ToHaveTextAsync("4");
        foreach (var (dark, phone) in new[] { (false, false), (true, false), (false, true) })
        {
            var look = await browser.NewPageAsync(phone, _app);
            await look.Context.AddCookiesAsync([new Cookie { Name = "eduloop-theme", Value = dark ? "dark" : "light", Url = _app.RootUrl }]);
            await look.LoginAsync(_email, Password);
            await look.GotoAsync("progress");
            await look.WaitForInteractiveAsync();
            await Expect(look.Locator("[data-testid=mastery]")).ToBeVisibleAsync();
            Assert.False(await look.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "the progress page scrolls sideways");
            await look.ScreenshotAsync($"learning-progress-{(dark ? "dark" : "light")}{(phone ? "-phone" : "")}");
            await look.Context.CloseAsync();
        }

        await page.Context.CloseAsync();

        // The teacher: Ana's row has Planets and Stars, Ben's is empty, and nobody started the quiz.
        foreach (var (dark, phone) in new[] { (false, false), (true, false), (false, true) })
        {
            var teacher = await browser.NewPageAsync(phone, _app);
            await teacher.Context.AddCookiesAsync([new Cookie { Name = "eduloop-theme", Value = dark ? "dark" : "light", Url = _app.RootUrl }]);
            await teacher.LoginAsync(TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
            await teacher.GotoAsync($"classes/{_class}/progress");
            await teacher.WaitForInteractiveAsync();
            var rows = teacher.Locator("[data-testid=heatmap-row]");
            await Expect(rows).ToHaveCountAsync(2);
            await Expect(rows.Nth(0).Locator("th")).ToHaveTextAsync("Ana Learner");
            await Expect(rows.Nth(1).Locator("[data-testid=heatmap-cell]")).ToHaveTextAsync(["·", "·"]);
            var recall = await rows.Nth(0).Locator("[data-testid=heatmap-cell]").AllTextContentsAsync();
            Assert.All(recall, cell => Assert.InRange(int.Parse(cell, System.Globalization.CultureInfo.InvariantCulture), 90, 100));
            await Expect(teacher.Locator("[data-testid=not-started-students]")).ToHaveTextAsync("Ana Learner, Ben Beginner");
            Assert.False(await teacher.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "the class progress page scrolls sideways");
            await teacher.ScreenshotAsync($"learning-class-{(dark ? "dark" : "light")}{(phone ? "-phone" : "")}");
            await teacher.Context.CloseAsync();
        }
    }

    /// <summary>Answers the question on screen with its right choice; returns its stem.</summary>
    private static async Task<string> AnswerRightAsync(IPage page)
    {
        var question = page.Locator("[data-testid=practice-question]");
        // The next question is on screen once the last one's result has gone.
        await Expect(page.Locator("[data-testid=practice-result]")).ToBeHiddenAsync();
        await Expect(page.Locator("[data-testid=practice-check]")).ToBeVisibleAsync();
        var stem = (await question.Locator(".question-stem").TextContentAsync())!.Trim();
        var right = stem switch
        {
            var s when s.Contains("red", StringComparison.Ordinal) => "Mars",
            var s when s.Contains("largest", StringComparison.Ordinal) => "Jupiter",
            var s when s.Contains("rings", StringComparison.Ordinal) => "Saturn",
            _ => "True",
        };
        await question.Locator("label", new() { HasText = right }).ClickAsync();
        await page.ClickAsync("[data-testid=practice-check]");
        await Expect(page.Locator("[data-testid=practice-result]")).ToContainTextAsync("Right");
        return stem;
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _offsetTicks;

        public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

        // Runs on with real time, so timers and cookies behave; the test moves it on by days.
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
    }
}
