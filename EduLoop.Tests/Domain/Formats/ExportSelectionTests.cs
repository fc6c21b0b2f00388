using System.Text;
using System.Text.RegularExpressions;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Querying;
using EduLoop.Domain.QuestionBank;
using EduLoop.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Domain.Formats;

/// <summary>An export takes exactly what the bank list shows for the same address, or exactly the chosen rows.</summary>
public sealed partial class ExportSelectionTests : IAsyncLifetime
{
    private const string Gift = """
        $CATEGORY: Maths/Algebra/Equations

        // [tag:linear]
        ::Linear one::Solve x + 1 = 2. {=1 ~2}

        // [tag:linear]
        ::Linear two::Is x = 1 a solution of x + 1 = 2? {T}

        ::Quadratic::Solve x^2 = 4 for a positive x. {=2 ~3}

        $CATEGORY: Maths/Algebra/Inequalities

        ::Bound::Solve x > 1 for the smallest integer. {=2 ~1}

        $CATEGORY: Maths/Geometry/Angles

        ::Right angle::A right angle has 90 degrees. {T}

        ::Triangle::The angles of a triangle add up to? {=180 ~360}
        """;

    private DomainDatabase _database = null!;
    private readonly Dictionary<string, int> _questions = [];
    private readonly Dictionary<string, string> _places = [];
    private string _teacher = "";

