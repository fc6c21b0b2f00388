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

/// <summary>Quizzes in a real browser: a student takes a timed quiz through reloads, a lost connection and the end of time; a teacher grades and builds.</summary>
[Collection(BrowserCollection.Name)]
public sealed class QuizFlowTests(BrowserFixture browser)
{
    private const string Password = "student passphrase for quiz tests";

    private static string Gift(string category) => $$"""
        $CATEGORY: Quizzes/Browser/{{category}}

        ::Capital::What is the capital of France? {=Paris ~Lyon ~Nice#Nice is on the coast.}

        ::Sky::The sky is green. {F}

        ::Boiling::Water boils at how many °C at sea level? {#100:1}

        ::Essay::Describe a river you know. {}

        ::Primes::Which of these are prime numbers? {~%50%2 ~%50%3 ~%-100%4}

        ::Pairs::Match each country with its capital. {=France -> Paris =Italy -> Rome =Spain -> Madrid}
        """;

    /// <summary>Fresh questions in their own category, a class with a new student in it, and a quiz built from them.</summary>
    private Task<(int Quiz, string Email, string StudentId, Dictionary<string, int> Questions)> SetUpAsync(Func<QuizDraft, QuizDraft>? change = null, params string[] titles) =>
        SetUpAsync(browser.App, change, titles);

