using System.Security.Claims;
using System.Text;

using Bunit;

using EduLoop.App.Components.Pages.Quizzes;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;

using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Components;

/// <summary>The quiz list's Duplicate: a copy of the settings and slots, titled as a copy, opened in the builder.</summary>
public sealed class QuizListTests : MudComponentTest
{
    private DomainDatabase _database = null!;
    private int _quiz;
    private string _teacher = "";

    public override async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        await _database.Get<ImportService>().CommitAsync(QuestionFormat.Gift,
            new MemoryStream(Encoding.UTF8.GetBytes("$CATEGORY: Geography/Europe/Capitals\n\n::Capital::What is the capital of France? {=Paris ~Lyon}\n")), new ImportOptions(), null);
        _teacher = (await _database.Get<UserAdminService>().CreateAsync(new NewUser("teacher@school.test", "Teacher", Roles.Teacher, "long enough passphrase"))).Id;
        await using (var db = _database.CreateContext())
        {
            var capital = await db.Questions.Select(q => q.Id).SingleAsync();
            _quiz = await _database.Get<QuizService>().CreateAsync(
                new QuizDraft("Capitals", [new SlotDraft(QuestionId: capital, Points: 3m)]) { TimeLimitMinutes = 15, PassPercent = 60m }, _teacher);
        }

        Services.AddSingleton(_database.Get<QuizService>());
        Services.AddSingleton(_database.Get<QuizResultsService>());
        var auth = Context.AddAuthorization();
        auth.SetAuthorized("teacher@school.test");
        auth.SetRoles(Roles.Teacher);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, _teacher));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task QuizList_ShouldDuplicateAQuiz_AndOpenTheCopy()
    {
        RenderProviders();
        var page = Render<QuizList>();

        page.WaitForElement("[data-testid=duplicate-quiz]").Click();
        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Matches(@"/quizzes/\d+/edit$", navigation.Uri));

        await using var db = _database.CreateContext();
        var copy = await db.Quizzes.Include(q => q.Slots).SingleAsync(q => q.Title == "Capitals (copy)");
        Assert.Equal((15, 60m, _teacher), (copy.TimeLimitMinutes!.Value, copy.PassPercent!.Value, copy.CreatedById!));
        Assert.Equal(3m, Assert.Single(copy.Slots).Points);
        Assert.False(await db.Attempts.AnyAsync(a => a.QuizId == copy.Id));
        Assert.EndsWith($"/quizzes/{copy.Id}/edit", navigation.Uri, StringComparison.Ordinal);
        Assert.NotEqual(_quiz, copy.Id);
    }
}
