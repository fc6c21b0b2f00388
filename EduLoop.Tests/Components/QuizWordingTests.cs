using System.Globalization;
using System.Security.Claims;
using System.Text;

using Bunit;

using EduLoop.App;
using EduLoop.App.Components.Layout;
using EduLoop.App.Components.Pages.Home;
using EduLoop.App.Components.Pages.Quizzes;
using EduLoop.App.Rendering;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Identity;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace EduLoop.Tests.Components;

/// <summary>
/// How quiz pages word things: counts through the localizer's one/other forms, "To grade" for essays
/// waiting for a grade, an attempt the clock ended, descriptions that are not numbered or scored, and a
/// quiz's score on the student's home once its review allows it.
/// </summary>
public sealed class QuizWordingTests : MudComponentTest
{
    private const string Gift = """
        $CATEGORY: Geography/Europe/Capitals

        ::Intro::Read the map before you answer.

        ::Capital::What is the capital of France? {=Paris ~Lyon}

        ::Essay::Describe a river. {}
        """;

    private DomainDatabase _database = null!;
    private AttemptService _attempts = null!;
    private string _student = "";
    private string _teacher = "";
    private int _class;

    public override async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        await _database.Get<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(Gift)), new ImportOptions(), null);
        var accounts = _database.Get<UserAdminService>();
        _student = (await accounts.CreateAsync(new NewUser("kid@school.test", "Kid", Roles.Student, "long enough passphrase"))).Id;
        _teacher = (await accounts.CreateAsync(new NewUser("ana@school.test", "Ana", Roles.Teacher, "long enough passphrase"))).Id;
        var classes = _database.Get<ClassService>();
        var schoolClass = await classes.CreateAsync("7b", null);
        _class = schoolClass.Id;
        await classes.JoinAsync(_student, (await classes.ListKeysAsync(_class))[0].Key);
        _attempts = _database.Get<AttemptService>();
        Services.AddSingleton(_attempts);
        Services.AddSingleton(_database.Get<EduLoop.Domain.Learning.LearningService>());
        Services.AddSingleton(classes);
        Services.AddSingleton<QuestionRenderer>();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    private void SignInAs(string userId, string role)
    {
        var auth = Context.AddAuthorization();
        auth.SetAuthorized(userId);
        auth.SetRoles(role);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId));
    }

    private async Task<int> QuizAsync(Func<QuizDraft, QuizDraft>? change = null, params string[] titles)
    {
        await using var db = _database.CreateContext();
        var ids = new List<int>();
        foreach (var title in titles.Length > 0 ? titles : ["Intro", "Capital"])
        {
            ids.Add(await db.Questions.Where(q => q.Title == title).Select(q => q.Id).SingleAsync());
        }

        var draft = new QuizDraft("Capitals", ids.Select(id => new SlotDraft(QuestionId: id)).ToList())
        {
            ClassIds = [_class],
            AttemptsAllowed = 0,
            Review = ReviewTime.Immediately,
        };
        return await _database.Get<QuizService>().CreateAsync(change?.Invoke(draft) ?? draft, _teacher);
    }

    private async Task<int> SubmittedAttemptAsync(int quiz)
    {
        var attempt = await _attempts.StartAsync(quiz, _student);
        await _attempts.SubmitAsync(attempt.Id, _student);
        return attempt.Id;
    }

    [Fact]
    public async Task StudentHome_ShouldCountMinutes_InTheSingularForOne_InEnglishAndGerman()
    {
        await QuizAsync(d => d with { Title = "Short", TimeLimitMinutes = 1 });
        await QuizAsync(d => d with { Title = "Long", TimeLimitMinutes = 20 });

        RenderProviders();
        var english = RenderStudentHome(withProviders: false);
        english.WaitForAssertion(() => Assert.Contains("1 minute", english.Find("[data-testid=quiz-list]").TextContent));
        Assert.DoesNotContain("1 minutes", english.Find("[data-testid=quiz-list]").TextContent);
        Assert.Contains("20 minutes", english.Find("[data-testid=quiz-list]").TextContent);

        using (new UiCulture("de"))
        {
            var german = RenderStudentHome(withProviders: false);
            german.WaitForAssertion(() => Assert.Contains("1 Minute", german.Find("[data-testid=quiz-list]").TextContent));
            Assert.DoesNotContain("1 Minuten", german.Find("[data-testid=quiz-list]").TextContent);
            Assert.Contains("20 Minuten", german.Find("[data-testid=quiz-list]").TextContent);
        }
    }

    [Fact]
    public async Task StudentHome_ShouldShowAQuizsScore_OnlyOnceTheReviewPolicyAllowsIt()
    {
        var open = await QuizAsync(d => d with { Title = "Open review" });
        var later = await QuizAsync(d => d with { Title = "Later review", Review = ReviewTime.AfterClose, ClosesAt = DateTime.UtcNow.AddDays(1) });
        await SubmittedAttemptAsync(open);
        await SubmittedAttemptAsync(later);

        var home = RenderStudentHome();

        home.WaitForAssertion(() => Assert.Single(home.FindAll("[data-testid=quiz-score]")));
        var items = home.FindAll("[data-testid=quiz-list] .mud-list-item");
        var shown = items.Single(i => i.TextContent.Contains("Open review", StringComparison.Ordinal));
        Assert.Equal("Score: 0 / 1", shown.QuerySelector("[data-testid=quiz-score]")!.TextContent.Trim());
        var hidden = items.Single(i => i.TextContent.Contains("Later review", StringComparison.Ordinal));
        Assert.Null(hidden.QuerySelector("[data-testid=quiz-score]"));
    }

    [Fact]
    public async Task ReviewAttempt_ShouldSayTheClockEndedIt_OnlyWhenItDid()
    {
        var quiz = await QuizAsync(d => d with { TimeLimitMinutes = 30 });
        var byStudent = await SubmittedAttemptAsync(quiz);
        var byClock = (await _attempts.StartAsync(quiz, _student)).Id;
        await using (var db = _database.CreateContext())
        {
            await db.Attempts.Where(a => a.Id == byClock).ExecuteUpdateAsync(u => u.SetProperty(a => a.Deadline, DateTime.UtcNow.AddMinutes(-1)));
        }

        await _attempts.SubmitOverdueAsync(byClock);
        SignInAs(_student, Roles.Student);

        var timedOut = Render<ReviewAttempt>(p => p.Add(r => r.AttemptId, byClock));
        timedOut.WaitForAssertion(() => Assert.Contains("Time ran out: your answers were submitted automatically.", timedOut.Find("[data-testid=review-time-up]").TextContent));

        var submitted = Render<ReviewAttempt>(p => p.Add(r => r.AttemptId, byStudent));
        submitted.WaitForElement("[data-testid=review-summary]");
        Assert.Empty(submitted.FindAll("[data-testid=review-time-up]"));
    }

    [Fact]
    public async Task ReviewAttempt_ShouldNeitherNumberNorScoreADescription_AndCallAWaitingEssayToGrade()
    {
        var quiz = await QuizAsync(null, "Intro", "Capital", "Essay");
        var attempt = await _attempts.StartAsync(quiz, _student);
        await _attempts.SaveAnswerAsync(attempt.Id, _student, 3, System.Text.Json.JsonDocument.Parse("\"It flows.\"").RootElement, 1);
        await _attempts.SubmitAsync(attempt.Id, _student);
        SignInAs(_student, Roles.Student);

        var review = Render<ReviewAttempt>(p => p.Add(r => r.AttemptId, attempt.Id));

        review.WaitForElement("[data-testid=review-1]");
        var description = review.Find("[data-testid=review-1]");
        Assert.Equal("Information", description.QuerySelector("h2")!.TextContent.Trim());
        Assert.Null(description.QuerySelector("[data-testid=outcome]"));
        Assert.DoesNotContain("/", description.QuerySelector(".take-question-head")!.TextContent);
        Assert.Equal("Question 1", review.Find("[data-testid=review-2] h2").TextContent.Trim());
        Assert.Equal("Question 2", review.Find("[data-testid=review-3] h2").TextContent.Trim());
        Assert.Equal("To grade", review.Find("[data-testid=review-3] [data-testid=outcome]").TextContent.Trim());
        Assert.DoesNotContain("Question 3", review.Markup);
    }

    [Fact]
    public async Task GradingQueue_ShouldNumberAnEssay_AsTheStudentSawIt_AndBeCalledToGrade()
    {
        var quiz = await QuizAsync(null, "Intro", "Essay");
        var attempt = await _attempts.StartAsync(quiz, _student);
        await _attempts.SaveAnswerAsync(attempt.Id, _student, 2, System.Text.Json.JsonDocument.Parse("\"It flows.\"").RootElement, 1);
        await _attempts.SubmitAsync(attempt.Id, _student);
        Services.AddSingleton(_database.Get<GradingService>());
        SignInAs(_teacher, Roles.Teacher);
        RenderProviders();

        var page = Render<GradingQueue>();

        page.WaitForElement("[data-testid=essay-answer]");
        Assert.Equal("To grade", page.Find("h1").TextContent.Trim());
        Assert.Contains("Question 1", page.Markup);
        Assert.DoesNotContain("Question 2", page.Markup);
    }

    [Fact]
    public async Task TakeQuiz_ShouldNeitherNumberNorScoreADescription()
    {
        var quiz = await QuizAsync(d => d with { OneQuestionPerPage = false });
        var attempt = await _attempts.StartAsync(quiz, _student);
        SignInAs(_student, Roles.Student);

        var page = Render<TakeQuiz>(p => p.Add(t => t.AttemptId, attempt.Id));

        page.WaitForElement("[data-testid=question-2]");
        Assert.Equal("Information", page.Find("[data-testid=question-1] h2").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=question-1] .quiz-points"));
        Assert.Equal("Question 1", page.Find("[data-testid=question-2] h2").TextContent.Trim());
        Assert.Equal("1 point", page.Find("[data-testid=question-2] .quiz-points").TextContent.Trim());
        Assert.Contains("0 of 1 answered", page.Markup);
    }

    [Fact]
    public void NavMenu_ShouldCallTheEssayQueue_ToGrade()
    {
        SignInAs(_teacher, Roles.Teacher);

        var menu = Render<NavMenu>();

        Assert.Contains(menu.FindAll("a"), a => a.TextContent.Trim() == "To grade" && a.GetAttribute("href") == "grading");
        Assert.DoesNotContain("Grading", menu.Markup);
        using (new UiCulture("de"))
        {
            var german = Render<NavMenu>();
            Assert.Contains(german.FindAll("a"), a => a.TextContent.Trim() == "Zu bewerten");
        }
    }

    private IRenderedComponent<StudentHome> RenderStudentHome(bool withProviders = true)
    {
        if (withProviders)
        {
            RenderProviders();
        }

        return Render<StudentHome>(p => p.Add(c => c.Name, "Kid").Add(c => c.UserId, _student));
    }

    /// <summary>Renders in a language for a while, as the app's request localization would.</summary>
    private sealed class UiCulture : IDisposable
    {
        private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
        private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

        public UiCulture(string name) => (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (new CultureInfo(name), new CultureInfo(name));

        public void Dispose() => (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (_culture, _uiCulture);
    }
}

/// <summary>The one/other choice itself, with the real resources.</summary>
public sealed class PluralLocalizerTests
{
    private static IStringLocalizer Localizer() =>
        new ServiceCollection().AddLogging().AddLocalization(o => o.ResourcesPath = "Resources").BuildServiceProvider()
            .GetRequiredService<IStringLocalizer<SharedResource>>();

    [Theory]
    [InlineData("en", 0, "0 minutes")]
    [InlineData("en", 1, "1 minute")]
    [InlineData("en", 2, "2 minutes")]
    [InlineData("de", 0, "0 Minuten")]
    [InlineData("de", 1, "1 Minute")]
    [InlineData("de", 2, "2 Minuten")]
    public void Plural_ChoosesTheFormByTheCount_InEachLanguage(string language, int count, string expected)
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (new CultureInfo(language), new CultureInfo(language));
            Assert.Equal(expected, Localizer().Plural(count, "{0} minute", "{0} minutes").Value);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }

    [Fact]
    public void Plural_FillsTheGivenArguments_AndTreatsFractionsAsPlural()
    {
        var localizer = Localizer();

        Assert.Equal("1.5 points", localizer.Plural(1.5m, "1 point", "{0} points", "1.5").Value);
        Assert.Equal("1 point", localizer.Plural(1m, "1 point", "{0} points", "1").Value);
        Assert.Equal("Delete \"Quiz\" with its 1 attempt and its grade? This cannot be undone.",
            localizer.Plural(1, "Delete \"{0}\" with its {1} attempt and its grade? This cannot be undone.",
                "Delete \"{0}\" with its {1} attempts and their grades? This cannot be undone.", "Quiz", 1).Value);
    }
}
