using System.Text.Json;
using EduLoop.Domain;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Identity;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.E2E;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EduLoop.Tests.Security;

/// <summary>
/// A school whose every name and text that a teacher or student can set is a hostile payload: the groups,
/// subjects, categories, subcategories, questions (title, stem, choices, feedback, tags), quizzes (title,
/// instructions), classes, people's names, an essay answer and a grading comment. Written through the
/// domain services on its own app (no demo school, so these are the only names its charts and lists show).
/// </summary>
public sealed class HostileSchool : IAsyncLifetime
{
    public const string Password = "hostile school passphrase";
    public const string TeacherEmail = "teacher@hostile.test";
    public const string StudentEmail = "student@hostile.test";
    public const string OtherStudentEmail = "other@hostile.test";

    /// <summary>The name a subject had when it ran script on every teacher's home.</summary>
    public const string SubjectName = "XSSS <svg onload=alert(1)>";

    /// <summary>Shown as text wherever the payloads reach a page: first, so that every shortened name keeps it.</summary>
    public const string Marker = "{{7*7}}";

    public static readonly string[] Payloads =
    [
        Marker,
        "@(1+1)",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        SubjectName,
        "\"><iframe src=javascript:alert(1)>",
        "[x](javascript:alert(1))",
        "javascript:alert(1)",
        "<a href=\"http://evil.example/\" target=_blank>Sign in again</a>",
        "<img src=\"http://127.0.0.2:1/track.png\">",
        "<form action=http://evil.example><input type=password></form>",
    ];

    /// <summary>Every payload in one text, a paragraph each.</summary>
    public static string All { get; } = string.Join("\n\n", Payloads);

    public KestrelAppFactory App { get; private set; } = null!;

    public int FullQuestion { get; private set; }
    public int EssayQuestion { get; private set; }
    public int MatchingQuestion { get; private set; }
    public int FirstQuestion { get; private set; }
    public int Quiz { get; private set; }
    public int OtherQuiz { get; private set; }
    public int GradedAttempt { get; private set; }
    public int OpenAttempt { get; private set; }

    /// <summary>The payloads packed into as few names of at most <paramref name="max"/> characters as they fit.</summary>
    public static List<string> Packed(int max)
    {
        var names = new List<string> { "" };
        foreach (var payload in Payloads)
        {
            var next = names[^1].Length == 0 ? payload : names[^1] + " " + payload;
            if (next.Length <= max)
            {
                names[^1] = next;
            }
            else
            {
                names.Add(payload);
            }
        }

        return names;
    }

