using System.Text;
using System.Text.Json;
using EduLoop.Domain.Caching;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Practice;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Domain;

/// <summary>
/// Each kind of write announces exactly the kinds of data it changed, once committed: a student's
/// practice step or answer and a sign-in leave the bank's cached lists and counts alone; a question
/// edit, an import or a move do not.
/// </summary>
public sealed class DataChangesTests : IAsyncLifetime
{
    private const string Gift = """
        $CATEGORY: Science/Physics/Motion

        ::Capital::What is the capital of France? {=Paris ~Lyon ~Nice}

        ::Sky::The sky is green. {F}
        """;

    private DomainDatabase _database = null!;
    private DataChanges _changes = null!;
    private string _student = null!;
    private int _class;

    public async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        _changes = _database.Get<DataChanges>();
        await ImportAsync(Gift);
        var users = _database.Get<UserManager<ApplicationUser>>();
        var student = new ApplicationUser { UserName = "ana@school.test", Email = "ana@school.test", DisplayName = "Ana" };
        Assert.True((await users.CreateAsync(student, "a long password")).Succeeded);
        _student = student.Id;
        _class = (await _database.Get<ClassService>().CreateAsync("9A", "")).Id;
        await using var db = _database.CreateContext();
        db.ClassMemberships.Add(new ClassMembership { SchoolClassId = _class, UserId = _student, JoinedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private Task<ImportResult> ImportAsync(string gift) =>
        _database.Get<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(gift)), new ImportOptions(), null);

    /// <summary>The kinds of data whose generation moved while <paramref name="write"/> ran.</summary>
    private async Task<string[]> ChangedBy(Func<Task> write)
    {
        var before = DataTags.All.ToDictionary(t => t, _changes.GenerationOf);
        await write();
        return [.. DataTags.All.Where(t => _changes.GenerationOf(t) != before[t]).Order(StringComparer.Ordinal)];
    }

    private async Task<int> QuestionIdAsync(string title)
    {
        await using var db = _database.CreateContext();
        return await db.Questions.Where(q => q.Title == title).Select(q => q.Id).SingleAsync();
    }

    [Fact]
    public async Task AQuestionEdit_ChangesTheBankOnly()
    {
        var bank = _database.Get<BankService>();
        var capital = await bank.GetAsync(await QuestionIdAsync("Capital"));

        var changed = await ChangedBy(() => bank.SaveAsync(capital with { Stem = "Which city is the capital of France?" }, null));

        Assert.Equal([DataTags.Bank], changed);
    }

    [Fact]
    public async Task AnImport_ChangesTheBankItsPoolsAndTaxonomy()
    {
        var changed = await ChangedBy(() => ImportAsync("$CATEGORY: Science/Physics/Waves\n\n::Wave::A wave carries energy. {T}\n"));

        Assert.Equal([DataTags.Bank, DataTags.Pools, DataTags.Taxonomy], changed);
    }

    [Fact]
    public async Task AFailedImport_ChangesNothing()
    {
        var changed = await ChangedBy(async () =>
        {
            // A new category and a good question are written before the broken one is read; all of it is rolled back.
            var result = await ImportAsync("$CATEGORY: Science/Physics/Optics\n\n::Good::Light is fast. {T}\n\n::Broken::A question without an end {=yes\n");
            Assert.NotEmpty(result.Errors);
        });

        Assert.Empty(changed);
    }

    [Fact]
    public async Task AMove_ChangesTheBankAndItsPools()
    {
        var bank = _database.Get<BankService>();
        int otherCategory;
        await using (var db = _database.CreateContext())
        {
            var motion = await db.Categories.SingleAsync(c => c.Name == "Motion");
            otherCategory = await bank.CreateNodeAsync(BankNodeKind.Category, motion.SubjectId, "Forces");
        }

        var sky = await QuestionIdAsync("Sky");
        var changed = await ChangedBy(() => bank.BulkAsync([sky], new MoveQuestions(otherCategory, null)));

        Assert.Contains(DataTags.Bank, changed);
        Assert.Contains(DataTags.Pools, changed);
        Assert.DoesNotContain(DataTags.Practice, changed);
        Assert.DoesNotContain(DataTags.Attempts, changed);
    }

    [Fact]
    public async Task APracticeStep_ChangesPracticeOnly()
    {
        int groupId, subjectId;
        await using (var db = _database.CreateContext())
        {
            groupId = await db.Groups.Select(g => g.Id).SingleAsync();
            subjectId = await db.Subjects.Select(s => s.Id).SingleAsync();
        }

        var practice = _database.Get<PracticeService>();
        var learner = Learner.Student(_student);
        var step = await practice.StartAsync(learner, new PracticeFilter(groupId, subjectId, [], [], []));

        var changed = await ChangedBy(() => practice.NextAsync(learner, step.SessionId));

        Assert.Equal([DataTags.Practice], changed);
    }