    private static async Task<(int Quiz, string Email, string StudentId, Dictionary<string, int> Questions)> SetUpAsync(
        EduLoopAppFactory app, Func<QuizDraft, QuizDraft>? change, params string[] titles)
    {
        var category = $"Run {Guid.NewGuid():N}"[..12];
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await services.GetRequiredService<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(Gift(category))),
            new ImportOptions { Duplicates = DuplicateHandling.Import }, null);
        await using var db = app.CreateDbContext();
        var questions = await db.Questions.Where(q => q.Category!.Name == category).ToDictionaryAsync(q => q.Title, q => q.Id);

        var email = $"{Guid.NewGuid():N}"[..10] + "@school.test";
        var student = await services.GetRequiredService<UserAdminService>().CreateAsync(new NewUser(email, "Quiz Student", Roles.Student, Password));
        var schoolClass = await services.GetRequiredService<ClassService>().CreateAsync($"Class {category}", "");
        db.ClassMemberships.Add(new ClassMembership { SchoolClassId = schoolClass.Id, UserId = student.Id, JoinedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();

        var draft = new QuizDraft($"Quiz {category}", titles.Select(t => new SlotDraft(QuestionId: questions[t])).ToList())
        {
            ClassIds = [schoolClass.Id],
            ShuffleChoices = false,
            Review = ReviewTime.Immediately,
            ReviewShowsCorrectAnswers = true,
        };
        // The demo teacher writes the quiz, so the teacher's pages may change and grade it.
        var teacher = await db.Users.Where(u => u.Email == TestAccounts.TeacherEmail).Select(u => u.Id).SingleAsync();
        var quiz = await services.GetRequiredService<QuizService>().CreateAsync(change?.Invoke(draft) ?? draft, teacher);
        return (quiz, email, student.Id, questions);
    }

    private async Task<List<(int Position, string? Response, long Sequence)>> SavedAsync(int quiz)
    {
        await using var db = browser.App.CreateDbContext();
        return (await db.AttemptQuestions.Where(q => db.Attempts.Any(a => a.Id == q.AttemptId && a.QuizId == quiz)).OrderBy(q => q.Position)
            .Select(q => new { q.Position, q.Response, q.Sequence }).ToListAsync()).Select(q => (q.Position, q.Response, q.Sequence)).ToList();
    }

    [Fact]
    public async Task Student_TakesATimedQuiz_ReloadsLosesTheConnection_AndIsSubmittedWhenTimeRunsOut()
    {
        var (quiz, email, _, _) = await SetUpAsync(d => d with { TimeLimitMinutes = 20 }, "Capital", "Sky", "Boiling");
        var page = await browser.NewPageAsync();
        // The page's link to the server runs through a switch the test can open: the circuit's socket and its HTTP fallback.
        var offline = false;
        IWebSocketRoute? socket = null;
        var blazor = new System.Text.RegularExpressions.Regex("/_blazor");
        await page.RouteWebSocketAsync(blazor, ws =>
        {
            if (offline)
            {
                _ = ws.CloseAsync();
                return;
            }

            socket = ws;
            ws.ConnectToServer();
        });
        await page.RouteAsync(blazor, route => offline ? route.AbortAsync() : route.ContinueAsync());
        await page.LoginAsync(email, Password);

        await page.ClickAsync("[data-testid=quiz-list] >> text=Quiz Run");
        await page.WaitForInteractiveAsync();
        await page.ClickAsync("[data-testid=start]");
        await Expect(page.Locator("[data-testid=timer]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(20:00|19:5\\d)$"));
        Assert.DoesNotContain("Nice is on the coast", await page.ContentAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync("quiz-take-light");

        await page.Locator("[data-testid=question-1] label", new() { HasText = "Paris" }).ClickAsync();
        await Expect(page.Locator("[data-testid=question-1] .take-question-state")).ToHaveTextAsync("Saved");
        await page.FillAsync("[data-testid=question-3] [data-testid=answer-text]", "100");
        await Expect(page.Locator("[data-testid=question-3] .take-question-state")).ToHaveTextAsync("Saved");
        await Expect(page.Locator("[data-testid=save-state]")).ToHaveTextAsync("All answers saved");

        // A reload shows the saved answers, and the same deadline.
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("[data-testid=question-1] input[type=radio]").First).ToBeCheckedAsync();
        await Expect(page.Locator("[data-testid=question-3] [data-testid=answer-text]")).ToHaveValueAsync("100");

        // The connection drops: the page says so and blocks input until it is back; then answering goes on in the same circuit.
        offline = true;
        await socket!.CloseAsync();
        await Expect(page.Locator("#components-reconnect-modal")).ToBeVisibleAsync();
        await page.ScreenshotAsync("quiz-take-offline");
        offline = false;
        await Expect(page.Locator("#components-reconnect-modal")).ToBeHiddenAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator("[data-testid=question-1] .take-question-state")).ToHaveTextAsync("Saved");
        await page.Locator("[data-testid=question-2] label", new() { HasText = "False" }).ClickAsync();
        await Expect(page.Locator("[data-testid=question-2] .take-question-state")).ToHaveTextAsync("Saved", new() { Timeout = 30_000 });
        Assert.Equal(["\"Paris\"", "false", "\"100\""], (await SavedAsync(quiz)).Select(s => s.Response));

        // Time runs out (the deadline brought forward on the server): the page submits what was saved.
        await using (var db = browser.App.CreateDbContext())
        {
            await db.Attempts.Where(a => a.QuizId == quiz).ExecuteUpdateAsync(u => u.SetProperty(a => a.Deadline, DateTime.UtcNow.AddSeconds(4)));
        }

        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/review$"), new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=review-score]")).ToHaveTextAsync("3 / 3");
        await Expect(page.Locator("[data-testid=review-1] [data-testid=review-key]")).ToContainTextAsync("Paris");
        await page.ScreenshotAsync("quiz-review-light");
        await using (var db = browser.App.CreateDbContext())
        {
            Assert.Equal(AttemptState.Graded, await db.Attempts.Where(a => a.QuizId == quiz).Select(a => a.State).SingleAsync());
        }
    }

    [Fact]
    public async Task EveryKindOfField_IsSavedAsTheStudentAnswers_AndComesBackOnReload()
    {
        var (quiz, email, _, _) = await SetUpAsync(null, "Primes", "Pairs", "Essay", "Sky");
        var page = await browser.NewPageAsync();
        await page.LoginAsync(email, Password);
        await page.ClickAsync("[data-testid=quiz-list] >> text=Quiz Run");
        await page.WaitForInteractiveAsync();
        await page.ClickAsync("[data-testid=start]");

        var primes = page.Locator("[data-testid=question-1]");
        await primes.Locator("label.answer-choice", new() { HasText = "3" }).ClickAsync();
        await primes.Locator("label.answer-choice", new() { HasText = "2" }).ClickAsync();
        await primes.Locator("label.answer-choice", new() { HasText = "3" }).ClickAsync();
        var pairs = page.Locator("[data-testid=question-2] select");
        await pairs.Nth(0).SelectOptionAsync("Paris");
        await pairs.Nth(1).SelectOptionAsync("Rome");
        await pairs.Nth(1).SelectOptionAsync("Madrid");
        var essay = page.Locator("[data-testid=question-3] [data-testid=answer-essay]");
        await essay.PressSequentiallyAsync("A river <b>runs</b>", new() { Delay = 20 });
        await Expect(page.Locator("[data-testid=question-3] .answer-words")).ToHaveTextAsync("3 words");
        // The keyboard path: Tab to the first choice of the true/false question, arrow to the second.
        await page.Locator("[data-testid=question-4] input[type=radio]").First.FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(page.Locator("[data-testid=save-state]")).ToHaveTextAsync("All answers saved");

        var saved = await SavedAsync(quiz);
        Assert.Equal("[\"2\"]", saved[0].Response);
        Assert.Equal("{\"France\":\"Paris\",\"Italy\":\"Madrid\"}", saved[1].Response);
        Assert.Equal("A river <b>runs</b>", System.Text.Json.JsonSerializer.Deserialize<string>(saved[2].Response!));
        Assert.Equal("false", saved[3].Response);

        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        await Expect(primes.Locator("input[type=checkbox]").Nth(0)).ToBeCheckedAsync();
        await Expect(primes.Locator("input[type=checkbox]").Nth(1)).Not.ToBeCheckedAsync();
        await Expect(pairs.Nth(0)).ToHaveValueAsync("Paris");
        await Expect(pairs.Nth(1)).ToHaveValueAsync("Madrid");
        await Expect(pairs.Nth(2)).ToHaveValueAsync("");
        await Expect(essay).ToHaveValueAsync("A river <b>runs</b>");
        await Expect(page.Locator("[data-testid=question-4] input[type=radio]").Nth(1)).ToBeCheckedAsync();
        await Expect(page.Locator("[data-testid=question-3] .answer-words")).ToHaveTextAsync("3 words");
    }

    [Fact]
    public async Task AServerRestart_InTheMiddleOfAnAttempt_ResumesWhereTheStudentWas()
    {
        using var data = new TempDirectory();
        var port = Deployed.FreePort();
        await using var first = new KestrelAppFactory(data.Path, port);
        var (quiz, email, _, _) = await SetUpAsync(first, d => d with { TimeLimitMinutes = 30 }, "Capital", "Boiling", "Sky");
        var page = await browser.NewPageAsync(app: first);
        await page.LoginAsync(email, Password);
        await page.ClickAsync("[data-testid=quiz-list] >> text=Quiz Run");
        await page.WaitForInteractiveAsync();
        await page.ClickAsync("[data-testid=start]");
        await page.Locator("[data-testid=question-1] label", new() { HasText = "Paris" }).ClickAsync();
        await page.FillAsync("[data-testid=question-2] [data-testid=answer-text]", "100");
        // The typed answer is saved after a pause: wait for its own acknowledgement, not for the page's
        // summary, which can still show the first answer's "saved" before the typing reaches the server.
        await Expect(page.Locator("[data-testid=question-2] .take-question-state")).ToHaveTextAsync("Saved");
        await Expect(page.Locator("[data-testid=save-state]")).ToHaveTextAsync("All answers saved");
        DateTime? deadline;
        await using (var db = first.CreateDbContext())
        {
            deadline = await db.Attempts.Where(a => a.QuizId == quiz).Select(a => a.Deadline).SingleAsync();
        }

        // The server stops: the page says it is rejoining.
        await first.DisposeAsync();
        await Expect(page.Locator("#components-reconnect-modal")).ToBeVisibleAsync();

        // The same server comes back on the same port and data: the page finds its circuit gone, loads
        // again, and the student carries on with the saved answers and the same deadline.
        await using var second = new KestrelAppFactory(data.Path, port);
        var paris = page.Locator("[data-testid=question-1] input[type=radio]").First;
        await Expect(paris).ToBeCheckedAsync(new() { Timeout = 60_000 });
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("[data-testid=question-2] [data-testid=answer-text]")).ToHaveValueAsync("100");
        await Expect(page.Locator("[data-testid=timer]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(30:00|2\\d:\\d\\d)$"));
        // On a busy machine the page can reload once more while it rejoins: a click that landed on the
        // page being replaced is made again, until the new page saves it.
        var state = page.Locator("[data-testid=question-3] .take-question-state");
        for (var click = 1; ; click++)
        {
            await page.Locator("[data-testid=question-3] label", new() { HasText = "False" }).ClickAsync();
            try
            {
                await Expect(state).ToHaveTextAsync("Saved", new() { Timeout = 15_000 });
                break;
            }
            catch (PlaywrightException) when (click < 4)
            {
                await page.WaitForInteractiveAsync();
            }
        }

        await page.ClickAsync("[data-testid=submit]");
        await page.ClickAsync("[data-testid=confirm]");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/attempts/\\d+/review$"));

        await using var after = second.CreateDbContext();
        var attempt = await after.Attempts.Where(a => a.QuizId == quiz).SingleAsync();
        var answers = await after.AttemptQuestions.Where(q => q.AttemptId == attempt.Id).OrderBy(q => q.Position)
            .Select(q => $"{q.Position}: {q.Response} (#{q.Sequence}, {q.Points})").ToListAsync();
        Assert.Equal(deadline, attempt.Deadline);
        Assert.True(attempt.Score == 3m, $"score {attempt.Score}; answers {string.Join("; ", answers)}");
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// Closes the open multi-select list with Escape. On a busy machine a key can arrive while the list
    /// is still rendering the last choice, so it is pressed again until no list is open.
    /// </summary>
    private static async Task CloseListsAsync(IPage page)
    {
        var open = page.Locator(".mud-popover-open");
        for (var pressed = 0; pressed < 5 && await open.CountAsync() > 0; pressed++)
        {
            await page.Keyboard.PressAsync("Escape");
            await page.WaitForTimeoutAsync(200);
        }

        await Expect(open).ToHaveCountAsync(0);
    }


    [Fact]
    public async Task AStalePage_CannotOverwriteANewerAnswer()
    {
        var (quiz, email, _, _) = await SetUpAsync(null, "Capital");
        var first = await browser.NewPageAsync();
        await first.LoginAsync(email, Password);
        await first.GotoAsync($"quizzes/{quiz}");
        await first.WaitForInteractiveAsync();
        await first.ClickAsync("[data-testid=start]");
        await Expect(first.Locator("[data-testid=question-1]")).ToBeVisibleAsync();
        var second = await first.Context.NewPageAsync();
        await second.GotoAsync(first.Url);
        await second.WaitForInteractiveAsync();

        await second.Locator("[data-testid=question-1] label", new() { HasText = "Lyon" }).ClickAsync();
        await Expect(second.Locator("[data-testid=save-state]")).ToHaveTextAsync("All answers saved");
        await first.Locator("[data-testid=question-1] label", new() { HasText = "Nice" }).ClickAsync();

        await Expect(first.Locator("[data-testid=answer-conflict]")).ToBeVisibleAsync();
        Assert.Equal("\"Lyon\"", (await SavedAsync(quiz)).Single().Response);

        // The newer page submits after a confirmation; the review shows what was saved.
        await second.ClickAsync("[data-testid=submit]");
        await Expect(second.Locator("[role=alertdialog]")).ToContainTextAsync("Submit your answers?");
        await second.ClickAsync("[data-testid=confirm]");
        await Expect(second).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/review$"));
        await Expect(second.Locator("[data-testid=review-1] [data-testid=review-answer]")).ToHaveTextAsync("Lyon");
    }

    [Fact]
    public async Task ATeacher_GradesAnEssay_AndTheStudentSeesTheComment()
    {
        var (quiz, email, studentId, _) = await SetUpAsync(null, "Essay", "Sky");
        await using (var scope = browser.App.Services.CreateAsyncScope())
        {
            var attempts = scope.ServiceProvider.GetRequiredService<AttemptService>();
            var attempt = await attempts.StartAsync(quiz, studentId);
            await attempts.SaveAnswerAsync(attempt.Id, studentId, 1, System.Text.Json.JsonDocument.Parse("\"The Danube flows through ten countries.\"").RootElement, 1);
            await attempts.SubmitAsync(attempt.Id, studentId);
        }

        var teacher = await browser.NewPageAsync();
        await teacher.LoginAsync(TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
        await teacher.GotoAsync($"grading?quiz={quiz}");
        await teacher.WaitForInteractiveAsync();
        var essay = teacher.Locator("[data-testid^=essay-]").Filter(new() { HasText = "The Danube" }).First;
        await Expect(essay).ToBeVisibleAsync();
        await teacher.ScreenshotAsync("grading-light");
        await essay.Locator("[data-testid=essay-score] input, input[data-testid=essay-score]").First.FillAsync("0.5");
        await essay.Locator("[data-testid=essay-comment] textarea, textarea[data-testid=essay-comment]").First.FillAsync("Name the ten countries.");
        await essay.Locator("[data-testid=essay-save]").ClickAsync();
        await Expect(teacher.Locator("[data-testid=nothing-to-grade]")).ToBeVisibleAsync();

        await teacher.GotoAsync($"quizzes/{quiz}/results");
        await teacher.WaitForInteractiveAsync();
        await Expect(teacher.Locator("[data-testid=attempt-table]")).ToContainTextAsync("0.5 / 2");
        await teacher.ScreenshotAsync("quiz-results-light");

        var student = await browser.NewPageAsync();
        await student.LoginAsync(email, Password);
        await student.GotoAsync($"quizzes/{quiz}");
        await student.WaitForInteractiveAsync();
        await student.ClickAsync("[data-testid=my-attempts] >> text=Attempt 1");
        await Expect(student.Locator("[data-testid=review-comment]")).ToContainTextAsync("Name the ten countries.");
    }

    [Fact]
    public async Task ATeacher_BuildsAQuiz_WithAQuestionAndADraw_AndAssignsIt()
    {
        var (_, _, _, questions) = await SetUpAsync(null, "Capital");
        var page = await browser.NewPageAsync();
        await page.LoginAsync(TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
        await page.GotoAsync("quizzes/new");
        await page.WaitForInteractiveAsync();

        // The browser asks for the title first; without questions the server's rule answers.
        await page.ClickAsync("[data-testid=save-quiz]");
        Assert.False(await page.EvalOnSelectorAsync<bool>("input[data-testid=quiz-title], [data-testid=quiz-title] input", "e => e.validity.valid"));
        await page.FillAsync("input[data-testid=quiz-title], [data-testid=quiz-title] input", "Built in the browser");
        await page.ClickAsync("[data-testid=save-quiz]");
        await Expect(page.Locator("[data-testid=slots-error]")).ToContainTextAsync("Add at least one question or draw.");

        await page.FillAsync("input[data-testid=add-question-search], [data-testid=add-question-search] input", $"#{questions["Sky"]}");
        await page.ClickAsync($"[data-testid=picker-row][data-question-id='{questions["Sky"]}'] [data-testid=picker-add]");
        await Expect(page.Locator("[data-testid=slot-1]")).ToContainTextAsync($"#{questions["Sky"]} Sky");

        string category;
        await using (var names = browser.App.CreateDbContext())
        {
            category = await names.Questions.Where(q => q.Id == questions["Sky"]).Select(q => q.Category!.Name).SingleAsync();
        }

        await page.ClickAsync("[data-testid=add-draw]");
        await page.Locator("[data-testid=slot-2] input").First.FillAsync(category);
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = category }).First.ClickAsync();
        await Expect(page.Locator("[data-testid=slot-2]")).ToContainTextAsync("6 to draw from");
        await page.ClickAsync("[data-testid=quiz-classes] >> text=Class Run");
        await page.ScreenshotAsync("quiz-builder-light");
        await page.ClickAsync("[data-testid=save-quiz]");

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/quizzes/\\d+/results$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Built in the browser");
        await using var db = browser.App.CreateDbContext();
        var built = await db.Quizzes.Include(q => q.Slots).Include(q => q.Assignments).SingleAsync(q => q.Title == "Built in the browser");
        Assert.Equal(questions["Sky"], built.Slots.Single(s => s.Position == 1).QuestionId);
        Assert.Equal((1, (int?)null), (built.Slots.Single(s => s.Position == 2).DrawCount, built.Slots.Single(s => s.Position == 2).QuestionId));
        Assert.Single(built.Assignments);
    }

    [Fact]
    public async Task AnotherTeacher_SeesTheQuizReadOnly_AndTheAuthorMakesThemACoTeacher()
    {
        var (quiz, _, _, _) = await SetUpAsync(null, "Capital", "Essay");
        var name = $"Second Teacher {Guid.NewGuid():N}"[..21];
        var email = $"{Guid.NewGuid():N}"[..10] + "@school.test";
        string secondId;
        await using (var scope = browser.App.Services.CreateAsyncScope())
        {
            secondId = (await scope.ServiceProvider.GetRequiredService<UserAdminService>().CreateAsync(new NewUser(email, name, Roles.Teacher, Password))).Id;
        }

        foreach (var (phone, theme) in new[] { (false, "light"), (false, "dark"), (true, "light") })
        {
            var suffix = $"{theme}{(phone ? "-phone" : "")}";
            var other = await browser.NewPageAsync(phone);
            await other.Context.AddCookiesAsync([new Cookie { Name = "eduloop-theme", Value = theme, Url = browser.App.RootUrl }]);
            await other.LoginAsync(email, Password);
            await other.GotoAsync($"quizzes/{quiz}/edit");
            await other.WaitForInteractiveAsync();
            await Expect(other.Locator("[data-testid=quiz-read-only]")).ToContainTextAsync("You can open, preview and duplicate it");
            await Expect(other.Locator("[data-testid=duplicate-quiz]")).ToBeVisibleAsync();
            await Expect(other.Locator("[data-testid=save-quiz]")).ToHaveCountAsync(0);
            Assert.False(await other.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "the read-only builder scrolls sideways");
            await other.ScreenshotAsync($"quiz-builder-read-only-{suffix}");
            await other.Context.CloseAsync();

            var author = await browser.NewPageAsync(phone);
            await author.Context.AddCookiesAsync([new Cookie { Name = "eduloop-theme", Value = theme, Url = browser.App.RootUrl }]);
            await author.LoginAsync(TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
            await author.GotoAsync($"quizzes/{quiz}/edit");
            await author.WaitForInteractiveAsync();
            await Expect(author.Locator("[data-testid=no-co-teachers]")).ToBeVisibleAsync();
            await author.EvaluateAsync("document.querySelector('[data-testid=co-teachers]').scrollIntoView({ block: 'center' })");
            await author.Locator("input[data-testid=co-teacher-search], [data-testid=co-teacher-search] input").First.FillAsync("Second Teacher");
            await Expect(author.Locator(".mud-popover-open .mud-list-item", new() { HasText = name })).ToBeVisibleAsync();
            Assert.False(await author.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "the co-teacher picker scrolls sideways");
            // The open list floats over the page, so this one is of the screen as the author sees it.
            await author.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"quiz-co-teacher-picker-{suffix}.png") });
            if (phone)
            {
                // Once: choose them and save; from now on they may change the quiz.
                await author.Locator(".mud-popover-open .mud-list-item", new() { HasText = name }).ClickAsync();
                await Expect(author.Locator("[data-testid=co-teacher-list]")).ToContainTextAsync(name);
                await author.ClickAsync("[data-testid=save-quiz]");
                await Expect(author).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/quizzes/\\d+/results$"));
            }

            await author.Context.CloseAsync();
        }

        await using var db = browser.App.CreateDbContext();
        Assert.Equal([secondId], await db.QuizCoTeachers.Where(c => c.QuizId == quiz).Select(c => c.TeacherId).ToListAsync());
    }

    [Fact]
    public async Task TheQuizPages_InDarkThemeAndAtPhoneWidth_RenderAndFit()
    {
        var (quiz, email, studentId, _) = await SetUpAsync(d => d with { TimeLimitMinutes = 30, AttemptsAllowed = 0 }, "Capital", "Sky", "Boiling", "Essay");
        int submitted;
        await using (var scope = browser.App.Services.CreateAsyncScope())
        {
            var attempts = scope.ServiceProvider.GetRequiredService<AttemptService>();
            var attempt = await attempts.StartAsync(quiz, studentId);
            await attempts.SaveAnswerAsync(attempt.Id, studentId, 1, System.Text.Json.JsonDocument.Parse("\"Lyon\"").RootElement, 1);
            await attempts.SaveAnswerAsync(attempt.Id, studentId, 4, System.Text.Json.JsonDocument.Parse("\"A long river.\"").RootElement, 1);
            await attempts.SubmitAsync(attempt.Id, studentId);
            submitted = attempt.Id;
        }

        foreach (var (phone, theme) in new[] { (false, "dark"), (true, "dark"), (true, "light") })
        {
            var suffix = $"{theme}{(phone ? "-phone" : "")}";
            var student = await browser.NewPageAsync(phone);
            await student.Context.AddCookiesAsync([new Cookie { Name = "eduloop-theme", Value = theme, Url = browser.App.RootUrl }]);
            await student.LoginAsync(email, Password);
            await Expect(student.Locator("[data-testid=quiz-list]")).ToBeVisibleAsync();
            await student.ScreenshotAsync($"student-quizzes-{suffix}");
            await student.GotoAsync($"quizzes/{quiz}");
            await student.WaitForInteractiveAsync();
            await student.ScreenshotAsync($"quiz-start-{suffix}");
            await student.ClickAsync("[data-testid=start], [data-testid=resume]");
            await Expect(student.Locator("[data-testid=timer]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(":"));
            Assert.False(await student.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "the quiz scrolls sideways");
            await student.ScreenshotAsync($"quiz-take-{suffix}");
            await student.GotoAsync($"attempts/{submitted}/review");
            await Expect(student.Locator("[data-testid=review-summary]")).ToBeVisibleAsync();
            Assert.False(await student.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "the review scrolls sideways");
            await student.ScreenshotAsync($"quiz-review-{suffix}");
            await student.Context.CloseAsync();

            var teacher = await browser.NewPageAsync(phone);
            await teacher.Context.AddCookiesAsync([new Cookie { Name = "eduloop-theme", Value = theme, Url = browser.App.RootUrl }]);
            await teacher.LoginAsync(TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
            foreach (var (path, name, ready) in new[]
            {
                ($"quizzes/{quiz}/results", "quiz-results", "[data-testid=attempt-table]"),
                ($"quizzes/{quiz}/edit", "quiz-builder", "[data-testid=slot-4]"),
                ($"quizzes/{quiz}/preview", "quiz-preview", "[data-testid=preview-start]"),
                ($"grading?quiz={quiz}", "grading", "[data-testid=essay-answer]"),
            })
            {
                await teacher.GotoAsync(path);
                await teacher.WaitForInteractiveAsync();
                await Expect(teacher.Locator(ready).First).ToBeVisibleAsync();
                Assert.False(await teacher.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), $"{name} scrolls sideways");
                await teacher.ScreenshotAsync($"{name}-{suffix}");
            }

            await teacher.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task AStudent_Practises_AndGetsFeedbackRightAfterEachAnswer()
    {
        var (quiz, email, _, questions) = await SetUpAsync(null, "Capital");
        // The open quiz holds Capital back from practice; its teacher gives it back early.
        await browser.App.GetService<QuizService>().ReleaseQuestionsAsync(quiz, release: true, EduLoop.Domain.Actor.Admin("admin"));
        string category;
        await using (var db = browser.App.CreateDbContext())
        {
            category = await db.Questions.Where(q => q.Id == questions["Capital"]).Select(q => q.Category!.Name).SingleAsync();
        }

        var page = await browser.NewPageAsync();
        await page.LoginAsync(email, Password);
        await page.ClickAsync("[data-testid=practice-link]");
        await page.WaitForInteractiveAsync();

        await page.ClickAsync("[data-testid=practice-group]");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Quizzes" }).First.ClickAsync();
        await page.ClickAsync("[data-testid=practice-subject]");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Browser" }).First.ClickAsync();
        await page.ClickAsync("[data-testid=practice-categories]");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = category }).First.ClickAsync();
        await CloseListsAsync(page);
        await page.ClickAsync("[data-testid=practice-start]");

        var seen = new List<string>();
        var question = page.Locator("[data-testid=practice-question]");
        var result = page.Locator("[data-testid=practice-result]");
        await Expect(question).ToBeVisibleAsync();
        while (seen.Count < 10 && await question.CountAsync() > 0)
        {
            var text = await question.Locator(".question-stem").InnerTextAsync();
            seen.Add(text);
            if (text.Contains("capital of France", StringComparison.Ordinal))
            {
                await question.Locator("label.answer-choice", new() { HasText = "Lyon" }).ClickAsync();
                await page.ClickAsync("[data-testid=practice-check]");
                await Expect(result).ToContainTextAsync("Right answer: Paris");
                await page.ScreenshotAsync("practice-feedback-light");
            }
            else if (text.Contains("boils", StringComparison.Ordinal))
            {
                await question.Locator("[data-testid=answer-text]").FillAsync("100");
                await page.ClickAsync("[data-testid=practice-check]");
                await Expect(result).ToContainTextAsync("Right!");
            }
            else if (text.Contains("Match each country", StringComparison.Ordinal))
            {
                foreach (var (select, city) in new[] { "Paris", "Rome", "Madrid" }.Select((c, i) => (question.Locator("select").Nth(i), c)))
                {
                    await select.SelectOptionAsync(city);
                }

                await page.ClickAsync("[data-testid=practice-check]");
                await Expect(result).ToContainTextAsync("Right!");
                await Expect(question.Locator("select").First).ToBeDisabledAsync();
            }

            await page.ClickAsync("[data-testid=practice-next]");
            // The next question (or the end) replaces this one and its result.
            await Expect(page.Locator("[data-testid=practice-done], [data-testid=practice-question] .question-stem").First).Not.ToHaveTextAsync(text);
        }

        Assert.True(seen.Count == 6, string.Join(" | ", seen));
        await Expect(page.Locator("[data-testid=practice-done]")).ToBeVisibleAsync();
        Assert.Equal(6, seen.Distinct().Count());
    }

    [Fact]
    public async Task AStudent_TakingAQuiz_IsSentBackToItFromPractice_AndAnOpenQuizsQuestionNeverShows()
    {
        var (quiz, email, studentId, questions) = await SetUpAsync(null, "Capital");
        string category;
        await using (var db = browser.App.CreateDbContext())
        {
            category = await db.Questions.Where(q => q.Id == questions["Capital"]).Select(q => q.Category!.Name).SingleAsync();
        }

        int attempt;
        await using (var scope = browser.App.Services.CreateAsyncScope())
        {
            attempt = (await scope.ServiceProvider.GetRequiredService<AttemptService>().StartAsync(quiz, studentId)).Id;
        }

        foreach (var (phone, theme) in new[] { (false, "light"), (false, "dark"), (true, "light") })
        {
            var page = await browser.NewPageAsync(phone);
            await page.Context.AddCookiesAsync([new Cookie { Name = "eduloop-theme", Value = theme, Url = browser.App.RootUrl }]);
            await page.LoginAsync(email, Password);
            await page.GotoAsync("practice");
            await page.WaitForInteractiveAsync();
            await Expect(page.Locator("[data-testid=practice-blocked]")).ToContainTextAsync("attempt in progress");
            await Expect(page.Locator("[data-testid=practice-blocked] a")).ToHaveAttributeAsync("href", $"attempts/{attempt}");
            await Expect(page.Locator("[data-testid=practice-start]")).ToHaveCountAsync(0);
            await page.ScreenshotAsync($"practice-blocked-{theme}{(phone ? "-phone" : "")}");
            await page.Context.CloseAsync();
        }

        await using (var scope = browser.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AttemptService>().SubmitAsync(attempt, studentId);
        }

        // Submitted, but the quiz is still open: the rest of its category, never the quiz's question.
        var student = await browser.NewPageAsync();
        await student.LoginAsync(email, Password);
        await student.GotoAsync("practice");
        await student.WaitForInteractiveAsync();
        await student.ClickAsync("[data-testid=practice-group]");
        await student.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Quizzes" }).First.ClickAsync();
        await student.ClickAsync("[data-testid=practice-subject]");
        await student.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Browser" }).First.ClickAsync();
        await student.ClickAsync("[data-testid=practice-categories]");
        await student.Locator(".mud-popover-open .mud-list-item", new() { HasText = category }).First.ClickAsync();
        await CloseListsAsync(student);
        await student.ClickAsync("[data-testid=practice-start]");
        var seen = new List<string>();
        var question = student.Locator("[data-testid=practice-question]");
        await Expect(question).ToBeVisibleAsync();
        while (seen.Count < 10 && await question.CountAsync() > 0)
        {
            var text = await question.Locator(".question-stem").InnerTextAsync();
            seen.Add(text);
            await student.ClickAsync("[data-testid=practice-next]");
            await Expect(student.Locator("[data-testid=practice-done], [data-testid=practice-question] .question-stem").First).Not.ToHaveTextAsync(text);
        }

        Assert.Equal(5, seen.Count);
        Assert.DoesNotContain(seen, t => t.Contains("capital of France", StringComparison.Ordinal));
    }
}
