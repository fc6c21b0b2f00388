using EduLoop.Domain.Data.Seeding;
using EduLoop.Domain.Querying;
using EduLoop.Domain.QuestionBank;
using EduLoop.Tests.Infrastructure;

namespace EduLoop.Tests.Domain;

/// <summary>
/// A text search counts its matches only up to a cap and says there are more; what a selection of
/// that view takes is still counted in full.
/// </summary>
public sealed class BankTextCountTests : IAsyncLifetime
{
    private DomainDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        var taxonomy = SyntheticBank.Taxonomy(groups: 1, subjectsPerGroup: 1, categoriesPerSubject: 1, subCategoriesPerCategory: 1);
        await _database.Get<BankWriter>().WriteAsync(taxonomy, SyntheticBank.Questions(BankService.TextCountCap + 5, taxonomy.SubCategories.Count), createdById: null);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task ASearchMatchingMoreThanTheCap_IsCountedToTheCap_AndSaysSo()
    {
        var bank = _database.Get<BankService>();
        // Every stem says "Question n: how does…".
        var everything = new BankQuery(Text: "question");

        var first = await bank.BrowseAsync(everything, new PageRequest(1, 20));
        var last = await bank.BrowseAsync(everything, new PageRequest(null, 20));

        Assert.True(first.IsCountCapped);
        Assert.Equal(BankService.TextCountCap, first.Count);
        Assert.Equal(20, first.Items.Count);
        Assert.Equal(BankService.TextCountCap / 20, last.Page);
        Assert.Equal(20, last.Items.Count);
        Assert.Equal(BankService.TextCountCap + 5, await bank.CountAsync(new BankSelection(everything)));
    }

    [Fact]
    public async Task ASearchBelowTheCap_IsCountedExactly()
    {
        var bank = _database.Get<BankService>();

        var page = await bank.BrowseAsync(new BankQuery(Text: "10004"), new PageRequest(1, 20));

        Assert.False(page.IsCountCapped);
        Assert.Equal(1, page.Count);
        Assert.Single(page.Items);
    }
}