    [Fact]
    public async Task AnAnswerSave_ChangesAttemptsOnly()
    {
        var quiz = await _database.Get<QuizService>().CreateAsync(
            new QuizDraft("Quiz", [new SlotDraft(QuestionId: await QuestionIdAsync("Capital"))]) { ClassIds = [_class] }, null);
        var attempts = _database.Get<AttemptService>();
        var attempt = await attempts.StartAsync(quiz, _student);

        var changed = await ChangedBy(() => attempts.SaveAnswerAsync(attempt.Id, _student, 1, JsonDocument.Parse("\"Paris\"").RootElement, 1));

        Assert.Equal([DataTags.Attempts], changed);
    }

    [Fact]
    public async Task ASignIn_ChangesAccountsOnly()
    {
        var users = _database.Get<UserManager<ApplicationUser>>();
        var student = await users.FindByIdAsync(_student);

        // What a sign-in writes: a failed try counted, then reset, and the account's stamp refreshed.
        var changed = await ChangedBy(async () =>
        {
            await users.AccessFailedAsync(student!);
            await users.ResetAccessFailedCountAsync(student!);
            await users.UpdateSecurityStampAsync(student!);
        });

        Assert.Equal([DataTags.Accounts], changed);
    }

    [Fact]
    public async Task AWriteInATransaction_IsAnnouncedAtTheCommit_AndNotAtAll_WhenRolledBack()
    {
        var id = await QuestionIdAsync("Sky");
        await using var db = _database.CreateContext();

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var changed = await ChangedBy(() => db.Questions.Where(q => q.Id == id).ExecuteUpdateAsync(s => s.SetProperty(q => q.Title, "Sky 2")));
            Assert.Empty(changed);
            Assert.Equal([DataTags.Bank], await ChangedBy(() => transaction.CommitAsync()));
        }

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await db.Questions.Where(q => q.Id == id).ExecuteUpdateAsync(s => s.SetProperty(q => q.Title, "Sky 3"));
            Assert.Empty(await ChangedBy(() => transaction.RollbackAsync()));
        }
    }

    [Fact]
    public void EveryTableOfTheModel_HasAKindOfData()
    {
        using var db = _database.CreateContext();
        var unnamed = db.Model.GetEntityTypes()
            .Select(t => t.GetTableName())
            .OfType<string>()
            .Where(table => DataTags.OfTable(table) is null)
            .ToList();

        Assert.Empty(unnamed);
    }

    [Theory]
    [InlineData("""UPDATE "Questions" AS "q" SET "Title" = @p WHERE "q"."Id" = @id""", DataTags.Bank)]
    [InlineData("""DELETE FROM "PracticeSessions" WHERE "Id" = @p0;""", DataTags.Practice)]
    [InlineData("""INSERT OR IGNORE INTO QuestionTags (QuestionId, TagId) VALUES (1, 2)""", DataTags.Bank)]
    [InlineData("""INSERT INTO "SchoolSettings" ("Key", "Value") VALUES (@k, @v) ON CONFLICT ("Key") DO UPDATE SET "Value" = excluded."Value";""", DataTags.Settings)]
    [InlineData("""UPDATE "AttemptQuestions" SET "Response" = @r; UPDATE "Attempts" SET "State" = 1;""", DataTags.Attempts)]
    public void TheTablesACommandWrites_GiveItsKinds(string sql, string kind) =>
        Assert.Equal([kind], DataChangeInterceptor.TagsWrittenBy(sql));

    [Theory]
    [InlineData("""INSERT INTO "Questions" ("Title") VALUES (@p0) RETURNING "Id";""", true)]
    [InlineData("""DELETE FROM "Questions" WHERE "Id" = @p0;""", true)]
    [InlineData("""UPDATE "Questions" AS "q" SET "IsArchived" = @p, "UpdatedAt" = @now WHERE "q"."Id" IN (1, 2)""", true)]
    [InlineData("""UPDATE "Questions" SET "Level" = @p0, "UpdatedAt" = @p1 WHERE "Id" = @p2 RETURNING 1;""", true)]
    [InlineData("""UPDATE questions SET categoryid = 3 WHERE id = 1""", true)]
    [InlineData("""UPDATE "Questions" SET "Stem" = @p0, "UpdatedAt" = @p1 WHERE "Id" = @p2; INSERT INTO "QuestionVersions" ("Type", "Stem") VALUES (@p3, @p4);""", false)]
    [InlineData("""INSERT INTO "QuestionTags" ("QuestionId", "TagId") VALUES (@p0, @p1);""", false)]
    public void AWriteThatCanMoveQuestionsInOrOutOfAFilter_ChangesItsPools(string sql, bool pools)
    {
        string[] expected = pools ? [DataTags.Bank, DataTags.Pools] : [DataTags.Bank];
        Assert.Equal(expected, DataChangeInterceptor.TagsWrittenBy(sql).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AReadWritesNothing_AndAnUnknownTableChangesEverything()
    {
        Assert.Empty(DataChangeInterceptor.TagsWrittenBy("""SELECT "q"."Id" FROM "Questions" AS "q" WHERE "q"."Title" = 'UPDATE'"""));
        Assert.Equal(DataTags.All.Order(), DataChangeInterceptor.TagsWrittenBy("""DELETE FROM "SomethingNew";""").Order());
    }
}