    public async Task InitializeAsync()
    {
        App = new KestrelAppFactory(null, 0, demoData: false);
        await using var scope = App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var names = Packed(Limits.NameLength);
        var users = services.GetRequiredService<UserAdminService>();
        var teacher = await users.CreateAsync(new NewUser(TeacherEmail, names[0], Roles.Teacher, Password));
        var student = await users.CreateAsync(new NewUser(StudentEmail, names[0], Roles.Student, Password));
        var other = await users.CreateAsync(new NewUser(OtherStudentEmail, names[^1], Roles.Student, Password));

        var bank = services.GetRequiredService<BankService>();
        var place = (Category: 0, SubCategory: 0);
        foreach (var payload in Payloads)
        {
            var group = await bank.CreateNodeAsync(BankNodeKind.Group, null, payload);
            var subject = await bank.CreateNodeAsync(BankNodeKind.Subject, group, payload);
            var category = await bank.CreateNodeAsync(BankNodeKind.Category, subject, payload);
            var subCategory = await bank.CreateNodeAsync(BankNodeKind.SubCategory, category, payload);
            var id = await SaveAsync(bank, teacher.Id, (category, subCategory), QuestionType.Mcq, payload, $"{payload} $x^2$",
                new QuestionBody { Choices = [new(payload, 1m, payload), new("safe", 0m, payload)], GeneralFeedback = payload });
            if (place.Category == 0)
            {
                (place, FirstQuestion) = ((category, subCategory), id);
            }
        }

        var choices = Payloads.Select(p => new Choice(p, 0m, p)).Append(new Choice("safe", 1m, All)).ToList();
        FullQuestion = await SaveAsync(bank, teacher.Id, place, QuestionType.Mcq, All, All, new QuestionBody { Choices = choices, GeneralFeedback = All });
        EssayQuestion = await SaveAsync(bank, teacher.Id, place, QuestionType.Writing, All, All, new QuestionBody { GeneralFeedback = All });
        var pairs = Payloads.Take(4).Select((p, i) => new MatchPair(p, $"{i} {p}")).ToList();
        MatchingQuestion = await SaveAsync(bank, teacher.Id, place, QuestionType.Matching, All, All, new QuestionBody { Pairs = pairs, GeneralFeedback = All });

        var classes = services.GetRequiredService<ClassService>();
        var classIds = new List<int>();
        foreach (var name in names)
        {
            var schoolClass = await classes.CreateAsync(name, All, Actor.Teacher(teacher.Id));
            classIds.Add(schoolClass.Id);
            var key = (await classes.ListKeysAsync(schoolClass.Id)).First().Key;
            await classes.JoinAsync(student.Id, key);
            await classes.JoinAsync(other.Id, key);
        }

        var titles = Packed(Limits.TitleLength);
        var quizzes = services.GetRequiredService<QuizService>();
        var draft = new QuizDraft(titles[0], [new(FullQuestion), new(EssayQuestion), new(MatchingQuestion), new(FirstQuestion)])
        {
            Instructions = All,
            ClassIds = classIds,
            AttemptsAllowed = 2,
            ShuffleChoices = false,
            Review = ReviewTime.Immediately,
            ReviewShowsCorrectAnswers = true,
        };
        Quiz = await quizzes.CreateAsync(draft, teacher.Id);
        OtherQuiz = await quizzes.CreateAsync(draft with { Title = titles[^1], Slots = [new(EssayQuestion)] }, teacher.Id);

        var attempts = services.GetRequiredService<AttemptService>();
        var graded = await attempts.StartAsync(Quiz, student.Id);
        await attempts.SaveAnswerAsync(graded.Id, student.Id, 1, Json(Payloads[3]), 1);
        await attempts.SaveAnswerAsync(graded.Id, student.Id, 2, Json(All), 1);
        await attempts.SaveAnswerAsync(graded.Id, student.Id, 3, Json(pairs.ToDictionary(p => p.Prompt, p => p.Answer)), 1);
        await attempts.SubmitAsync(graded.Id, student.Id);
        var grading = services.GetRequiredService<GradingService>();
        foreach (var essay in await grading.QueueAsync(EduLoop.Domain.Actor.Teacher(teacher.Id), Quiz))
        {
            await grading.GradeAsync(essay.AnswerId, 1m, All, EduLoop.Domain.Actor.Teacher(teacher.Id));
        }

        GradedAttempt = graded.Id;
        OpenAttempt = (await attempts.StartAsync(Quiz, student.Id)).Id;
        var ungraded = await attempts.StartAsync(OtherQuiz, other.Id);
        await attempts.SaveAnswerAsync(ungraded.Id, other.Id, 1, Json(All), 1);
        await attempts.SubmitAsync(ungraded.Id, other.Id);
    }

    private static async Task<int> SaveAsync(
        BankService bank, string author, (int Category, int SubCategory) place, QuestionType type, string title, string stem, QuestionBody body) =>
        (await bank.SaveAsync(new EditableQuestion(0, place.Category, place.SubCategory, "", type, QuestionLevel.Easy, title, stem, body, Payloads,
            0, Guid.Empty, DateTime.UtcNow, false), author)).Id;

