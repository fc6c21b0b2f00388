using EduLoop.Domain.Data.Seeding;
using EduLoop.Domain.Querying;
using EduLoop.Domain.QuestionBank;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Domain;

/// <summary>
/// The bank read as one scrolled list: windows read by key from their neighbours must be exactly the
/// pager's rows in the pager's order, in every order and with the filters.
/// </summary>
public sealed class BankScrollTests : IAsyncLifetime
{
    private const int Questions = 400;

    private DomainDatabase _database = null!;
    private int _subjectId;
    private string _tag = "";

    private BankService Bank => _database.Get<BankService>();

    public async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        await _database.Get<BankWriter>().WriteAsync(DemoBank.Taxonomy(), DemoBank.Questions(Questions), null);
        await using var db = _database.CreateContext();
        // Four creation times and three edit times for 400 questions: long runs of equal times, which
        // only the id tells apart.
        var start = new DateTime(2026, 3, 1, 8, 0, 0, DateTimeKind.Utc);
        for (var k = 0; k < 4; k++)
        {
            var created = start.AddMinutes(k);
            var edited = start.AddDays(1 + k % 3);
            await db.Questions.Where(q => q.Id % 4 == k).ExecuteUpdateAsync(u => u.SetProperty(q => q.CreatedAt, created).SetProperty(q => q.UpdatedAt, edited));
        }

        await db.Questions.Where(q => q.Id % 13 == 0).ExecuteUpdateAsync(u => u.SetProperty(q => q.IsArchived, true));
        _subjectId = await db.Questions.GroupBy(q => q.SubjectId).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
        _tag = await db.Tags.OrderBy(t => t.Id).Select(t => t.Name).FirstAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    public static TheoryData<string> Views => ["newest", "oldest", "edited", "level", "subject oldest", "tag", "archived", "type and dates", "search"];

    private BankQuery View(string name) => name switch
    {
        "newest" => new BankQuery(),
        "oldest" => new BankQuery(Sort: BankSort.Oldest),
        "edited" => new BankQuery(Sort: BankSort.RecentlyEdited),
        "level" => new BankQuery(Level: QuestionLevel.Medium),
        "subject oldest" => new BankQuery(SubjectId: _subjectId, Sort: BankSort.Oldest),
        "tag" => new BankQuery(Tag: _tag),
        "archived" => new BankQuery(Archived: true, Sort: BankSort.Oldest),
        "type and dates" => new BankQuery(Type: QuestionType.Mcq, CreatedFrom: new DateTime(2026, 3, 1, 8, 1, 0, DateTimeKind.Utc)),
        _ => new BankQuery(Text: "solve"),
    };

    /// <summary>Every row of the view as the pager lists it, page after page.</summary>
    private async Task<List<BankRow>> PagesAsync(BankQuery view)
    {
        var rows = new List<BankRow>();
        for (var page = 1; ; page++)
        {
            var read = await Bank.BrowseAsync(view, new PageRequest(page, 20));
            rows.AddRange(read.Items);
            if (!read.HasNext)
            {
                return rows;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Views))]
    public async Task WindowAsync_WalkedDownOrUp_GivesThePagersRowsInItsOrder(string name)
    {
        var view = View(name);
        var pages = await PagesAsync(view);
        Assert.InRange(pages.Count, 25, Questions);

        // Down in windows of 17 (pages are 20), each continuing from the last one's key.
        var down = new BankScroll(view);
        var walked = new List<BankRow>();
        for (var start = 0; start < pages.Count; start += 17)
        {
            var window = await Bank.WindowAsync(down, start, 17);
            Assert.Equal(pages.Count, window.Count);
            walked.AddRange(window.Rows);
        }

        Assert.Equal(pages, walked);

        // Up from the end in windows of 23, each before the one read last.
        var up = new BankScroll(view);
        var backwards = new List<BankRow>();
        for (var end = pages.Count; end > 0; end -= 23)
        {
            var start = Math.Max(0, end - 23);
            backwards.InsertRange(0, (await Bank.WindowAsync(up, start, end - start)).Rows);
        }

        Assert.Equal(pages, backwards);

        // Jumps: each window read by a list that knows no key, its key found through the index.
        Bank.SeekFrom = 0;
        foreach (var start in new[] { 1, 7, pages.Count / 2, pages.Count - 40, pages.Count - 3, 20, pages.Count - 1 })
        {
            Assert.Equal(pages.Skip(start).Take(11), (await Bank.WindowAsync(new BankScroll(view), start, 11)).Rows);
        }
    }

    [Fact]
    public async Task WindowAsync_ContinuesFromTheKeyItRead_WithoutSkippingRows_AndKeepsFewKeys()
    {
        var view = new BankQuery();
        var pages = await PagesAsync(view);
        var scroll = new BankScroll(view);

        // One row at a time: every read after the first starts at a known key.
        for (var i = 0; i < pages.Count; i++)
        {
            if (i > 0)
            {
                var plan = scroll.Plan(i, 1, pages.Count);
                Assert.Equal((BankRowKey.Of(pages[i - 1], view), false, 0), (plan.From!.Value, plan.Backwards, plan.Skip));
            }

            Assert.Equal(pages[i], Assert.Single((await Bank.WindowAsync(scroll, i, 1)).Rows));
            Assert.InRange(scroll.KnownKeys, 1, BankScroll.MaxKeys);
        }

        // A jump far from every known key reads from the nearer end; the row after the jump continues by key.
        var jump = new BankScroll(view);
        await Bank.WindowAsync(jump, 0, 10);
        var far = jump.Plan(pages.Count - 30, 20, pages.Count);
        Assert.Equal((null, true, 10), (far.From, far.Backwards, far.Skip));
        Assert.Equal(pages[^30..^10], (await Bank.WindowAsync(jump, pages.Count - 30, 20)).Rows);
        Assert.Equal(0, jump.Plan(pages.Count - 10, 10, pages.Count).Skip);
        Assert.Equal(pages[^10..], (await Bank.WindowAsync(jump, pages.Count - 10, 50)).Rows);
        Assert.Empty((await Bank.WindowAsync(jump, pages.Count + 5, 10)).Rows);
    }

    [Fact]
    public async Task WindowAsync_Uncompiled_ReadsTheSameRows()
    {
        var view = new BankQuery(Level: QuestionLevel.Easy, Tag: _tag, Sort: BankSort.Oldest);
        var pages = await PagesAsync(view);
        var scroll = new BankScroll(view);
        var walked = new List<BankRow>();
        for (var start = 0; start < pages.Count; start += 9)
        {
            walked.AddRange((await Bank.WindowAsync(scroll, start, 9, compiled: false, CancellationToken.None)).Rows);
        }

        Assert.Equal(pages, walked);
    }
}
