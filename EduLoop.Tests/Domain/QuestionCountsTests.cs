using EduLoop.Domain.Data.Seeding;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Querying;
using EduLoop.Domain.QuestionBank;
using EduLoop.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Domain;

/// <summary>
/// The kept per-filter question counts equal a fresh <c>COUNT(*)</c> after every kind of bank write,
/// whichever way it is made, and after a write that is rolled back.
/// </summary>
public sealed class QuestionCountsTests : IAsyncLifetime
{
    private DomainDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        var taxonomy = SyntheticBank.Taxonomy(groups: 2, subjectsPerGroup: 2, categoriesPerSubject: 2, subCategoriesPerCategory: 2);
        // Some questions carry one tag, some two, most none.
        var questions = SyntheticBank.Questions(300, taxonomy.SubCategories.Count)
            .Select((q, i) => q with { Tags = i % 5 == 0 ? [Tags[0], Tags[1]] : i % 3 == 0 ? [Tags[i % 2]] : [] });
        await _database.Get<BankWriter>().WriteAsync(taxonomy, questions, createdById: null);
        await using var db = _database.CreateContext();
        foreach (var author in Authors)
        {
            db.Users.Add(new EduLoop.Domain.Identity.ApplicationUser { Id = author, UserName = author, Email = author + "@school.test", DisplayName = author });
        }

