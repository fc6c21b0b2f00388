using System.Text;
using Bunit;
using EduLoop.App.Components.Pages.Bank;
using EduLoop.App.Rendering;
using EduLoop.Domain.Formats;
using EduLoop.Domain.QuestionBank;
using EduLoop.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Components;

/// <summary>The bank list reads its filters from the address and writes them back, so a view can be bookmarked.</summary>
public sealed class BankListTests : MudComponentTest
{
    private DomainDatabase _database = null!;

    public override async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        const string gift = "$CATEGORY: Science/Physics/Motion\n\n::Speed::How fast is light?{=fast ~slow}\n\n::Sound::Sound travels in a vacuum.{F}\n\n$CATEGORY: Science/Physics/Waves\n\n::Wave::A wave carries energy.{T}\n";
        var result = await _database.Get<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(gift)), new ImportOptions(), null);
        Assert.True(result.Succeeded);
        Services.AddSingleton(_database.Get<BankService>());
        Services.AddSingleton(_database.Get<EduLoop.Domain.Live.LiveGameService>());
        Services.AddSingleton<QuestionRenderer>();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    private IRenderedComponent<Questions> Open(string address)
    {
        RenderProviders();
        Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        return Render<Questions>();
    }

    private static List<string> Rows(IRenderedComponent<Questions> page) =>
        page.FindAll("[data-testid=bank-row]").Select(r => r.TextContent.Trim()).Order(StringComparer.Ordinal).ToList();

    [Theory]
    [InlineData("bank", new[] { "Sound", "Speed", "Wave" })]
    [InlineData("bank?type=true_false", new[] { "Sound", "Wave" })]
    [InlineData("bank?q=vacuum", new[] { "Sound" })]
    [InlineData("bank?type=true_false&q=energy", new[] { "Wave" })]
    [InlineData("bank?level=advance", new string[0])]
    [InlineData("bank?type=nonsense&level=&node=x", new[] { "Sound", "Speed", "Wave" })]
    public void FiltersInTheAddress_SelectTheRows(string address, string[] expected)
    {
        var page = Open(address);

        page.WaitForAssertion(() => Assert.Equal(expected, Rows(page)));
    }

    [Fact]
    public void ANodeInTheAddress_FiltersAndIsShownSelected()
    {
        int waves;
        using (var db = _database.CreateContext())
        {
            waves = db.Categories.Single(c => c.Name == "Waves").Id;
        }

        var page = Open($"bank?node=c{waves}");

        page.WaitForAssertion(() => Assert.Equal(["Wave"], Rows(page)));
        Assert.Equal("Waves", page.Find(".bank-tree-row.selected .bank-tree-name").TextContent.Trim());
    }

    [Fact]
    public void ChoosingAFilter_PutsItInTheAddress()
    {
        var page = Open("bank");
        page.WaitForAssertion(() => Assert.Equal(3, Rows(page).Count));

        page.Find("input[data-testid=bank-search]").Input("vacuum");

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.EndsWith("bank?q=vacuum", navigation.Uri, StringComparison.Ordinal), TimeSpan.FromSeconds(3));
        page.WaitForAssertion(() => Assert.Equal(["Sound"], Rows(page)));
    }

    [Fact]
    public void TheTree_CountsQuestionsPerNode()
    {
        var page = Open("bank");

        page.WaitForAssertion(() => Assert.Equal("3", page.Find(".bank-tree-row .bank-tree-count").TextContent.Trim()));
        Assert.Contains(page.FindAll("[data-testid=tree-node]"), n => n.TextContent.Trim() == "Science");
    }

    [Fact]
    public void Bank_ShouldShowTheViewAsOneList_WhenTheAddressSaysSo()
    {
        var page = Open("bank?type=true_false&list=one");

        page.WaitForAssertion(() => Assert.Equal(["Sound", "Wave"], Rows(page)));
        Assert.NotNull(page.Find("[data-testid=bank-one-list]"));
        Assert.Empty(page.FindAll("[data-testid=bank-table]"));
        Assert.Contains("2", page.Find("[data-testid=bank-one-count]").TextContent);
    }

    [Fact]
    public void Bank_ShouldSwitchBetweenPagesAndOneList_KeepingTheChoiceAndTheFiltersInTheAddress()
    {
        var page = Open("bank?type=true_false");
        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Equal(["Sound", "Wave"], Rows(page)));
        Assert.NotNull(page.Find("[data-testid=bank-table]"));

        page.Find("[data-testid=bank-mode-one-list]").Click();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=bank-one-list]")));
        Assert.Contains("list=one", navigation.Uri, StringComparison.Ordinal);
        Assert.Contains("type=true_false", navigation.Uri, StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.Equal(["Sound", "Wave"], Rows(page)));

        page.Find("[data-testid=bank-mode-pages]").Click();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=bank-table]")));
        Assert.DoesNotContain("list=", navigation.Uri, StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.Equal(["Sound", "Wave"], Rows(page)));
    }

    [Fact]
    public void Bank_OneList_ShouldCheckRowsForTheBulkActions()
    {
        var page = Open("bank?list=one");
        page.WaitForAssertion(() => Assert.Equal(3, Rows(page).Count));

        page.FindAll("[data-testid=bank-one-row] input[type=checkbox]")[1].Change(true);

        page.WaitForAssertion(() => Assert.Contains("1", page.Find("[data-testid=bulk-bar]").TextContent));
        page.FindAll("[data-testid=bank-one-row] input[type=checkbox]")[0].Change(true);
        page.WaitForAssertion(() => Assert.Contains("2", page.Find("[data-testid=bulk-bar]").TextContent));
        Assert.All(page.FindAll("[data-testid=bank-one-row] input[type=checkbox]").Take(2), box => Assert.True(box.HasAttribute("checked")));
    }
}
