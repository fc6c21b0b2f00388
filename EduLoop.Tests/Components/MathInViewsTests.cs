using System.Security.Claims;
using System.Text;
using System.Text.Json;

using AngleSharp.Dom;

using Bunit;

using EduLoop.App.Components.Pages.Bank;
using EduLoop.App.Components.Pages.Home;
using EduLoop.App.Components.Pages.Practice;
using EduLoop.App.Components.Pages.Quizzes;
using EduLoop.App.Components.Shared;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Dashboard;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Practice;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;

using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

using MudBlazor;

namespace EduLoop.Tests.Components;

/// <summary>
/// Math in question text, choices, answers (given and right) and feedback reaches every view as markup for
/// the typesetter (<c>&lt;span class="math"&gt;</c>), never as TeX between dollars; a student's typed answer too.
/// </summary>
public sealed class MathInViewsTests : MudComponentTest
{
    private const string FillStem = @"Solve $\frac{1}{2}x = 0$ for $x$.";
    private const string TypedEssay = @"I think $c^2 = a^2 + b^2$ holds.";

    private DomainDatabase _database = null!;
    private UserSummary _teacher = null!;
    private UserSummary _student = null!;
    private int _quiz;
    private int _attempt;

    public override async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        await _database.Get<ImportService>().CommitAsync(QuestionFormat.Gift,
            new MemoryStream(Encoding.UTF8.GetBytes("$CATEGORY: Maths/Algebra/Equations\n\n::Seed::A seed. {T}\n\n$CATEGORY: Maths/Practice/Sums\n\n::Sum seed::A sum. {T}\n")),
            new ImportOptions(), null);
        var accounts = _database.Get<UserAdminService>();
        _teacher = await accounts.CreateAsync(new NewUser("teacher@school.test", "Teacher", Roles.Teacher, "long enough passphrase"));
        _student = await accounts.CreateAsync(new NewUser("ana@school.test", "Ana", Roles.Student, "long enough passphrase"));

        var fill = await AddQuestionAsync("Seed", QuestionType.FillBlank, FillStem, new QuestionBody
        {
            AcceptedAnswers = [new("$x = 0$", 1m, @"Yes: $x = 0$.")],
            GeneralFeedback = @"Halve both sides: $\frac{x}{2} = 0$.",
        });
        var mcq = await AddQuestionAsync("Seed", QuestionType.Mcq, @"Which is $\sqrt{4}$?", new QuestionBody
        {
            Choices = [new("$2$", 1m), new(@"$\frac{1}{2}$", 0m)],
        });
        var essay = await AddQuestionAsync("Seed", QuestionType.Writing, "Prove $a^2 + b^2 = c^2$.", new QuestionBody { GeneralFeedback = "Look for $c^2$." });
        await AddQuestionAsync("Sum seed", QuestionType.FillBlank, @"What is $\frac{1}{2} + \frac{1}{2}$?", new QuestionBody { AcceptedAnswers = [new("$1$")] });
        await using (var db = _database.CreateContext())
        {
            await db.Questions.Where(q => q.Title == "Seed" || q.Title == "Sum seed").ExecuteUpdateAsync(s => s.SetProperty(q => q.IsArchived, true));
        }

