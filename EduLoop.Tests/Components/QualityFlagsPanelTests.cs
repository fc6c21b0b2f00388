using System.Globalization;
using System.Text;
using Bunit;
using EduLoop.App.Components.Pages.Bank;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Learning;
using EduLoop.Domain.QuestionBank;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Components;

/// <summary>The editor's quality panel over a real database: each flag with its evidence, dismissing one, and the quiet state.</summary>
public sealed class QualityFlagsPanelTests : MudComponentTest
{
    private DomainDatabase _database = null!;
    private int _question;
    private string _student = "";
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

    public override async Task InitializeAsync()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
        _database = await DomainDatabase.CreateAsync();
        await _database.Get<ImportService>().CommitAsync(QuestionFormat.Gift,
            new MemoryStream(Encoding.UTF8.GetBytes("$CATEGORY: Geography/Europe/Capitals\n\n::Capital::What is the capital of France? {=Paris ~Lyon ~Nice}\n")), new ImportOptions(), null);
        await using var db = _database.CreateContext();
        _question = await db.Questions.Select(q => q.Id).SingleAsync();
        _student = (await _database.Get<UserAdminService>().CreateAsync(new NewUser("ana@school.test", "Ana", Roles.Student, "long enough passphrase"))).Id;
        Services.AddSingleton(_database.Get<QualityService>());
    }

    public override async Task DisposeAsync()
    {
        (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (_culture, _uiCulture);
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task QualityPanel_ShouldShowEachFlagWithItsEvidence_AndDismissOne()
    {
        var recorder = _database.Get<ReviewRecorder>();
        for (var i = 0; i < 50; i++)
        {
            var pick = i < 2 ? "Lyon" : "Paris";
            await recorder.RecordAsync(new GradedAnswer(_student, _question, QuestionType.Mcq, DateTime.UtcNow,
                new AnswerCheck(pick == "Paris", pick == "Paris" ? 1m : 0m), Rating.Good, ReviewSource.Practice, Chosen: [pick]));
        }

        var panel = Render<QualityFlagsPanel>(p => p.Add(c => c.QuestionId, _question).Add(c => c.Version, 1));

        panel.WaitForElement("[data-testid=quality-flag]");
        Assert.Equal(
            ["Too easy The mean mark is 96 % over 50 answers (above 95 %).", "Unused option “Lyon” was picked in 4 % of 50 answers (under 5 %).", "Unused option “Nice” was picked in 0 % of 50 answers (under 5 %)."],
            panel.FindAll("[data-testid=quality-flag] .quality-evidence").Select(s => string.Join(' ', s.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))));

        panel.FindAll("[data-testid=quality-dismiss]")[0].Click();

        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll("[data-testid=quality-flag]").Count));
        Assert.Contains("Too easy", panel.Find("[data-testid=quality-dismissed]").TextContent);
        await using var db = _database.CreateContext();
        Assert.Equal(QualityFlags.UnusedDistractor, (await db.QuestionQualities.SingleAsync()).OpenFlags);
    }

    [Fact]
    public void QualityPanel_WithoutAnswers_SaysSoAndHowManyItWaitsFor()
    {
        var panel = Render<QualityFlagsPanel>(p => p.Add(c => c.QuestionId, _question).Add(c => c.Version, 1));

        panel.WaitForElement("[data-testid=quality-none]");
        Assert.Contains("No problem found in 0 answers", panel.Find("[data-testid=quality-none]").TextContent);
        Assert.Contains("30 for the mean mark", panel.Markup);
        Assert.Empty(panel.FindAll("[data-testid=quality-flag]"));
    }
}
