using Bunit;
using EduLoop.App.Components.Pages.Bank;
using EduLoop.App.Rendering;
using EduLoop.Domain.Data.Seeding;
using EduLoop.Domain.QuestionBank;
using EduLoop.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Components;

/// <summary>The bank's pager says "of 10,000+" when a text search matches more than are counted.</summary>
public sealed class BankListCountCapTests : MudComponentTest
{
    private DomainDatabase _database = null!;

    public override async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        var taxonomy = SyntheticBank.Taxonomy(groups: 1, subjectsPerGroup: 1, categoriesPerSubject: 1, subCategoriesPerCategory: 1);
        await _database.Get<BankWriter>().WriteAsync(taxonomy, SyntheticBank.Questions(BankService.TextCountCap + 1, 1), createdById: null);
        Services.AddSingleton(_database.Get<BankService>());
        Services.AddSingleton(_database.Get<EduLoop.Domain.Live.LiveGameService>());
        Services.AddSingleton<QuestionRenderer>();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Theory]
    [InlineData("bank?q=question", "1-20 of 10,000+")]
    [InlineData("bank?q=10001", "1-1 of 1")]
    [InlineData("bank", "1-20 of 10,001")]
    public void ThePager_SaysWhenTheSearchHasMoreMatchesThanAreCounted(string address, string expected)
    {
        RenderProviders();
        Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        var page = Render<Questions>();

        page.WaitForAssertion(() => Assert.Equal(expected, page.Find(".mud-table-pagination-caption:last-of-type, .mud-table-page-number-information").TextContent.Trim()), TimeSpan.FromSeconds(10));
    }
}