        await db.SaveChangesAsync();
    }

    private static readonly string[] Authors = ["author-a", "author-b"];

    private static readonly string[] Tags = ["alpha", "beta", "gamma"];

    private static readonly string[] BankWriterColumns =
    [
        "GroupId", "SubjectId", "CategoryId", "SubCategoryId", "Level", "Type", "Title", "Stem", "Body",
        "Version", "IsArchived", "ConcurrencyStamp", "CreatedAt", "UpdatedAt", "CreatedById", "ContentHash",
    ];

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private sealed record Kept(int GroupId, int SubjectId, int CategoryId, int SubCategoryId, int Type, int Level, bool IsArchived, string CreatedById, long Count);

    private sealed record KeptTag(int TagId, int GroupId, int SubjectId, int CategoryId, int SubCategoryId, int Type, int Level, bool IsArchived, string CreatedById, long Count);

    /// <summary>The kept counts, and the same figures counted from the questions now; the same per tag.</summary>
    private async Task AssertCountsAreExactAsync()
    {
        await AssertQuestionCountsAreExactAsync();
        await using var db = _database.CreateContext();
        var kept = await db.Database.SqlQueryRaw<KeptTag>(
            "SELECT \"TagId\", \"GroupId\", \"SubjectId\", \"CategoryId\", \"SubCategoryId\", \"Type\", \"Level\", \"IsArchived\" <> 0 AS \"IsArchived\", \"CreatedById\", CAST(\"Count\" AS bigint) AS \"Count\" FROM \"QuestionTagCounts\"")
            .ToListAsync();
        var counted = await db.QuestionTags.AsNoTracking()
            .Join(db.Questions, t => t.QuestionId, q => q.Id, (t, q) => new { t.TagId, q })
            .GroupBy(x => new { x.TagId, x.q.GroupId, x.q.SubjectId, x.q.CategoryId, SubCategoryId = x.q.SubCategoryId ?? 0, x.q.Type, x.q.Level, x.q.IsArchived, CreatedById = x.q.CreatedById ?? "" })
            .Select(g => new KeptTag(g.Key.TagId, g.Key.GroupId, g.Key.SubjectId, g.Key.CategoryId, g.Key.SubCategoryId, (int)g.Key.Type, (int)g.Key.Level, g.Key.IsArchived, g.Key.CreatedById, g.Count()))
            .ToListAsync();
        static string Line(KeptTag k) => k.ToString();
        Assert.Equal(counted.Select(Line).Order(), kept.Select(Line).Order());
    }

    private async Task AssertQuestionCountsAreExactAsync()
    {
        await using var db = _database.CreateContext();
        var kept = await db.Database.SqlQueryRaw<Kept>(
            "SELECT \"GroupId\", \"SubjectId\", \"CategoryId\", \"SubCategoryId\", \"Type\", \"Level\", \"IsArchived\" <> 0 AS \"IsArchived\", \"CreatedById\", CAST(\"Count\" AS bigint) AS \"Count\" FROM \"QuestionCounts\"")
            .ToListAsync();
        var counted = await db.Questions.AsNoTracking()
            .GroupBy(q => new { q.GroupId, q.SubjectId, q.CategoryId, SubCategoryId = q.SubCategoryId ?? 0, q.Type, q.Level, q.IsArchived, CreatedById = q.CreatedById ?? "" })
            .Select(g => new Kept(g.Key.GroupId, g.Key.SubjectId, g.Key.CategoryId, g.Key.SubCategoryId, (int)g.Key.Type, (int)g.Key.Level, g.Key.IsArchived, g.Key.CreatedById, g.Count()))
            .ToListAsync();
        static string Line(Kept k) => k.ToString();
        Assert.Equal(counted.Select(Line).Order(), kept.Select(Line).Order());
    }

    private async Task<List<int>> IdsAsync()
    {
        await using var db = _database.CreateContext();
        return await db.Questions.OrderBy(q => q.Id).Select(q => q.Id).ToListAsync();
    }

    [Fact]
    public async Task AfterTheBulkLoad_TheCountsAreExact()
    {
        await AssertCountsAreExactAsync();
        await using var db = _database.CreateContext();
        Assert.True(await db.Database.SqlQueryRaw<long>("SELECT COUNT(*) AS \"Value\" FROM \"QuestionTagCounts\"").SingleAsync() > 10);
    }

    [Fact]
    public async Task EveryKindOfBankWrite_KeepsTheCountsExact()
    {
        var bank = _database.Get<BankService>();
        var ids = await IdsAsync();

        var copy = await bank.DuplicateAsync(ids[0], null);
        await AssertCountsAreExactAsync();

        var edited = await bank.GetAsync(ids[1]);
        await bank.SaveAsync(edited with { Level = edited.Level == QuestionLevel.Advance ? QuestionLevel.Easy : QuestionLevel.Advance }, null);
        await AssertCountsAreExactAsync();

        int otherCategory, otherSubject;
        await using (var db = _database.CreateContext())
        {
            var category = await db.Categories.OrderByDescending(c => c.Id).FirstAsync();
            otherCategory = category.Id;
            otherSubject = await db.Subjects.Where(s => s.Id != category.SubjectId).Select(s => s.Id).FirstAsync();
        }

        await bank.BulkAsync([ids[2], ids[3], copy.Id], new MoveQuestions(otherCategory, null));
        await AssertCountsAreExactAsync();
        await bank.BulkAsync([ids[4], ids[5]], new SetArchived(true));
        await AssertCountsAreExactAsync();
        await bank.BulkAsync([ids[6]], new SetLevel(QuestionLevel.Medium));
        await AssertCountsAreExactAsync();
        await bank.BulkAsync([ids[10], ids[11], ids[15]], new AddTag(Tags[2]));
        await AssertCountsAreExactAsync();
        await bank.BulkAsync([ids[0], ids[15]], new RemoveTag(Tags[0]));
        await AssertCountsAreExactAsync();
        var tagged = await bank.GetAsync(ids[12]);
        await bank.SaveAsync(tagged with { Tags = [Tags[1], "delta"] }, null);
        await AssertCountsAreExactAsync();
        await bank.BulkAsync([ids[7], ids[8]], new DeleteQuestions());
        await AssertCountsAreExactAsync();

        // A category moved to another subject carries its questions (and their subject and group) along.
        await bank.MoveNodeAsync(BankNodeKind.Category, otherCategory, otherSubject);
        await AssertCountsAreExactAsync();
        await bank.ArchiveNodeAsync(BankNodeKind.Category, otherCategory, archived: true);
        await AssertCountsAreExactAsync();
        await bank.DeleteNodeAsync(BankNodeKind.Category, otherCategory);
        await AssertCountsAreExactAsync();

        var import = await _database.Get<ImportService>().CommitAsync(
            QuestionFormat.Gift, new MemoryStream("$CATEGORY: Science/Physics/Waves\n\n::Wave::A wave carries energy. {T}\n"u8.ToArray()), new ImportOptions(), null);
        Assert.Equal(1, import.Imported);
        await AssertCountsAreExactAsync();

        await _database.Get<QuestionService>().DeleteAsync(ids[9]);
        await AssertCountsAreExactAsync();
    }

    [Fact]
    public async Task AFailedImport_LeavesTheCountsAsTheyWere()
    {
        var result = await _database.Get<ImportService>().CommitAsync(
            QuestionFormat.Gift,
            new MemoryStream("$CATEGORY: Science/Physics/Optics\n\n::Good::Light is fast. {T}\n\n::Broken::No end {=yes\n"u8.ToArray()),
            new ImportOptions(), null);

        Assert.NotEmpty(result.Errors);
        await AssertCountsAreExactAsync();
    }

    [Fact]
    public async Task ARolledBackWrite_LeavesTheCountsAsTheyWere()
    {
        var id = (await IdsAsync())[0];
        await using var db = _database.CreateContext();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await db.Questions.Where(q => q.Id == id).ExecuteUpdateAsync(s => s.SetProperty(q => q.IsArchived, true).SetProperty(q => q.Level, QuestionLevel.Advance));
            await db.Questions.Where(q => q.Id != id).Take(10).ExecuteDeleteAsync();
            await transaction.RollbackAsync();
        }

        await AssertCountsAreExactAsync();
    }

    /// <summary>A write made straight to the table (as a bulk tool or a migration would).</summary>
    private sealed record Write(int Kind, int Pick, int Value);

    [Fact]
    public async Task RandomSequencesOfWrites_KeepTheCountsExact()
    {
        var write = Gen.Choose(0, 9).SelectMany(kind => Gen.Choose(0, 10_000), (kind, pick) => (kind, pick))
            .SelectMany(_ => Gen.Choose(0, 10_000), (kp, value) => new Write(kp.kind, kp.pick, value));
        var sequences = Gen.ListOf(write).Sample(20, 12);
        var bank = _database.Get<BankService>();
        foreach (var sequence in sequences)
        {
            foreach (var step in sequence)
            {
                var ids = await IdsAsync();
                if (ids.Count == 0)
                {
                    break;
                }

                var id = ids[step.Pick % ids.Count];
                await using var db = _database.CreateContext();
                var categories = await db.Categories.Select(c => new { c.Id, c.SubjectId, c.GroupId }).ToListAsync();
                var subCategories = await db.SubCategories.Select(s => new { s.Id, s.CategoryId }).ToListAsync();
                var questions = db.Questions.Where(q => q.Id == id);
                switch (step.Kind)
                {
                    case 0:
                        // A copy written straight into the table, whatever its type and body now are.
                        var columns = string.Join(", ", BankWriterColumns.Select(c => $"\"{c}\""));
#pragma warning disable EF1002 // the columns are the writer's own constant names
                        await db.Database.ExecuteSqlRawAsync($"INSERT INTO \"Questions\" ({columns}) SELECT {columns} FROM \"Questions\" WHERE \"Id\" = {{0}}", id);
#pragma warning restore EF1002
                        break;
                    case 1:
                        await questions.ExecuteUpdateAsync(s => s.SetProperty(q => q.Level, (QuestionLevel)(step.Value % 3)));
                        break;
                    case 2:
                        await questions.ExecuteUpdateAsync(s => s.SetProperty(q => q.IsArchived, q => !q.IsArchived));
                        break;
                    case 3:
                        var category = categories[step.Value % categories.Count];
                        var sub = subCategories.Where(s => s.CategoryId == category.Id).Select(s => (int?)s.Id).FirstOrDefault();
                        await questions.ExecuteUpdateAsync(s => s
                            .SetProperty(q => q.CategoryId, category.Id).SetProperty(q => q.SubjectId, category.SubjectId)
                            .SetProperty(q => q.GroupId, category.GroupId).SetProperty(q => q.SubCategoryId, step.Value % 2 == 0 ? sub : null));
                        break;
                    case 4:
                        await bank.BulkAsync([id], new DeleteQuestions());
                        break;
                    case 5:
                        await questions.ExecuteUpdateAsync(s => s.SetProperty(q => q.CreatedById, step.Value % 3 == 0 ? null : Authors[step.Value % 2]));
                        break;
                    case 7:
                        await bank.BulkAsync([id], new AddTag(Tags[step.Value % Tags.Length]));
                        break;
                    case 8:
                        await db.QuestionTags.Where(t => t.QuestionId == id).Take(1).ExecuteDeleteAsync();
                        break;
                    case 9 when step.Value % 4 == 0:
                        // A tag deleted outright takes its questions' rows with it.
                        await db.Tags.Where(t => t.Name == Tags[step.Value % Tags.Length]).ExecuteDeleteAsync();
                        break;
                    default:
                        var type = Enum.GetValues<QuestionType>()[step.Value % Enum.GetValues<QuestionType>().Length];
                        await questions.ExecuteUpdateAsync(s => s.SetProperty(q => q.Type, type));
                        break;
                }
            }

            await AssertCountsAreExactAsync();
        }
    }

    [Fact]
    public async Task ACountFilter_EqualsTheQuestionsItSelects()
    {
        await using var db = _database.CreateContext();
        var category = await db.Categories.OrderBy(c => c.Id).FirstAsync();

        Assert.Equal(await db.Questions.CountAsync(), await new CountFilter().CountAsync(db));
        Assert.Equal(
            await db.Questions.CountAsync(q => q.CategoryId == category.Id && q.Level == QuestionLevel.Easy && !q.IsArchived),
            await new CountFilter(CategoryId: category.Id, Level: QuestionLevel.Easy, Archived: false).CountAsync(db));
        Assert.Equal(
            await db.Questions.CountAsync(q => q.GroupId == category.GroupId && q.Type == QuestionType.Mcq),
            await new CountFilter(GroupId: category.GroupId, Type: QuestionType.Mcq).CountAsync(db));
        var alpha = await db.Tags.Where(t => t.Name == Tags[0]).Select(t => t.Id).SingleAsync();
        Assert.Equal(
            await db.Questions.CountAsync(q => q.SubjectId == category.SubjectId && q.Level == QuestionLevel.Medium && q.Tags.Any(t => t.TagId == alpha)),
            await new CountFilter(SubjectId: category.SubjectId, Level: QuestionLevel.Medium, TagId: alpha).CountAsync(db));
    }

    [Fact]
    public async Task TheBankList_CountsATagWithoutAScan_AndAnUnknownTagAsNone()
    {
        var bank = _database.Get<BankService>();
        await using var db = _database.CreateContext();
        var category = await db.Categories.OrderBy(c => c.Id).FirstAsync();
        foreach (var view in new[]
        {
            new BankQuery { Tag = Tags[1] },
            new BankQuery { Tag = " " + Tags[0] + " ", CategoryId = category.Id },
            new BankQuery { Tag = Tags[0], Level = QuestionLevel.Easy, Archived = true },
            new BankQuery { Tag = "no such tag" },
        })
        {
            var page = await bank.BrowseAsync(view, new PageRequest(1, 1000));
            Assert.Equal(page.Items.Count, page.Count);
        }

        Assert.True((await bank.BrowseAsync(new BankQuery { Tag = Tags[1] }, new PageRequest(1, 1000))).Count > 0);
    }
}