    private static JsonElement Json<T>(T value) => JsonSerializer.SerializeToElement(value);

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// Every page that shows what users wrote, opened by every role in a real browser over <see cref="HostileSchool"/>:
/// no payload opens a dialog, becomes an element, or makes the browser fetch from another site.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HostileContentTests(BrowserFixture browser, HostileSchool school) : IClassFixture<HostileSchool>
{
    /// <summary>What a payload would have added to the page, as outer HTML; empty when the page is clean.</summary>
    private const string InjectedScript = """
        () => {
            const origin = location.origin;
            const found = [];
            const add = e => found.push(e.outerHTML.slice(0, 160));
            document.querySelectorAll('img[src="x"], svg[onload], [onload], [onerror], iframe, frame, object, embed, form[action*="evil"], '
                + 'input[type=password], [href^="javascript:" i], [src^="javascript:" i], [action^="javascript:" i]').forEach(add);
            document.querySelectorAll('script').forEach(s => {
                if (s.src ? new URL(s.src, location.href).origin !== origin : s.textContent.includes('alert(')) add(s);
            });
            document.querySelectorAll('img').forEach(i => { if (new URL(i.src, location.href).origin !== origin) add(i); });
            document.querySelectorAll('a[href]').forEach(a => {
                const rel = (a.getAttribute('rel') || '').split(/\s+/);
                if (new URL(a.href, location.href).origin !== origin && !(rel.includes('noopener') && rel.includes('noreferrer'))) add(a);
            });
            return found;
        }
        """;

    private sealed record Watched(IPage Page, List<string> Dialogs, List<string> Foreign);

    /// <summary>A signed-in page whose dialogs and requests to anywhere but the app are written down (and never sent).</summary>
    private async Task<Watched> SignInAsync(string email, string password, string theme = "light")
    {
        var page = await browser.NewPageAsync(app: school.App);
        var origin = new Uri(school.App.RootUrl).GetLeftPart(UriPartial.Authority);
        var dialogs = new List<string>();
        var foreign = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            if (dialog.Type == "beforeunload")
            {
                await dialog.AcceptAsync();
                return;
            }

            lock (dialogs)
            {
                dialogs.Add($"{dialog.Type} \"{dialog.Message}\" on {page.Url}");
            }

            await dialog.DismissAsync();
        };
        page.Context.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(origin + "/", StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                lock (foreign)
                {
                    foreign.Add($"{request.Url} from {page.Url}");
                }
            }
        };
        await page.Context.RouteAsync(url => !url.StartsWith(origin + "/", StringComparison.Ordinal), route => route.AbortAsync());
        await page.Context.AddCookiesAsync([new Cookie { Name = "eduloop-theme", Value = theme, Url = school.App.RootUrl }]);
        var watched = new Watched(page, dialogs, foreign);
        try
        {
            await page.LoginAsync(email, password);
        }
        catch (TimeoutException e)
        {
            // A page that a payload broke may never come alive: say what the payload did, not only that it timed out.
            var injected = await page.EvaluateAsync<string[]>(InjectedScript);
            Assert.Fail($"{email}'s home never became interactive; dialogs: {string.Join(" | ", dialogs)}; injected: {string.Join(" | ", injected)}; {e.Message}");
        }