        var schoolClass = await _database.Get<ClassService>().CreateAsync("9A", "");
        await using (var db = _database.CreateContext())
        {
            db.ClassMemberships.Add(new ClassMembership { SchoolClassId = schoolClass.Id, UserId = _student.Id, JoinedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        _quiz = await _database.Get<QuizService>().CreateAsync(
            new QuizDraft("Equations", [new SlotDraft(QuestionId: fill), new SlotDraft(QuestionId: mcq), new SlotDraft(QuestionId: essay)])
            {
                ClassIds = [schoolClass.Id],
                ShuffleChoices = false,
            },
            _teacher.Id);
        var attempts = _database.Get<AttemptService>();
        var attempt = await attempts.StartAsync(_quiz, _student.Id);
        _attempt = attempt.Id;
        await attempts.SaveAnswerAsync(_attempt, _student.Id, 1, Json("\"$x = 0$\""), 1);
        await attempts.SaveAnswerAsync(_attempt, _student.Id, 2, Json("\"$2$\""), 1);
        await attempts.SaveAnswerAsync(_attempt, _student.Id, 3, Json(JsonSerializer.Serialize(TypedEssay)), 1);
        await attempts.SubmitAsync(_attempt, _student.Id);

        foreach (var service in new[]
                 {
                     typeof(AttemptService), typeof(GradingService), typeof(QuizResultsService), typeof(QuizService), typeof(BankService),
                     typeof(ClassService), typeof(DashboardService), typeof(PracticeService), typeof(EduLoop.Domain.Learning.LearningService), typeof(TimeProvider), typeof(EduLoop.Domain.Live.LiveGameService),
                 })
        {
            Services.AddSingleton(service, _database.Services.GetRequiredService(service));
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<int> AddQuestionAsync(string placeOf, QuestionType type, string stem, QuestionBody body)
    {
        var bank = _database.Get<BankService>();
        int seed;
        await using (var db = _database.CreateContext())
        {
            seed = await db.Questions.Where(q => q.Title == placeOf).Select(q => q.Id).SingleAsync();
        }

        var place = await bank.GetAsync(seed);
        return (await bank.SaveAsync(place with { Id = 0, Title = "", Type = type, Stem = stem, Body = body, Tags = [] }, _teacher.Id)).Id;
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    private void SignInAs(UserSummary user, string role)
    {
        var auth = Context.AddAuthorization();
        auth.SetAuthorized(user.Email);
        auth.SetRoles(role);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id));
    }

    /// <summary>The element typesets its math: it holds math markup, and none of its text is TeX between dollars.</summary>
    private static void AssertTypeset(IElement element)
    {
        Assert.NotEmpty(element.QuerySelectorAll("span.math"));
        var text = string.Concat(element.Descendants<IText>().Where(t => t.ParentElement?.Closest(".math") is null).Select(t => t.Data));
        Assert.DoesNotContain("$", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ReviewAttempt_ShouldTypesetTheStudentsAnswers_TheRightAnswers_AndTheFeedback()
    {
        SignInAs(_student, Roles.Student);
        var page = Render<ReviewAttempt>(p => p.Add(r => r.AttemptId, _attempt));

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=review-answer]").Count));
        foreach (var answer in page.FindAll("[data-testid=review-answer]"))
        {
            AssertTypeset(answer);
        }

        Assert.Equal(@"\(x = 0\)", page.Find("[data-testid=review-1] [data-testid=review-answer] .math").TextContent);
        Assert.Contains("I think", page.Find("[data-testid=review-3] [data-testid=review-answer]").TextContent, StringComparison.Ordinal);
        Assert.Equal(2, page.FindAll("[data-testid=review-key]").Count);
        foreach (var key in page.FindAll("[data-testid=review-key]"))
        {
            AssertTypeset(key);
        }

        foreach (var feedback in page.FindAll("[data-testid=review-feedback]"))
        {
            AssertTypeset(feedback);
        }

        AssertTypeset(page.Find("[data-testid=review-1] .question-stem"));
    }

    [Fact]
    public void GradingQueue_ShouldTypesetTheEssay_AndTheNotesForGrading()
    {
        SignInAs(_teacher, Roles.Teacher);
        var page = Render<GradingQueue>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=essay-answer]")));
        AssertTypeset(page.Find("[data-testid=essay-answer]"));
        Assert.Equal("I think  holds.", string.Concat(page.Find("[data-testid=essay-answer]").Descendants<IText>()
            .Where(t => t.ParentElement?.Closest(".math") is null).Select(t => t.Data)));
        AssertTypeset(page.Find("[data-testid=essay-notes]"));
    }

    [Fact]
    public void QuizResultsPage_ShouldTypesetTheQuestionTitles()
    {
        SignInAs(_teacher, Roles.Teacher);
        RenderProviders();
        var page = Render<QuizResultsPage>(p => p.Add(r => r.QuizId, _quiz));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=facility] tbody tr")));
        foreach (var row in page.FindAll("[data-testid=facility] tbody tr"))
        {
            AssertTypeset(row.QuerySelector("a")!);
        }
    }

    [Fact]
    public void QuizBuilder_ShouldTypesetTheQuestionsOfItsSlots()
    {
        SignInAs(_teacher, Roles.Teacher);
        RenderProviders();
        var page = Render<QuizBuilder>(p => p.Add(b => b.QuizId, _quiz));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=slot-3]")));
        foreach (var slot in new[] { 1, 2, 3 })
        {
            AssertTypeset(page.Find($"[data-testid=slot-{slot}] .question-line"));
        }

        Assert.Equal(@"\(\frac{1}{2}x = 0\)", page.Find("[data-testid=slot-1] .question-line .math").TextContent);
    }

    [Fact]
    public void QuizBuilder_ShouldTypesetTheQuestionsItFinds()
    {
        SignInAs(_teacher, Roles.Teacher);
        RenderProviders();
        var page = Render<QuizBuilder>(p => p.Add(b => b.QuizId, _quiz));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=slot-3]")));

        page.Find("[data-testid=add-question-search] input, input[data-testid=add-question-search]").Input("Solve");

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=picker-row] .question-line")), TimeSpan.FromSeconds(3));
        AssertTypeset(page.Find("[data-testid=picker-row] .question-line"));
    }

    [Fact]
    public void BankList_ShouldTypesetTheQuestionTitles()
    {
        RenderProviders();
        Services.GetRequiredService<NavigationManager>().NavigateTo("bank?q=Solve");
        var page = Render<Questions>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=bank-row]")));
        AssertTypeset(page.Find("[data-testid=bank-row]"));
    }

    [Fact]
    public void TeacherHome_ShouldTypesetRecentlyEditedQuestions()
    {
        var page = Render<TeacherHome>(p => p.Add(h => h.Name, "Teacher"));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=recently-edited] .question-line")));
        foreach (var line in page.FindAll("[data-testid=recently-edited] .question-line").Where(l => l.TextContent.Contains("Solve", StringComparison.Ordinal)))
        {
            AssertTypeset(line);
        }

        Assert.Contains(page.FindAll("[data-testid=recently-edited] .question-line"), l => l.QuerySelector(".math") is not null);
    }

    [Fact]
    public async Task PracticePage_ShouldTypesetTheRightAnswer()
    {
        SignInAs(_student, Roles.Student);
        var (_, _) = RenderProviders();
        var page = Render<PracticePage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=practice-start]")));

        var maths = (await _database.Get<BankService>().TreeAsync()).Single(n => n.Name == "Maths");
        await page.InvokeAsync(() => page.FindComponents<MudSelect<BankNode>>()[0].Instance.ValueChanged.InvokeAsync(maths));
        await page.InvokeAsync(() => page.FindComponents<MudSelect<BankNode>>()[1].Instance.ValueChanged.InvokeAsync(maths.Children.Single(s => s.Name == "Practice")));
        page.Find("[data-testid=practice-start]").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=practice-question]")));
        AssertTypeset(page.Find("[data-testid=practice-question] .question-stem"));

        var key = int.Parse(page.Find("[data-answer]").GetAttribute("data-answer")!, System.Globalization.CultureInfo.InvariantCulture);
        await page.Find(".answer-page").TriggerEventAsync("onanswerinput", new AnswerInputEventArgs { Key = key, Values = ["2"] });
        page.Find("[data-testid=practice-check]").Click();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=practice-right-answer]")));
        AssertTypeset(page.Find("[data-testid=practice-right-answer]"));
        Assert.Equal(@"\(1\)", page.Find("[data-testid=practice-right-answer] .math").TextContent);
    }

    [Fact]
    public void QuestionView_ShouldTypesetAcceptedAnswers()
    {
        var view = Render<QuestionView>(p => p.Add(v => v.Type, QuestionType.FillBlank).Add(v => v.Stem, FillStem)
            .Add(v => v.Body, new QuestionBody { AcceptedAnswers = [new("$x = 0$"), new(@"$\frac{0}{2}$", 0.5m)] }).Add(v => v.ShowAnswers, true));

        AssertTypeset(view.Find(".question-key"));
        Assert.Equal([@"\(x = 0\)", @"\(\frac{0}{2}\)"], view.FindAll(".question-key .math").Select(m => m.TextContent));
    }

    [Fact]
    public void QuestionLine_ShouldCutTheTextButKeepTheMathWhole()
    {
        const string title = @"Simplify $\frac{a+b}{c+d}$ and then write the result in lowest terms $\sqrt{x^2 + y^2}$ end";

        var line = Render<QuestionLine>(p => p.Add(l => l.Text, title).Add(l => l.Length, 40));

        var math = line.FindAll(".math").Select(m => m.TextContent).ToList();
        Assert.Equal([@"\(\frac{a+b}{c+d}\)"], math);
        Assert.EndsWith("…", line.Find(".question-line").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("$", line.Find(".question-line").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("sqrt", line.Find(".question-line").TextContent, StringComparison.Ordinal);
    }
}
