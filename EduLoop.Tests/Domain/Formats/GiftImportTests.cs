using EduLoop.Domain.Formats.Gift;
using EduLoop.Domain.QuestionBank;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Domain.Formats;

public sealed class GiftImportTests : IAsyncLifetime
{
    private const string File = """
        $CATEGORY: $course$/top/Science/Physics/Motion

        ::Speed::A car covers 100 m in 5 s. Its speed in m/s? {#20:0.5}

        Light is faster than sound.{T}

        $CATEGORY: $course$/top/Science/Physics/Forces/Newton's laws

        Which is a unit of force?{=newton ~joule ~watt}
        """;

    private DomainDatabase _database = null!;

    public async Task InitializeAsync() => _database = await DomainDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Preview_ShowsTargetsAndNewNodes_AndWritesNothing()
    {
        var preview = await _database.Get<GiftImportService>().PreviewAsync(File, defaultTarget: null);

        Assert.False(preview.HasErrors);
        Assert.Equal(3, preview.QuestionCount);
        Assert.Equal(["Science / Physics / Motion", "Science / Physics / Forces / Newton's laws"], preview.NewNodes.Select(n => n.ToString()));
        Assert.Equal([QuestionType.Math, QuestionType.TrueFalse, QuestionType.Mcq], preview.Rows.Select(r => r.Question!.Type));
        await using var db = _database.CreateContext();
        Assert.Equal(0, await db.Groups.CountAsync());
    }

    [Fact]
    public async Task Import_CreatesTheMissingNodes_AndPlacesEachQuestion()
    {
        var imported = await _database.Get<GiftImportService>().ImportAsync(File, defaultTarget: null, userId: null);

        Assert.Equal(3, imported);
        await using var db = _database.CreateContext();
        Assert.Equal(["Science"], await db.Groups.Select(g => g.Name).ToListAsync());
        Assert.Equal(2, await db.Categories.CountAsync());
        var placed = await db.Questions.AsNoTracking()
            .Select(q => new { q.Title, Category = q.Category!.Name, Sub = q.SubCategory == null ? null : q.SubCategory.Name })
            .ToListAsync();
        Assert.Contains(placed, q => q.Title == "Speed" && q.Category == "Motion" && q.Sub == null);
        Assert.Contains(placed, q => q.Category == "Forces" && q.Sub == "Newton's laws");

        // Importing again reuses the nodes.
        await _database.Get<GiftImportService>().ImportAsync(File, defaultTarget: null, userId: null);
        await using var again = _database.CreateContext();
        Assert.Equal(2, await again.Categories.CountAsync());
        Assert.Equal(6, await again.Questions.CountAsync());
    }

    [Fact]
    public async Task Import_OneBadQuestion_ImportsNothing_AndNamesTheLine()
    {
        const string text = "$CATEGORY: A/B/C\n\nGood?{T}\n\nBad {=only one choice\n\nNumber?{#ten}\n";

        var error = await Assert.ThrowsAsync<ValidationErrors>(() => _database.Get<GiftImportService>().ImportAsync(text, null, null));

        Assert.Equal(["line 5", "line 7"], error.Fields.Keys.Order());
        await using var db = _database.CreateContext();
        Assert.Equal(0, await db.Questions.CountAsync());
        Assert.Equal(0, await db.Groups.CountAsync());
    }

    [Fact]
    public async Task Import_WithoutACategory_UsesTheChosenTarget_OrRefuses()
    {
        const string text = "Plain question?{=yes ~no}\n";

        var refused = await _database.Get<GiftImportService>().PreviewAsync(text, defaultTarget: null);
        var placed = await _database.Get<GiftImportService>().ImportAsync(text, new ImportTarget("G", "S", "C", null), null);

        Assert.True(refused.HasErrors);
        Assert.Equal(1, placed);
    }

    [Theory]
    [InlineData("$course$/top/Maths/Algebra/Linear", "Maths / Algebra / Linear")]
    [InlineData("Maths/Algebra/Linear/Foundations/Extra", "Maths / Algebra / Linear / Foundations / Extra")]
    [InlineData("$course$/top/Default for LING-373", null)]
    [InlineData("a/b", null)]
    public void FromPath_MapsMoodlePaths(string path, string? expected) =>
        Assert.Equal(expected, GiftImportService.FromPath(path)?.ToString());

    [Fact]
    public async Task Import_TenThousandQuestions_AllArrive()
    {
        var text = "$CATEGORY: Big/Bank/Everything\n\n" + string.Join("\n", Enumerable.Range(1, 10_000).Select(i => $"Question {i}?{{=right {i} ~wrong {i}}}\n"));

        var imported = await _database.Get<GiftImportService>().ImportAsync(text, null, null);

        Assert.Equal(10_000, imported);
        await using var db = _database.CreateContext();
        Assert.Equal(10_000, await db.Questions.CountAsync());
    }
}