        await ProveTheWatchersWorkAsync(watched);
        return watched;
    }

    /// <summary>A dialog and a request to another site, made on purpose, are both seen: a test that sees nothing proves something.</summary>
    private static async Task ProveTheWatchersWorkAsync(Watched watched)
    {
        await watched.Page.EvaluateAsync("() => { new Image().src = 'http://127.0.0.2:1/probe.png'; alert('probe'); }");
        for (var waited = 0; waited < 50 && (watched.Foreign.Count == 0 || watched.Dialogs.Count == 0); waited++)
        {
            await watched.Page.WaitForTimeoutAsync(100);
        }

        Assert.Contains(watched.Dialogs, d => d.Contains("probe", StringComparison.Ordinal));
        Assert.Contains(watched.Foreign, r => r.StartsWith("http://127.0.0.2:1/probe.png", StringComparison.Ordinal));
        lock (watched.Dialogs)
        {
            watched.Dialogs.Clear();
        }

        lock (watched.Foreign)
        {
            watched.Foreign.Clear();
        }

        // The page's Content-Security-Policy refuses the probe's image too, and says so: that refusal was made on purpose.
        var console = PageExtensions.ConsoleOf(watched.Page);
        for (var waited = 0; waited < 50 && !PageExtensions.PolicyViolationsOf(watched.Page).Any(m => m.Contains("probe.png", StringComparison.Ordinal)); waited++)
        {
            await watched.Page.WaitForTimeoutAsync(100);
        }

        Assert.Contains(PageExtensions.PolicyViolationsOf(watched.Page), m => m.Contains("127.0.0.2:1/probe.png", StringComparison.Ordinal));
        lock (console)
        {
            console.RemoveAll(m => m.Contains("127.0.0.2:1/probe.png", StringComparison.Ordinal));
        }
    }

    private static async Task OpenAsync(Watched watched, string path, string ready)
    {
        await watched.Page.GotoAsync(path);
        await watched.Page.WaitForInteractiveAsync();
        await Expect(watched.Page.Locator(ready).First).ToBeVisibleAsync();
    }

    /// <summary>Checks the page as it is now: the payloads are there as text, and nothing they asked for happened.</summary>
    private static async Task AssertInertAsync(Watched watched, string what, bool showsPayloads = true)
    {
        // Script in an image's error handler or an SVG's load runs within moments of the markup arriving.
        await watched.Page.WaitForTimeoutAsync(150);
        var injected = await watched.Page.EvaluateAsync<string[]>(InjectedScript);
        Assert.True(injected.Length == 0, $"{what}: injected {string.Join(" | ", injected)}");
        Assert.True(watched.Dialogs.Count == 0, $"{what}: dialogs {string.Join(" | ", watched.Dialogs)}");
        Assert.True(watched.Foreign.Count == 0, $"{what}: requests to other sites {string.Join(" | ", watched.Foreign)}");
        if (showsPayloads)
        {
            Assert.True(await watched.Page.EvaluateAsync<bool>("m => document.body.textContent.includes(m)", HostileSchool.Marker),
                $"{what} does not show the payloads, so it proves nothing");
        }
    }

    [Fact]
    public async Task TeacherHome_HostileSubjectName_ChartShowsItAsTextAndRunsNothing()
    {
        var teacher = await SignInAsync(HostileSchool.TeacherEmail, HostileSchool.Password);
        await Expect(teacher.Page.Locator("[data-testid=subject-chart]")).ToBeVisibleAsync();

        var labels = await teacher.Page.Locator("[data-testid=subject-chart] .mud-charts-xaxis text").AllTextContentsAsync();
        Assert.Contains(HostileSchool.SubjectName, labels);
        Assert.Equal(HostileSchool.Payloads.Order(StringComparer.Ordinal), labels.Order(StringComparer.Ordinal));
        await AssertInertAsync(teacher, "teacher home");
        await teacher.Page.ScreenshotAsync("teacher-home-hostile-subject-light");
        await teacher.Page.Locator("[data-testid=subject-chart]").ScreenshotAsync(new LocatorScreenshotOptions
        {
            Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "teacher-home-hostile-subject-chart-light.png"),
        });
        await teacher.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task EveryPage_HostileTextInEveryField_ShowsItAsTextOnly()
    {
        var teacher = await SignInAsync(HostileSchool.TeacherEmail, HostileSchool.Password);
        await Expect(teacher.Page.Locator("[data-testid=recently-edited]")).ToBeVisibleAsync();
        await AssertInertAsync(teacher, "teacher home");
        await OpenAsync(teacher, "bank", "[data-testid=bank-row]");
        await AssertInertAsync(teacher, "bank");
        var closed = teacher.Page.Locator("[data-testid=bank-tree] li[aria-expanded=false]");
        var open = teacher.Page.Locator("[data-testid=bank-tree] li[aria-expanded=true]");
        for (var level = 1; level <= 3; level++)
        {
            // Every closed node of one level at once (each button once: a second click before the render would close it again).
            await closed.Locator(":scope > div button[aria-label^='Expand']").EvaluateAllAsync<int>("buttons => { buttons.forEach(b => b.click()); return buttons.length; }");
            await Expect(open).ToHaveCountAsync(level * HostileSchool.Payloads.Length);
        }

        await Expect(teacher.Page.Locator("[data-testid=tree-node]")).ToHaveCountAsync(4 * HostileSchool.Payloads.Length);
        await AssertInertAsync(teacher, "bank tree, every node open");

        foreach (var (path, ready) in new[]
        {
            ($"bank/questions/{school.FullQuestion}", "[data-testid=question-view]"),
            ($"bank/questions/{school.MatchingQuestion}", "[data-testid=question-view]"),
            ("quizzes", "[data-testid=quiz-table]"),
            ($"quizzes/{school.Quiz}/edit", "[data-testid=slot-4]"),
            ($"quizzes/{school.Quiz}/preview", "[data-testid=preview-start]"),
            ($"quizzes/{school.Quiz}/results", "[data-testid=attempt-table]"),
            ($"quizzes/{school.OtherQuiz}/results", "[data-testid=attempt-table]"),
            ("classes", "[data-testid=members], [data-testid=no-members]"),
            ("grading", "[data-testid=essay-answer]"),
        })
        {
            await OpenAsync(teacher, path, ready);
            await AssertInertAsync(teacher, path);
        }

        await teacher.Page.GetByText("Show graded answers too").ClickAsync();
        await Expect(teacher.Page.Locator("[data-testid=essay-answer]")).ToHaveCountAsync(2);
        await AssertInertAsync(teacher, "grading, graded answers too");
        await teacher.Page.Context.CloseAsync();

        var student = await SignInAsync(HostileSchool.StudentEmail, HostileSchool.Password);
        await Expect(student.Page.Locator("[data-testid=quiz-list]")).ToBeVisibleAsync();
        await AssertInertAsync(student, "student home");
        foreach (var (path, ready) in new[]
        {
            ($"quizzes/{school.Quiz}", "[data-testid=my-attempts]"),
            ($"attempts/{school.OpenAttempt}", "[data-testid=answer-input]"),
            ($"attempts/{school.GradedAttempt}/review", "[data-testid=review-summary]"),
        })
        {
            await OpenAsync(student, path, ready);
            await AssertInertAsync(student, path);
        }

        // Practice waits while an attempt is in progress and holds back an open quiz's questions: the
        // student submits and the teacher gives the questions back, so that practice shows the payloads.
        await using (var scope = school.App.Services.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            string studentId;
            await using (var db = school.App.CreateDbContext())
            {
                studentId = await db.Attempts.Where(a => a.Id == school.OpenAttempt).Select(a => a.StudentId).SingleAsync();
            }

            await services.GetRequiredService<AttemptService>().SubmitAsync(school.OpenAttempt, studentId);
            foreach (var quiz in new[] { school.Quiz, school.OtherQuiz })
            {
                await services.GetRequiredService<QuizService>().ReleaseQuestionsAsync(quiz, release: true, Actor.Admin("admin"));
            }
        }

        await OpenAsync(student, "practice", "[data-testid=practice-group]");
        await AssertInertAsync(student, "practice", showsPayloads: false);
        await student.Page.ClickAsync("[data-testid=practice-group]");
        await Expect(student.Page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(HostileSchool.Payloads.Length);
        await AssertInertAsync(student, "practice, groups open");
        await student.Page.Locator(".mud-popover-open .mud-list-item").First.ClickAsync();
        await student.Page.ClickAsync("[data-testid=practice-subject]");
        await student.Page.Locator(".mud-popover-open .mud-list-item").First.ClickAsync();
        await student.Page.ClickAsync("[data-testid=practice-start]");
        var question = student.Page.Locator("[data-testid=practice-question]");
        await Expect(question).ToBeVisibleAsync();
        await AssertInertAsync(student, "practice question");
        await question.Locator("label.answer-choice").First.ClickAsync();
        await student.Page.ClickAsync("[data-testid=practice-check]");
        await Expect(student.Page.Locator("[data-testid=practice-result]")).ToBeVisibleAsync();
        await AssertInertAsync(student, "practice feedback");
        await student.Page.Context.CloseAsync();

        var admin = await SignInAsync(TestAccounts.AdminEmail, TestAccounts.AdminPassword);
        await AssertInertAsync(admin, "admin home", showsPayloads: false);
        await OpenAsync(admin, "admin/users", "[data-testid=users-table]");
        await AssertInertAsync(admin, "admin/users");
        await OpenAsync(admin, "admin/classes", "[data-testid=classes-table]");
        await AssertInertAsync(admin, "admin/classes");
        await admin.Page.Locator("[data-testid=show-keys]").First.ClickAsync();
        await Expect(admin.Page.Locator(".mud-dialog")).ToBeVisibleAsync();
        await AssertInertAsync(admin, "admin/classes, keys of a class");
        await admin.Page.Context.CloseAsync();
    }
}
