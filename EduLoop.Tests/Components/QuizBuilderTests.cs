using System.Security.Claims;
using System.Text;

using Bunit;

using EduLoop.App.Components.Pages.Quizzes;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Identity;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;

using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Components;

/// <summary>The quiz builder as each teacher sees it: its owners change it, everyone else reads it and may duplicate it.</summary>
public sealed class QuizBuilderTests : MudComponentTest
{
    private DomainDatabase _database = null!;
    private readonly Dictionary<string, UserSummary> _users = [];
    private int _quiz;

    public override async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        await _database.Get<ImportService>().CommitAsync(QuestionFormat.Gift,
            new MemoryStream(Encoding.UTF8.GetBytes("$CATEGORY: Geography/Europe/Capitals\n\n::Capital::What is the capital of France? {=Paris ~Lyon}\n")), new ImportOptions(), null);
        var accounts = _database.Get<UserAdminService>();
        foreach (var (who, role) in new[] { ("author", Roles.Teacher), ("co", Roles.Teacher), ("other", Roles.Teacher) })
        {
            _users[who] = await accounts.CreateAsync(new NewUser($"{who}@school.test", $"Name of {who}", role, "long enough passphrase"));
        }

        await using (var db = _database.CreateContext())
        {
            var capital = await db.Questions.Select(q => q.Id).SingleAsync();
            _quiz = await _database.Get<QuizService>().CreateAsync(new QuizDraft("Capitals", [new SlotDraft(QuestionId: capital)]), _users["author"].Id);
        }

        Services.AddSingleton(_database.Get<QuizService>());
        Services.AddSingleton(_database.Get<BankService>());
        Services.AddSingleton(_database.Get<ClassService>());
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    private void SignInAs(string who)
    {
        var auth = Context.AddAuthorization();
        auth.SetAuthorized(_users[who].Email);
        auth.SetRoles(Roles.Teacher);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, _users[who].Id));
    }

    [Fact]
    public async Task QuizBuilder_ShouldShowAnotherTeachersQuizReadOnly_WithDuplicate()
    {
        SignInAs("other");
        RenderProviders();
        var page = Render<QuizBuilder>(p => p.Add(b => b.QuizId, _quiz));

        page.WaitForAssertion(() => Assert.Contains("This quiz is Name of author's.", page.Find("[data-testid=quiz-read-only]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=save-quiz]"));
        Assert.DoesNotContain(page.FindAll("[data-testid=question-picker]"), b => b.Closest(".d-none") is null);
        Assert.Empty(page.FindAll("[aria-label=Remove]"));
        Assert.Empty(page.FindAll("[data-testid=co-teacher-search]"));
        Assert.True(page.Find("[data-testid=quiz-title] input, input[data-testid=quiz-title]").HasAttribute("readonly"));
        Assert.Contains("No co-teachers yet", page.Find("[data-testid=no-co-teachers]").TextContent);

        page.Find("[data-testid=duplicate-quiz]").Click();

        await using var db = _database.CreateContext();
        var copy = await db.Quizzes.SingleAsync(q => q.Title == "Capitals (copy)");
        Assert.Equal(_users["other"].Id, copy.CreatedById);
        page.WaitForAssertion(() => Assert.EndsWith($"/quizzes/{copy.Id}/edit", Services.GetRequiredService<NavigationManager>().Uri));
    }

    [Fact]
    public void QuizBuilder_ShouldLetTheAuthorSaveAndChooseCoTeachers()
    {
        SignInAs("author");
        RenderProviders();
        var page = Render<QuizBuilder>(p => p.Add(b => b.QuizId, _quiz));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=save-quiz]")));
        Assert.Empty(page.FindAll("[data-testid=quiz-read-only]"));
        Assert.NotEmpty(page.FindAll("[data-testid=co-teacher-search]"));
        Assert.False(page.Find("[data-testid=quiz-title] input, input[data-testid=quiz-title]").HasAttribute("readonly"));
    }

    [Fact]
    public async Task QuizBuilder_ShouldLetACoTeacherSave_ButNotChooseCoTeachers()
    {
        await _database.Get<QuizService>().UpdateAsync(_quiz, new QuizDraft("Capitals", (await _database.Get<QuizService>().GetAsync(_quiz)).Slots
            .Select(s => new SlotDraft(QuestionId: s.QuestionId)).ToList())
        { CoTeacherIds = [_users["co"].Id] }, EduLoop.Domain.Actor.Teacher(_users["author"].Id));
        SignInAs("co");
        RenderProviders();
        var page = Render<QuizBuilder>(p => p.Add(b => b.QuizId, _quiz));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=save-quiz]")));
        Assert.Empty(page.FindAll("[data-testid=co-teacher-search]"));
        Assert.Contains("Name of co", page.Find("[data-testid=co-teacher-list]").TextContent);
    }

    [Fact]
    public async Task QuizBuilder_ShouldWarnInWords_WhenTheReviewOpensAfterACloseTimeTheQuizDoesNotHave()
    {
        var hidden = await _database.Get<QuizService>().CreateAsync(
            new QuizDraft("Hidden", (await _database.Get<QuizService>().GetAsync(_quiz)).Slots.Select(s => new SlotDraft(QuestionId: s.QuestionId)).ToList())
            { Review = ReviewTime.AfterClose }, _users["author"].Id);
        SignInAs("author");
        RenderProviders();
        var page = Render<QuizBuilder>(p => p.Add(b => b.QuizId, hidden));

        page.WaitForAssertion(() => Assert.Contains("the quiz has no close time", page.Find("[data-testid=review-warning]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void QuizBuilder_ShouldStartANewQuiz_WithAReviewStudentsSee_AndNoWarning()
    {
        SignInAs("author");
        RenderProviders();
        var page = Render<QuizBuilder>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=save-quiz]")));
        Assert.Empty(page.FindAll("[data-testid=review-warning]"));
        Assert.Equal(4, page.FindAll(".mud-checkbox input:checked").Count);
    }

    [Fact]
    public void QuizBuilder_NewQuiz_ShouldStartWithTheSchoolsDefaultReview()
    {
        SignInAs("author");
        RenderProviders();
        var school = new EduLoop.Domain.Settings.SchoolSettings
        {
            DefaultReview = new EduLoop.Domain.Settings.DefaultReview(ReviewTime.Never, false, false, false, false),
        };

        var page = Context.Render<CascadingValue<EduLoop.Domain.Settings.SchoolSettings>>(p => p
            .Add(c => c.Value, school)
            .AddChildContent<QuizBuilder>());

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=save-quiz]")));
        var never = page.FindAll(".mud-radio").Single(r => r.TextContent.Trim() == "Never");
        var afterClose = page.FindAll(".mud-radio").Single(r => r.TextContent.Trim() == "After the quiz closes");
        Assert.Contains("checked", never.OuterHtml);
        Assert.DoesNotContain("checked", afterClose.OuterHtml);
    }
}
