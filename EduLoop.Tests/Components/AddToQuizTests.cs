using System.Security.Claims;
using System.Text;

using Bunit;

using EduLoop.App.Components.Pages.Bank;
using EduLoop.App.Rendering;
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

/// <summary>The bank's selection goes into one of the teacher's quizzes; the editor shows the quizzes a question is in.</summary>
public sealed class AddToQuizTests : MudComponentTest
{
    private DomainDatabase _database = null!;
    private readonly Dictionary<string, int> _questions = [];
    private readonly Dictionary<string, string> _users = [];

    public override async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        const string gift = """
            $CATEGORY: Geography/Europe/Capitals

            ::France::What is the capital of France? {=Paris ~Lyon}

            ::Italy::What is the capital of Italy? {=Rome ~Milan}

            ::Spain::What is the capital of Spain? {=Madrid ~Seville}
            """;
        await _database.Get<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(gift)), new ImportOptions(), null);
        await using (var db = _database.CreateContext())
        {
            foreach (var question in await db.Questions.ToListAsync())
            {
                _questions[question.Title] = question.Id;
            }
        }

        foreach (var who in new[] { "author", "other" })
        {
            _users[who] = (await _database.Get<UserAdminService>().CreateAsync(new NewUser($"{who}@school.test", $"Name of {who}", Roles.Teacher, "long enough passphrase"))).Id;
        }

        Services.AddSingleton(_database.Get<BankService>());
        Services.AddSingleton(_database.Get<EduLoop.Domain.Live.LiveGameService>());
        Services.AddSingleton(_database.Get<QuizService>());
        Services.AddSingleton<QuestionRenderer>();
        var auth = Context.AddAuthorization();
        auth.SetAuthorized("author@school.test");
        auth.SetRoles(Roles.Teacher);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, _users["author"]));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    private Task<int> QuizAsync(string title, string who, params string[] questions) =>
        _database.Get<QuizService>().CreateAsync(new QuizDraft(title, questions.Select(q => new SlotDraft(QuestionId: _questions[q])).ToList()), _users[who]);

    [Fact]
    public async Task BankSelection_ShouldGoIntoTheChosenQuiz_SayingHowManyWereAddedAndSkipped()
    {
        var capitals = await QuizAsync("European capitals", "author", "France");
        await QuizAsync("Rivers", "author", "Spain");
        await QuizAsync("Someone else's", "other", "Italy");
        var (dialogs, _) = RenderProviders();
        Services.GetRequiredService<NavigationManager>().NavigateTo("bank");
        var page = Render<Questions>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=bank-row]").Count));

        foreach (var title in new[] { "France", "Italy" })
        {
            page.FindAll("tr").Single(r => r.QuerySelector("[data-testid=bank-row]")?.TextContent.Trim() == title)
                .QuerySelector("input[type=checkbox]")!.Change(true);
        }

        page.Find("[data-testid=bulk-add-to-quiz]").Click();
        dialogs.WaitForAssertion(() => Assert.Equal(2, dialogs.FindAll("[data-testid=add-to-quiz-choices] .mud-list-item").Count));
        Assert.DoesNotContain("Someone else's", dialogs.Find("[data-testid=add-to-quiz-choices]").TextContent, StringComparison.Ordinal);
        Assert.True(dialogs.Find("[data-testid=add-to-quiz-confirm]").HasAttribute("disabled"));

        dialogs.Find("input[data-testid=add-to-quiz-search]").Input("capit");
        dialogs.WaitForAssertion(() => Assert.Single(dialogs.FindAll("[data-testid=add-to-quiz-choices] .mud-list-item")));
        dialogs.Find("[data-testid=add-to-quiz-choices] .mud-list-item").Click();
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("[data-testid=add-to-quiz-confirm]").HasAttribute("disabled")));
        dialogs.Find("[data-testid=add-to-quiz-confirm]").Click();

        var snackbar = Services.GetRequiredService<MudBlazor.ISnackbar>();
        page.WaitForAssertion(() => Assert.Equal("Added to “European capitals”: 1 · already in it: 1", Assert.Single(snackbar.ShownSnackbars).Message));
        var slots = (await _database.Get<QuizService>().GetAsync(capitals)).Slots.OrderBy(s => s.Position).Select(s => s.QuestionId).ToList();
        Assert.Equal([_questions["France"], _questions["Italy"]], slots);
        Assert.Empty(dialogs.FindAll("[data-testid=add-to-quiz-dialog]"));
    }

    [Fact]
    public async Task AddToQuizDialog_ShouldSayWhenTheTeacherHasNoQuiz()
    {
        await QuizAsync("Someone else's", "other", "Italy");
        var (dialogs, _) = RenderProviders();
        var dialogService = Services.GetRequiredService<MudBlazor.IDialogService>();

        await dialogs.InvokeAsync(() => dialogService.ShowAsync<AddToQuizDialog>("Add", new MudBlazor.DialogParameters<AddToQuizDialog> { { d => d.QuestionIds, [_questions["France"]] } }));

        dialogs.WaitForAssertion(() => Assert.Contains("You have no quiz to add questions to yet.", dialogs.Find("[data-testid=no-quizzes-to-add-to]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task QuestionUsage_ShouldLinkEveryQuizWithTheQuestionToItsBuilder_OrSayItIsUnused()
    {
        var first = await QuizAsync("A capitals", "author", "France", "Italy");
        var second = await QuizAsync("B capitals", "other", "France");

        var used = Render<QuestionUsage>(p => p.Add(c => c.QuestionId, _questions["France"]));
        var unused = Render<QuestionUsage>(p => p.Add(c => c.QuestionId, _questions["Spain"]));

        used.WaitForAssertion(() => Assert.Equal(
            [("A capitals", $"quizzes/{first}/edit"), ("B capitals", $"quizzes/{second}/edit")],
            used.FindAll("a[data-testid=question-use]").Select(a => (a.TextContent.Trim(), a.GetAttribute("href")!))));
        unused.WaitForAssertion(() => Assert.Contains("No quiz has this question yet.", unused.Find("[data-testid=question-unused]").TextContent, StringComparison.Ordinal));
    }
}
