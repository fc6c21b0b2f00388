using System.Globalization;
using Bunit;
using EduLoop.App.Components.Pages.Quizzes;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Quizzes;
using EduLoop.Domain.Quizzes.Statistics;
using EduLoop.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Components;

/// <summary>
/// The statistics page over a real database: the quiz's figures with a dash for those that do not exist,
/// the slots with hints where a question needs a look, the choices on demand, and the empty and missing states.
/// </summary>
public sealed class QuizStatisticsPageTests : MudComponentTest
{
    private DomainDatabase _database = null!;
    private string _teacher = "";
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

    public override async Task InitializeAsync()
    {
        // The figures as an English page writes them.
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
        _database = await DomainDatabase.CreateAsync();
        _teacher = (await _database.Get<UserAdminService>().CreateAsync(new NewUser("teacher@school.test", "Teacher", Roles.Teacher, "long enough passphrase"))).Id;
        Services.AddSingleton(_database.Get<QuizStatisticsService>());
    }

    public override async Task DisposeAsync()
    {
        (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (_culture, _uiCulture);
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    private Task<StatisticsQuizInfo> QuizAsync(params StatisticsAnswers[] attempts) =>
        StatisticsQuiz.CreateAsync(_database.Services, _database.CreateContext, _teacher, attempts);

    [Fact]
    public async Task QuizStatisticsPage_ShouldShowTheFigures_AndFlagTheQuestionsToCheck()
    {
        // Two attempts, right in Capital and River, wrong in Sky: nothing spreads but the totals' mean.
        var quiz = await QuizAsync(new(Capital: true, Sky: false, River: true), new(Capital: true, Sky: false, River: true));

        var page = Render<QuizStatisticsPage>(p => p.Add(c => c.QuizId, quiz.QuizId));

        page.WaitForElement("[data-testid=quiz-figures]");
        Assert.Equal("2", page.Find("[data-testid=figure-attempts]").TextContent);
        Assert.Equal("2 / 3", page.Find("[data-testid=figure-mean]").TextContent);
        Assert.Equal("0", page.Find("[data-testid=figure-sd]").TextContent);
        // Two attempts give no skewness: a dash, not a 0.
        Assert.Equal("—", page.Find("[data-testid=figure-skewness]").TextContent);
        Assert.Equal(["100.0 %", "0.0 %", "100.0 %"], page.FindAll("[data-testid=slot-facility]").Select(c => c.TextContent));
        Assert.Equal(
            [["Very easy"], ["Very hard"], ["Very easy"]],
            page.FindAll("[data-testid=slot-table] tbody tr").Select(row => row.QuerySelectorAll("[data-testid=slot-flag]").Select(f => f.TextContent.Trim()).ToArray()));
        Assert.Equal($"bank/questions/{quiz.Questions["Capital"]}", page.Find("a[data-testid=slot-question]").GetAttribute("href"));
        Assert.Equal(3, page.FindAll(".statistics-flagged").Count);
    }

    [Fact]
    public async Task QuizStatisticsPage_ShouldShowHowOftenEachChoiceWasChosen_WhenAsked()
    {
        var quiz = await QuizAsync(new(Capital: true, Sky: false, River: true), new(Capital: false, Sky: true, River: true), new(Capital: true, Sky: true, River: false));
        var page = Render<QuizStatisticsPage>(p => p.Add(c => c.QuizId, quiz.QuizId));
        page.WaitForElement("[data-testid=slot-table]");
        Assert.Empty(page.FindAll("[data-testid=choices]"));

        page.FindAll("[data-testid=choices-toggle]")[1].Click();

        var choices = page.Find("[data-testid=choices]");
        Assert.Contains("True", choices.TextContent, StringComparison.Ordinal);
        Assert.Equal(["1 (33 %)", "2 (67 %)"], page.FindAll("[data-testid=choice-count]").Select(c => c.TextContent));
        Assert.Equal("true", page.FindAll("[data-testid=choices-toggle]")[1].GetAttribute("aria-expanded"));
    }

    [Fact]
    public async Task QuizStatisticsPage_ShouldSayWhenStatisticsAppear_WithoutGradedAttempts()
    {
        var quiz = await QuizAsync();

        var page = Render<QuizStatisticsPage>(p => p.Add(c => c.QuizId, quiz.QuizId));

        page.WaitForAssertion(() => Assert.Contains("Statistics appear once attempts are graded.", page.Find("[data-testid=no-statistics]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=slot-table], [data-testid=statistics-csv]"));
    }

    [Fact]
    public void QuizStatisticsPage_ShouldSaySo_WhenTheQuizDoesNotExist()
    {
        var page = Render<QuizStatisticsPage>(p => p.Add(c => c.QuizId, 404_404));

        page.WaitForAssertion(() => Assert.Contains("This quiz does not exist (any more).", page.Markup, StringComparison.Ordinal));
    }
}