    public async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        Assert.True((await _database.Get<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(Gift)), new ImportOptions(), null)).Succeeded);
        _teacher = (await _database.Get<UserAdminService>().CreateAsync(new NewUser("author@school.test", "Author", Roles.Teacher, "long enough passphrase"))).Id;
        await using var db = _database.CreateContext();
        foreach (var question in await db.Questions.ToListAsync())
        {
            _questions[question.Title] = question.Id;
        }

        foreach (var subject in await db.Subjects.ToListAsync())
        {
            _places["s:" + subject.Name] = "s" + subject.Id;
        }

        foreach (var category in await db.Categories.ToListAsync())
        {
            _places["c:" + category.Name] = "c" + category.Id;
        }

        var bank = _database.Get<BankService>();
        await bank.BulkAsync([_questions["Quadratic"]], new SetLevel(QuestionLevel.Advance));
        await bank.BulkAsync([_questions["Triangle"]], new SetArchived(true));
        await db.Questions.Where(q => q.Title == "Linear one" || q.Title == "Bound").ExecuteUpdateAsync(u => u.SetProperty(q => q.CreatedById, _teacher));
        await db.Questions.Where(q => q.Title == "Bound").ExecuteUpdateAsync(u => u.SetProperty(q => q.CreatedAt, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    /// <summary>An address as the bank page writes it, with {s:Name} and {c:Name} standing for nodes and {author} for the teacher.</summary>
    private BankSelection Read(string address)
    {
        foreach (var (name, node) in _places)
        {
            address = address.Replace("{" + name + "}", node, StringComparison.Ordinal);
        }

        var query = QueryHelpers.ParseQuery("?" + address.Replace("{author}", _teacher, StringComparison.Ordinal));
        var selection = BankAddress.Read(name => query.TryGetValue(name, out var value) ? value.ToString() : null, out var errors);
        Assert.Empty(errors);
        return selection;
    }

    private async Task<List<string>> ListedAsync(BankQuery view)
    {
        var titles = new List<string>();
        for (var page = 1; ; page++)
        {
            var rows = await _database.Get<BankService>().BrowseAsync(view, new PageRequest(page, 2));
            titles.AddRange(rows.Items.Select(r => r.Title));
            if (page * 2 >= rows.Count)
            {
                return titles.Order(StringComparer.Ordinal).ToList();
            }
        }
    }

    private async Task<List<string>> ExportedAsync(BankSelection selection)
    {
        using var file = new MemoryStream();
        var result = await _database.Get<ExportService>().ExportAsync(QuestionFormat.Gift, selection, file);
        var titles = GiftTitle().Matches(Encoding.UTF8.GetString(file.ToArray())).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(result.Written, titles.Count);
        return titles;
    }

    [Theory]
    [InlineData("", new[] { "Bound", "Linear one", "Linear two", "Quadratic", "Right angle" })]
    [InlineData("node={s:Algebra}&type=mcq", new[] { "Bound", "Linear one", "Quadratic" })]
    [InlineData("node={c:Equations}&type=mcq&q=solve", new[] { "Linear one", "Quadratic" })]
    [InlineData("node={s:Algebra}&level=advance", new[] { "Quadratic" })]
    [InlineData("tag=linear", new[] { "Linear one", "Linear two" })]
    [InlineData("author={author}", new[] { "Bound", "Linear one" })]
    [InlineData("to=2021-01-01", new[] { "Bound" })]
    [InlineData("from=2021-01-01&node={s:Algebra}&type=mcq", new[] { "Linear one", "Quadratic" })]
    [InlineData("archived=true", new[] { "Triangle" })]
    [InlineData("node={s:Geometry}&q=angle&type=true_false&sort=oldest", new[] { "Right angle" })]
    public async Task ExportAsync_OfAView_WritesExactlyTheQuestionsTheListShows(string address, string[] expected)
    {
        var selection = Read(address);

        var listed = await ListedAsync(selection.View);
        var exported = await ExportedAsync(selection);

        Assert.Equal(expected, listed);
        Assert.Equal(listed, exported);
        Assert.Equal(expected.Length, await _database.Get<BankService>().CountAsync(selection));
    }

    [Fact]
    public async Task ExportAsync_OfChosenRows_WritesExactlyThem_WhateverTheViewAndArchived()
    {
        var selection = Read($"node={{s:Algebra}}&type=true_false&ids={_questions["Quadratic"]},{_questions["Triangle"]},{_questions["Quadratic"]}");

        Assert.Equal(["Quadratic", "Triangle"], await ExportedAsync(selection));
        Assert.Equal(2, await _database.Get<BankService>().CountAsync(selection));
    }

    [Theory]
    [InlineData("node=c12&q=x y&type=fill_blank&level=easy&tag=t&author=a&from=2024-02-03&to=2024-03-04&archived=true&sort=recentlyedited")]
    [InlineData("node=sc5&ids=3,1,2")]
    [InlineData("")]
    public void Address_WrittenAndReadAgain_IsTheSameSelection(string address)
    {
        var query = QueryHelpers.ParseQuery("?" + address);
        var selection = BankAddress.Read(name => query.TryGetValue(name, out var value) ? value.ToString() : null, out var errors);

        var written = BankAddress.QueryString(selection);
        var again = QueryHelpers.ParseQuery(written);
        var read = BankAddress.Read(name => again.TryGetValue(name, out var value) ? value.ToString() : null);

        Assert.Empty(errors);
        Assert.Equal(selection.View, read.View);
        Assert.Equal(selection.Ids, read.Ids);
        Assert.Equal(address.Length == 0 ? "" : "?" + address.Replace(" ", "%20", StringComparison.Ordinal), written);
    }

    [Theory]
    [InlineData("node=x7", "node")]
    [InlineData("type=essay_question", "type")]
    [InlineData("level=hard", "level")]
    [InlineData("from=03/02/2024", "from")]
    [InlineData("archived=maybe", "archived")]
    [InlineData("sort=1", "sort")]
    [InlineData("ids=1,two", "ids")]
    [InlineData("ids=-4", "ids")]
    [InlineData("ids=99999999999", "ids")]
    public void Address_WithAValueItCannotRead_NamesItAndLeavesItOut(string address, string field)
    {
        var query = QueryHelpers.ParseQuery("?" + address);

        var selection = BankAddress.Read(name => query.TryGetValue(name, out var value) ? value.ToString() : null, out var errors);

        Assert.Equal([field], errors.Keys);
        Assert.Equal(new BankQuery(), selection.View);
        Assert.Null(selection.Ids);
    }

    [GeneratedRegex(@"^::(.+?)::", RegexOptions.Multiline)]
    private static partial Regex GiftTitle();
}
