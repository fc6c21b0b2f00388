using System.Text;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Media;
using EduLoop.Domain.QuestionBank;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Domain.Formats;

public sealed class ImportServiceTests : IAsyncLifetime
{
    private const string Gift = """
        $CATEGORY: $course$/top/Science/Physics/Motion

        // [tag:kinematics]
        ::Speed::A car covers 100 m in 5 s. Its speed in m/s? {#20:0.5}

        Light is faster than sound.{T}

        $CATEGORY: $course$/top/Science/Physics/Forces/Newton's laws

        Which is a unit of force?{=newton ~joule ~watt}
        """;

    private DomainDatabase _database = null!;

    public async Task InitializeAsync() => _database = await DomainDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private ImportService Service => _database.Get<ImportService>();

    private static MemoryStream File(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Preview_ShowsTargetsAndNewNodes_AndWritesNothing()
    {
        var preview = await Service.PreviewAsync(QuestionFormat.Gift, File(Gift), new ImportOptions());

        Assert.False(preview.HasErrors);
        Assert.Equal(3, preview.Questions.Count);
        Assert.Equal(["Science / Physics / Motion", "Science / Physics / Forces / Newton's laws"], preview.NewNodes.Select(n => n.ToString()));
        Assert.Equal([QuestionType.Math, QuestionType.TrueFalse, QuestionType.Mcq], preview.Questions.Select(q => q.Question.Type));
        // A question's line is where its block starts, with the comments before it.
        Assert.Equal([3, 6, 10], preview.Questions.Select(q => q.Question.Line));
        await using var db = _database.CreateContext();
        Assert.Equal(0, await db.Groups.CountAsync());
    }

    [Fact]
    public async Task Commit_CreatesTheMissingNodes_PlacesEachQuestion_AndKeepsTags()
    {
        var result = await Service.CommitAsync(QuestionFormat.Gift, File(Gift), new ImportOptions(), userId: null);

        Assert.True(result.Succeeded);
        Assert.Equal((3, 0, 2), (result.Imported, result.SkippedDuplicates, result.NodesCreated));
        await using var db = _database.CreateContext();
        Assert.Equal(["Science"], await db.Groups.Select(g => g.Name).ToListAsync());
        var placed = await db.Questions.AsNoTracking()
            .Select(q => new { q.Title, q.ContentHash, Category = q.Category!.Name, Sub = q.SubCategory == null ? null : q.SubCategory.Name, Tags = q.Tags.Select(t => t.Tag!.Name).ToList() })
            .ToListAsync();
        Assert.Contains(placed, q => q.Title == "Speed" && q.Category == "Motion" && q.Sub == null && q.Tags.SequenceEqual(new[] { "kinematics" }));
        Assert.Contains(placed, q => q.Category == "Forces" && q.Sub == "Newton's laws");
        Assert.All(placed, q => Assert.NotEqual(0, q.ContentHash));
    }

    [Fact]
    public async Task SecondImport_FindsEveryQuestionAsADuplicate_AndSkipsOrImportsThemAsChosen()
    {
        await Service.CommitAsync(QuestionFormat.Gift, File(Gift), new ImportOptions(), null);

        var preview = await Service.PreviewAsync(QuestionFormat.Gift, File(Gift), new ImportOptions());
        var skipped = await Service.CommitAsync(QuestionFormat.Gift, File(Gift), new ImportOptions(), null);
        var forced = await Service.CommitAsync(QuestionFormat.Gift, File(Gift), new ImportOptions { Duplicates = DuplicateHandling.Import }, null);

        Assert.Equal(3, preview.DuplicateCount);
        Assert.All(preview.Warnings, w => Assert.StartsWith("The same question is already in the bank (#", w.Message, StringComparison.Ordinal));
        Assert.Empty(preview.NewNodes);
        Assert.Equal((0, 3, 0), (skipped.Imported, skipped.SkippedDuplicates, skipped.NodesCreated));
        Assert.Equal(3, forced.Imported);
        await using var db = _database.CreateContext();
        Assert.Equal(6, await db.Questions.CountAsync());
        Assert.Equal(2, await db.Categories.CountAsync());
    }

    [Fact]
    public async Task Duplicates_WithinOneFile_AreFound_IgnoringCaseAndSpacing()
    {
        const string text = "$CATEGORY: A/B/C\n\nWhat is  2+2?{=4 ~5}\n\nwhat is 2+2? {=4 ~5}\n\nWhat is 2+3?{=5 ~4}\n";

        var preview = await Service.PreviewAsync(QuestionFormat.Gift, File(text), new ImportOptions());
        var result = await Service.CommitAsync(QuestionFormat.Gift, File(text), new ImportOptions(), null);

        var warning = Assert.Single(preview.Warnings);
        Assert.Equal((5, "The same question is already at line 3 of this file."), (warning.Line, warning.Message));
        Assert.Equal((2, 1), (result.Imported, result.SkippedDuplicates));
    }

    [Fact]
    public async Task Commit_OneBadQuestion_ImportsNothing_CreatesNoNode_AndNamesEveryBadLine()
    {
        const string text = "$CATEGORY: A/B/C\n\nGood?{T}\n\nBad {~only ~wrong ~choices}\n\nNumber?{#ten}\n";

        var result = await Service.CommitAsync(QuestionFormat.Gift, File(text), new ImportOptions(), null);

        Assert.False(result.Succeeded);
        Assert.Equal([5, 7], result.Errors.Select(e => e.Line));
        Assert.Equal("The credits of the right choices must add up to 100%.", result.Errors[0].Message);
        await using var db = _database.CreateContext();
        Assert.Equal(0, await db.Questions.CountAsync());
        Assert.Equal(0, await db.Groups.CountAsync());
    }

    [Fact]
    public async Task Questions_WithoutAPlace_UseTheChosenTarget_OrAreRefused()
    {
        const string text = "Plain question?{=yes ~no}\n";

        var refused = await Service.PreviewAsync(QuestionFormat.Gift, File(text), new ImportOptions());
        var placed = await Service.CommitAsync(QuestionFormat.Gift, File(text), new ImportOptions { Target = new ImportTarget("G", "S", "C", null), Level = QuestionLevel.Advance }, null);

        Assert.StartsWith("No place in the bank", Assert.Single(refused.Errors).Message, StringComparison.Ordinal);
        Assert.Equal(1, placed.Imported);
        await using var db = _database.CreateContext();
        Assert.Equal(QuestionLevel.Advance, (await db.Questions.SingleAsync()).Level);
    }

    [Fact]
    public async Task IgnoreFilePlaces_PutsEverythingUnderTheTarget()
    {
        var result = await Service.CommitAsync(QuestionFormat.Gift, File(Gift),
            new ImportOptions { Target = new ImportTarget("Mine", "All", "Here", null), IgnoreFilePlaces = true }, null);

        Assert.Equal(3, result.Imported);
        await using var db = _database.CreateContext();
        Assert.Equal(["Here"], await db.Categories.Select(c => c.Name).ToListAsync());
    }

    [Theory]
    [InlineData("$course$/top/Maths/Algebra/Linear", "Maths / Algebra / Linear")]
    [InlineData("Maths/Algebra/Linear/Foundations/Extra", "Maths / Algebra / Linear / Foundations / Extra")]
    [InlineData("$course$/top/Default for LING-373", null)]
    [InlineData("a/b", null)]
    public void FromPath_MapsMoodlePaths(string path, string? expected) =>
        Assert.Equal(expected, ImportTarget.FromPath(path)?.ToString());

    [Fact]
    public async Task Commit_TenThousandQuestions_AllArrive_WithProgress()
    {
        // Every hundredth tagged: on PostgreSQL the questions go in by COPY a thousand at a time, their tags after them.
        var text = "$CATEGORY: Big/Bank/Everything\n\n" + string.Join("\n", Enumerable.Range(1, 10_000).Select(i =>
            (i % 100 == 0 ? $"// [tag:hundred] [tag:n{i}]\n" : "") + $"Question {i}?{{=right {i} ~wrong {i}}}\n"));
        var reports = new List<ImportProgress>();

        var result = await Service.CommitAsync(QuestionFormat.Gift, File(text), new ImportOptions(), null, new SyncProgress(reports));

        Assert.Equal(10_000, result.Imported);
        Assert.True(reports.Count >= 20);
        Assert.Equal(reports.Select(r => r.Questions).Order(), reports.Select(r => r.Questions));
        Assert.Equal(reports[^1].TotalBytes, reports[^1].BytesRead);
        await using var db = _database.CreateContext();
        Assert.Equal(10_000, await db.Questions.CountAsync());
        Assert.Equal(200, await db.QuestionTags.CountAsync());
        var tagged = await db.Questions.Where(q => q.Tags.Any(t => t.Tag!.Name == "n5000")).Select(q => q.Title).SingleAsync();
        Assert.StartsWith("Question 5000", tagged);
        Assert.Equal(10_000, await db.Questions.Select(q => q.Id).Distinct().CountAsync());
    }

    [Fact]
    public async Task Commit_Cancelled_RollsEverythingBack()
    {
        var text = "$CATEGORY: Big/Bank/Everything\n\n" + string.Join("\n", Enumerable.Range(1, 5_000).Select(i => $"Question {i}?{{=right ~wrong}}\n"));
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress([], _ => cancel.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Service.CommitAsync(QuestionFormat.Gift, File(text), new ImportOptions(), null, progress, cancel.Token));

        await using var db = _database.CreateContext();
        Assert.Equal(0, await db.Questions.CountAsync());
        Assert.Equal(0, await db.Groups.CountAsync());
    }

    [Fact]
    public async Task MoodleXml_EmbeddedImage_IsStored_AndTheTextPointsAtIt()
    {
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        var xml = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <quiz>
              <question type="essay">
                <name><text>Describe</text></name>
                <questiontext format="html"><text><![CDATA[<p>Describe <img src="@@PLUGINFILE@@/dot%20one.png"></p>]]></text>
                  <file name="dot one.png" path="/" encoding="base64">{Convert.ToBase64String(png)}</file>
                  <file name="page.html" path="/" encoding="base64">{Convert.ToBase64String("<script>alert(1)</script>"u8.ToArray())}</file>
                </questiontext>
              </question>
            </quiz>
            """;

        var result = await Service.CommitAsync(QuestionFormat.MoodleXml, File(xml), new ImportOptions { Target = new ImportTarget("G", "S", "C", null) }, null);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        await using var db = _database.CreateContext();
        var stem = (await db.Questions.SingleAsync()).Stem;
        var name = Assert.Single(MediaStore.NamesIn(stem));
        Assert.EndsWith(".png", name, StringComparison.Ordinal);
        Assert.Equal(png, await System.IO.File.ReadAllBytesAsync(_database.Get<MediaStore>().PathOf(name)!));
        Assert.Single(Directory.GetFiles(_database.Get<MediaStore>().Directory));
    }

    [Fact]
    public async Task Csv_AndJson_CarryLevelsAndPlaces()
    {
        const string csv = "type,level,group,subject,category,text,options,answer\r\nmcq,advance,G,S,C,Pick one,a|b|c,B\r\n";
        const string json = """[{"group":"G","subject":"S","category":"C2","level":"easy","type":"true_false","metadata":{"question":"Sky is blue","answer":true}}]""";

        var fromCsv = await Service.CommitAsync(QuestionFormat.Csv, File(csv), new ImportOptions(), null);
        var fromJson = await Service.CommitAsync(QuestionFormat.Json, File(json), new ImportOptions(), null);

        Assert.True(fromCsv.Succeeded && fromJson.Succeeded, string.Join("; ", fromCsv.Errors.Concat(fromJson.Errors)));
        await using var db = _database.CreateContext();
        var questions = await db.Questions.AsNoTracking().OrderBy(q => q.Id).ToListAsync();
        Assert.Equal([QuestionLevel.Advance, QuestionLevel.Easy], questions.Select(q => q.Level));
        Assert.Equal([0m, 1m, 0m], questions[0].Body.Choices.Select(c => c.Fraction));
        Assert.True(questions[1].Body.TrueFalseAnswer);
    }

    [Fact]
    public async Task Commit_GiftFromMoodle_StoresLatexCreditsAndDistractorsAsWritten()
    {
        const string text = """
            $CATEGORY: A/B/C

            Which are primes, $p \\in \\mathbb\{N\}$? {~%33.33333%2 ~%33.33333%3 ~%33.33333%5 ~%-33.33333%4}

            Match $\\frac\{1\}\{2\}$. {=$\\frac\{1\}\{2\}$ -> 0.5 =$\\sqrt\{4\}$ -> 2 = -> 3}

            Capital of France? {Paris}

            What is pi to 2 decimals? {#
            =3.14:0.005 # right
            =%50%3.1:0.05 # close
            }
            """;

        var result = await Service.CommitAsync(QuestionFormat.Gift, File(text), new ImportOptions(), null);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        await using var db = _database.CreateContext();
        var questions = await db.Questions.AsNoTracking().OrderBy(q => q.Id).ToListAsync();
        Assert.Equal(@"Which are primes, $p \in \mathbb{N}$?", questions[0].Stem);
        Assert.Equal([0.3333333m, 0.3333333m, 0.3333333m, -0.3333333m], questions[0].Body.Choices.Select(c => c.Fraction));
        Assert.Equal([new MatchPair(@"$\frac{1}{2}$", "0.5"), new MatchPair(@"$\sqrt{4}$", "2")], questions[1].Body.Pairs);
        Assert.Equal(["3"], questions[1].Body.Distractors);
        Assert.Equal("Paris", Assert.Single(questions[2].Body.AcceptedAnswers).Text);
        Assert.Equal(
            [new NumericAnswer(3.14, 0.005, null, null, 1m, "right"), new NumericAnswer(3.1, 0.05, null, null, 0.5m, "close")],
            questions[3].Body.NumericAnswers);
    }

    [Fact]
    public async Task ContentHash_IsKeptUpToDate_OnEverySave()
    {
        await Service.CommitAsync(QuestionFormat.Gift, File("$CATEGORY: A/B/C\n\nQ?{=a ~b}\n"), new ImportOptions(), null);
        await using var db = _database.CreateContext();
        var question = await db.Questions.SingleAsync();
        var before = question.ContentHash;

        question.Stem = "Another question?";
        await db.SaveChangesAsync();

        Assert.Equal(QuestionHash.Of(question.Type, "Q?", question.Body), before);
        Assert.Equal(QuestionHash.Of(question.Type, "Another question?", question.Body), (await db.Questions.AsNoTracking().SingleAsync()).ContentHash);
    }

    /// <summary>Reports on the caller's thread, so a test sees every report before the import returns.</summary>
    private sealed class SyncProgress(List<ImportProgress> reports, Action<ImportProgress>? also = null) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value)
        {
            reports.Add(value);
            also?.Invoke(value);
        }
    }
}
