using System.Text;

using Bunit;

using EduLoop.App.Components.Pages.Bank;
using EduLoop.App.Rendering;
using EduLoop.Domain.Formats;
using EduLoop.Domain.QuestionBank;
using EduLoop.Tests.Infrastructure;

using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Components;

/// <summary>The bank's Export takes the view it was opened from, or the selected rows; the export page names them and downloads exactly them.</summary>
public sealed class ExportPageTests : MudComponentTest
{
    private DomainDatabase _database = null!;
    private int _algebra;
    private readonly Dictionary<string, int> _questions = [];

    public override async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        const string gift = """
            $CATEGORY: Maths/Algebra/Equations

            ::Linear::Solve x + 1 = 2. {=1 ~2}

            ::Check::Is x = 1 a solution of x + 1 = 2? {T}

            ::Square::Which x is the square root of 9? {=3 ~4}

            $CATEGORY: Maths/Geometry/Angles

            ::Angle::Solve for the third angle of a triangle with 60 and 60. {=60 ~90}
            """;
        await _database.Get<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(gift)), new ImportOptions(), null);
        await using var db = _database.CreateContext();
        _algebra = await db.Subjects.Where(s => s.Name == "Algebra").Select(s => s.Id).SingleAsync();
        foreach (var question in await db.Questions.ToListAsync())
        {
            _questions[question.Title] = question.Id;
        }

        Services.AddSingleton(_database.Get<BankService>());
        Services.AddSingleton(_database.Get<EduLoop.Domain.Live.LiveGameService>());
        Services.AddSingleton<QuestionRenderer>();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    private IRenderedComponent<T> Open<T>(string address) where T : IComponent
    {
        RenderProviders();
        Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        return Render<T>();
    }

    [Fact]
    public void BankList_ShouldLinkItsExport_ToTheWholeView()
    {
        var page = Open<Questions>($"bank?node=s{_algebra}&type=mcq&q=solve");

        page.WaitForAssertion(() => Assert.Equal(["Linear"], page.FindAll("[data-testid=bank-row]").Select(r => r.TextContent.Trim())));
        Assert.Equal($"bank/export?node=s{_algebra}&q=solve&type=mcq", page.Find("[data-testid=export-view]").GetAttribute("href"));
    }

    [Fact]
    public void BankList_ShouldLinkTheExportOfTheSelectedRows()
    {
        var page = Open<Questions>($"bank?node=s{_algebra}");
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=bank-row]").Count));

        var chosen = 0;
        foreach (var title in new[] { "Square", "Check" })
        {
            page.FindAll("tr").Single(r => r.QuerySelector("[data-testid=bank-row]")?.TextContent.Trim() == title)
                .QuerySelector("input[type=checkbox]")!.Change(true);
            // The next click once the page shows this one, as a teacher clicks.
            chosen++;
            page.WaitForAssertion(() => Assert.Contains($"{chosen} selected", page.Find("[data-testid=bulk-bar]").TextContent, StringComparison.Ordinal));
        }

        var href = page.Find("[data-testid=bulk-export]").GetAttribute("href")!;
        Assert.StartsWith($"bank/export?node=s{_algebra}&ids=", href, StringComparison.Ordinal);
        Assert.Equal([_questions["Check"], _questions["Square"]], href[(href.IndexOf("ids=", StringComparison.Ordinal) + 4)..].Split(',').Select(int.Parse).Order());
    }

    [Fact]
    public void ExportPage_ShouldNameTheView_CountItsRows_AndDownloadExactlyIt()
    {
        var page = Open<Export>($"bank/export?node=s{_algebra}&type=mcq&q=solve");

        page.WaitForAssertion(() => Assert.StartsWith("1 ", page.Find("[data-testid=export-count]").TextContent.Trim(), StringComparison.Ordinal));
        Assert.Equal(["Maths / Algebra", "Single choice", "Search: “solve”"], page.FindAll("[data-testid=export-filter]").Select(c => c.TextContent.Trim()));
        Assert.Equal($"api/export/?format=gift&node=s{_algebra}&q=solve&type=mcq", page.Find("[data-testid=download]").GetAttribute("href"));
        Assert.Equal($"bank?node=s{_algebra}&q=solve&type=mcq", page.Find("[data-testid=export-change]").GetAttribute("href"));
    }

    [Fact]
    public void ExportPage_ShouldTakeTheSelectedRows_WhenItWasOpenedWithThem()
    {
        var page = Open<Export>($"bank/export?node=s{_algebra}&ids={_questions["Angle"]},{_questions["Check"]}");

        page.WaitForAssertion(() => Assert.StartsWith("2 ", page.Find("[data-testid=export-count]").TextContent.Trim(), StringComparison.Ordinal));
        Assert.Contains("The questions selected in the bank", page.Find("[data-testid=export-selection]").TextContent, StringComparison.Ordinal);
        Assert.EndsWith($"&ids={_questions["Angle"]},{_questions["Check"]}", page.Find("[data-testid=download]").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public void ExportPage_WithoutAView_ExportsTheWholeBank()
    {
        var page = Open<Export>("bank/export");

        page.WaitForAssertion(() => Assert.StartsWith("4 ", page.Find("[data-testid=export-count]").TextContent.Trim(), StringComparison.Ordinal));
        Assert.Contains("The whole bank", page.Find("[data-testid=export-selection]").TextContent, StringComparison.Ordinal);
        Assert.Equal("api/export/?format=gift", page.Find("[data-testid=download]").GetAttribute("href"));
    }
}
