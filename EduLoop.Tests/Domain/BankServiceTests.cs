using System.Text;
using EduLoop.Domain;
using EduLoop.Domain.Data.Seeding;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Querying;
using EduLoop.Domain.QuestionBank;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Domain;

public sealed class BankServiceTests : IAsyncLifetime
{
    private const string Gift = """
        $CATEGORY: Science/Physics/Motion

        // [tag:kinematics]
        ::Speed::A car covers 100 metres in 5 seconds. Its speed? {#20:0.5}

        ::Light::Light travels faster than sound.{T}

        $CATEGORY: Science/Physics/Forces/Newton

        ::Force unit::Which is the unit of force? {=newton ~joule ~watt}

        $CATEGORY: Languages/French/Vocabulary

        ::Capital::Quelle est la capitale de la France ? {=Paris ~Lyon}
        """;

    private DomainDatabase _database = null!;

    private BankService Bank => _database.Get<BankService>();

    public async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        var result = await _database.Get<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(Gift)), new ImportOptions(), null);
        Assert.True(result.Succeeded);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task<List<string>> TitlesAsync(BankQuery query) =>
        (await Bank.BrowseAsync(query, new PageRequest(1, 100))).Items.Select(r => r.Title).Order(StringComparer.Ordinal).ToList();

    private async Task<int> IdOfAsync(string title)
    {
        await using var db = _database.CreateContext();
        return await db.Questions.Where(q => q.Title == title).Select(q => q.Id).SingleAsync();
    }

    [Theory]
    [InlineData("metres", new[] { "Speed" })]
    [InlineData("SOUND light", new[] { "Light" })]
    [InlineData("capitale", new[] { "Capital" })]
    [InlineData("unit", new[] { "Force unit" })]
    [InlineData("spe", new[] { "Speed" })]
    [InlineData("\"quoted\" OR NEAR(* ^col:x", new string[0])]
    public async Task TextSearch_FindsWordsAndPrefixesInTitleAndText_AndTreatsSyntaxAsText(string text, string[] expected) =>
        Assert.Equal(expected, await TitlesAsync(new BankQuery(Text: text)));

    [Theory]
    [InlineData("elan")]
    [InlineData("ÉLAN")]
    [InlineData("flach gr")]
    [InlineData("größe")]
    [InlineData("vital: Fläche!")]
    public async Task TextSearch_IgnoresAccentsAndCase_OnEitherDatabase(string text)
    {
        const string Accented = """
            $CATEGORY: Languages/German/Words

            ::Élan::Élan vital: die Größe der Fläche? {=groß ~klein}
            """;
        var added = await _database.Get<ImportService>().CommitAsync(
            QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(Accented)), new ImportOptions(), null);
        Assert.True(added.Succeeded);

        Assert.Equal(["Élan"], await TitlesAsync(new BankQuery(Text: text)));
    }

    [Fact]
    public async Task Filters_ByNodeTagTypeAndArchived()
    {
        await using var db = _database.CreateContext();
        var physics = await db.Subjects.Where(s => s.Name == "Physics").Select(s => s.Id).SingleAsync();
        var newton = await db.SubCategories.Where(s => s.Name == "Newton").Select(s => s.Id).SingleAsync();

        Assert.Equal(["Force unit", "Light", "Speed"], await TitlesAsync(new BankQuery(SubjectId: physics)));
        Assert.Equal(["Force unit"], await TitlesAsync(new BankQuery(SubCategoryId: newton)));
        Assert.Equal(["Speed"], await TitlesAsync(new BankQuery(Tag: "kinematics")));
        Assert.Equal(["Capital", "Force unit"], await TitlesAsync(new BankQuery(Type: QuestionType.Mcq)));

        await Bank.BulkAsync([await IdOfAsync("Light")], new SetArchived(true));
        Assert.Equal(["Light"], await TitlesAsync(new BankQuery(Archived: true)));
        Assert.DoesNotContain("Light", await TitlesAsync(new BankQuery()));
    }

    [Fact]
    public async Task Pages_NewestFirstOrOldestFirst_AreTheSameRowsFromEitherEnd()
    {
        var newest = new List<int>();
        for (var page = 1; page <= 4; page++)
        {
            newest.AddRange((await Bank.BrowseAsync(new BankQuery(), new PageRequest(page, 1))).Items.Select(r => r.Id));
        }

        var oldest = (await Bank.BrowseAsync(new BankQuery(Sort: BankSort.Oldest), new PageRequest(1, 10))).Items.Select(r => r.Id);
        var last = await Bank.BrowseAsync(new BankQuery(), new PageRequest(null, 3));

        Assert.Equal(newest.AsEnumerable().Reverse(), oldest);
        Assert.Equal((2, 4), (last.Page, last.Count));
        Assert.Equal(newest[3], Assert.Single(last.Items).Id);
    }

    [Fact]
    public async Task Tree_CountsQuestionsPerNode_AndIsRightAfterAWrite()
    {
        var tree = await Bank.TreeAsync();
        var science = tree.Single(g => g.Name == "Science");
        Assert.Equal(3, science.Questions);
        Assert.Equal(1, science.Children.Single().Children.Single(c => c.Name == "Forces").Children.Single().Questions);

        await Bank.BulkAsync([await IdOfAsync("Capital")], new DeleteQuestions());

        Assert.Equal(0, (await Bank.TreeAsync()).Single(g => g.Name == "Languages").Questions);
    }

    [Fact]
    public async Task Save_NewAndEdited_KeepsHistory_AndTheSearchIndexFollows()
    {
        var original = await Bank.GetAsync(await IdOfAsync("Capital"));

        var edited = await Bank.SaveAsync(original with { Stem = "Quelle est la capitale de l'Italie ?", Body = new QuestionBody { Choices = [new("Rome", 1m), new("Milan", 0m)] }, Tags = ["europe"] }, null);

        Assert.Equal(2, edited.Version);
        Assert.Equal(["europe"], edited.Tags);
        Assert.NotEqual(original.ConcurrencyStamp, edited.ConcurrencyStamp);
        var history = Assert.Single(await Bank.HistoryAsync(original.Id));
        Assert.Equal((1, original.Stem), (history.Number, history.Stem));
        Assert.Equal(["Capital"], await TitlesAsync(new BankQuery(Text: "italie")));
        Assert.Empty(await TitlesAsync(new BankQuery(Text: "france")));

        var restored = await Bank.RestoreAsync(original.Id, 1, edited.ConcurrencyStamp, null);
        Assert.Equal((3, original.Stem), (restored.Version, restored.Stem));
        Assert.Equal(2, (await Bank.HistoryAsync(original.Id)).Count);
    }

    [Fact]
    public async Task Save_AfterSomeoneElseSaved_IsAConflict_CarryingTheirVersion_AndChangesNothing()
    {
        var mine = await Bank.GetAsync(await IdOfAsync("Capital"));
        var theirs = await Bank.SaveAsync(mine with { Title = "Their title" }, null);

        var conflict = await Assert.ThrowsAsync<QuestionConflictException>(() => Bank.SaveAsync(mine with { Title = "My title" }, null));

        Assert.Equal("Their title", conflict.Current.Title);
        Assert.Equal(theirs.ConcurrencyStamp, conflict.Current.ConcurrencyStamp);
        Assert.Equal("Their title", (await Bank.GetAsync(mine.Id)).Title);
    }

    [Theory]
    [InlineData(QuestionType.Mcq, "A single-answer question (mcq) needs exactly one right choice with full credit.")]
    [InlineData(QuestionType.McqMulti, "The credits of the right choices must add up to 100%.")]
    [InlineData(QuestionType.Matching, "A matching question needs at least two pairs.")]
    [InlineData(QuestionType.Math, "A math question needs a right numeric answer with full credit.")]
    [InlineData(QuestionType.TrueFalse, "A true/false question needs its answer.")]
    [InlineData(QuestionType.FillBlank, "A fill-in question needs at least one accepted answer with full credit.")]
    public async Task Save_InvalidQuestion_IsRefusedWithTheRule(QuestionType type, string message)
    {
        var question = await Bank.GetAsync(await IdOfAsync("Capital"));
        var body = new QuestionBody { Choices = [new("a", 0.5m), new("b", 0.2m)] };

        var error = await Assert.ThrowsAsync<DomainValidationException>(() => Bank.SaveAsync(question with { Type = type, Body = body }, null));

        Assert.Equal(message, error.Message);
        Assert.Equal(1, (await Bank.GetAsync(question.Id)).Version);
    }

    [Fact]
    public async Task Duplicate_CopiesIntoTheSamePlace()
    {
        var copy = await Bank.DuplicateAsync(await IdOfAsync("Speed"), null);

        Assert.Equal("Speed (copy)", copy.Title);
        Assert.Equal(["kinematics"], copy.Tags);
        Assert.Equal(2, (await TitlesAsync(new BankQuery(Text: "metres"))).Count);
    }

    [Fact]
    public async Task Bulk_MoveLevelTags_ChangeOnlyTheSelected()
    {
        var ids = new[] { await IdOfAsync("Speed"), await IdOfAsync("Light") };
        await using var db = _database.CreateContext();
        var vocabulary = await db.Categories.Where(c => c.Name == "Vocabulary").Select(c => new { c.Id, c.SubjectId, c.GroupId }).SingleAsync();

        Assert.Equal(2, await Bank.BulkAsync(ids, new MoveQuestions(vocabulary.Id, null)));
        Assert.Equal(2, await Bank.BulkAsync(ids, new SetLevel(QuestionLevel.Advance)));
        Assert.Equal(1, await Bank.BulkAsync(ids, new AddTag("kinematics")));
        Assert.Equal(2, await Bank.BulkAsync(ids, new RemoveTag("kinematics")));

        var moved = await db.Questions.AsNoTracking().Where(q => ids.Contains(q.Id)).ToListAsync();
        Assert.All(moved, q => Assert.Equal((vocabulary.Id, vocabulary.SubjectId, vocabulary.GroupId, QuestionLevel.Advance), (q.CategoryId, q.SubjectId, q.GroupId, q.Level)));
        Assert.Equal(0, await db.QuestionTags.CountAsync());
        Assert.Equal(QuestionLevel.Medium, (await db.Questions.AsNoTracking().SingleAsync(q => q.Title == "Capital")).Level);
        await Assert.ThrowsAsync<DomainValidationException>(() => Bank.BulkAsync(ids, new MoveQuestions(int.MaxValue, null)));
    }

    [Fact]
    public async Task SeededBank_IsSearchable()
    {
        await using var fresh = await DomainDatabase.CreateAsync();
        await fresh.Get<BankWriter>().WriteAsync(DemoBank.Taxonomy(), DemoBank.Questions(300), null);

        var page = await fresh.Get<BankService>().BrowseAsync(new BankQuery(Text: "solve"), new PageRequest(1, 5));
        var all = await fresh.Get<BankService>().BrowseAsync(new BankQuery(), new PageRequest(1, 5));

        Assert.Equal(300, all.Count);
        Assert.InRange(page.Count, 1, 299);
    }

    [Fact]
    public async Task Nodes_CreateAndRename_KeepNamesUniqueUnderAParent()
    {
        var group = await Bank.CreateNodeAsync(BankNodeKind.Group, null, "  Arts ");
        var subject = await Bank.CreateNodeAsync(BankNodeKind.Subject, group, "Music");
        var category = await Bank.CreateNodeAsync(BankNodeKind.Category, subject, "Theory");
        await Bank.CreateNodeAsync(BankNodeKind.SubCategory, category, "Scales");

        await Assert.ThrowsAsync<DomainValidationException>(() => Bank.CreateNodeAsync(BankNodeKind.Group, null, "Arts"));
        await Assert.ThrowsAsync<DomainValidationException>(() => Bank.CreateNodeAsync(BankNodeKind.Category, subject, "Theory"));
        await Assert.ThrowsAsync<DomainValidationException>(() => Bank.CreateNodeAsync(BankNodeKind.Subject, group, " "));
        await Assert.ThrowsAsync<NotFoundException>(() => Bank.CreateNodeAsync(BankNodeKind.Subject, int.MaxValue, "Lost"));
        await Bank.RenameNodeAsync(BankNodeKind.Category, category, "Harmony");
        await Assert.ThrowsAsync<DomainValidationException>(() => Bank.RenameNodeAsync(BankNodeKind.Group, group, "Science"));

        var arts = (await Bank.TreeAsync()).Single(g => g.Name == "Arts");
        Assert.Equal("Harmony", arts.Children.Single().Children.Single().Name);
        Assert.Equal("Scales", arts.Children.Single().Children.Single().Children.Single().Name);
    }

    [Fact]
    public async Task MoveCategory_CarriesItsSubcategoriesAndQuestions_ToTheNewSubject()
    {
        await using var db = _database.CreateContext();
        var forces = await db.Categories.Where(c => c.Name == "Forces").Select(c => c.Id).SingleAsync();
        var french = await db.Subjects.Where(s => s.Name == "French").Select(s => new { s.Id, s.GroupId }).SingleAsync();

        await Bank.MoveNodeAsync(BankNodeKind.Category, forces, french.Id);

        var question = await db.Questions.AsNoTracking().SingleAsync(q => q.Title == "Force unit");
        var sub = await db.SubCategories.AsNoTracking().SingleAsync(s => s.Name == "Newton");
        Assert.Equal((french.Id, french.GroupId), (question.SubjectId, question.GroupId));
        Assert.Equal((french.Id, french.GroupId), (sub.SubjectId, sub.GroupId));
        Assert.Equal(["Capital", "Force unit"], await TitlesAsync(new BankQuery(SubjectId: french.Id)));
        await Assert.ThrowsAsync<DomainValidationException>(() => Bank.MoveNodeAsync(BankNodeKind.Group, french.GroupId, 1));
    }

    [Fact]
    public async Task DeleteNode_SaysWhatItTakes_ThenTakesItAll()
    {
        await using var db = _database.CreateContext();
        var science = await db.Groups.Where(g => g.Name == "Science").Select(g => g.Id).SingleAsync();

        var impact = await Bank.ImpactAsync(BankNodeKind.Group, science);
        await Bank.DeleteNodeAsync(BankNodeKind.Group, science);

        Assert.Equal(new NodeImpact(1, 2, 1, 3), impact);
        Assert.Equal(["Capital"], await TitlesAsync(new BankQuery()));
        Assert.Empty(await TitlesAsync(new BankQuery(Text: "metres")));
        Assert.Equal(["Languages"], (await Bank.TreeAsync()).Select(g => g.Name));
        await Assert.ThrowsAsync<NotFoundException>(() => Bank.DeleteNodeAsync(BankNodeKind.Group, science));
    }

    [Fact]
    public async Task ArchiveNode_TakesItsQuestionsOutOfTheLists_AndBringsThemBack()
    {
        await using var db = _database.CreateContext();
        var physics = await db.Subjects.Where(s => s.Name == "Physics").Select(s => s.Id).SingleAsync();

        Assert.Equal(3, await Bank.ArchiveNodeAsync(BankNodeKind.Subject, physics, archived: true));
        Assert.Equal(["Capital"], await TitlesAsync(new BankQuery()));
        Assert.Equal(0, (await Bank.TreeAsync()).Single(g => g.Name == "Science").Questions);
        Assert.Equal(3, (await TitlesAsync(new BankQuery(Archived: true))).Count);

        Assert.Equal(3, await Bank.ArchiveNodeAsync(BankNodeKind.Subject, physics, archived: false));
        Assert.Equal(4, (await TitlesAsync(new BankQuery())).Count);
    }

    [Fact]
    public async Task QuestionsUsedInAQuiz_CannotBeDeleted_NorTheirNodes_OnlyArchived()
    {
        await using var db = _database.CreateContext();
        var speed = await IdOfAsync("Speed");
        var motion = await db.Categories.Where(c => c.Name == "Motion").Select(c => new { c.Id, c.SubjectId, c.GroupId }).SingleAsync();
        var french = await db.Subjects.Where(s => s.Name == "French").Select(s => s.Id).SingleAsync();
        var vocabulary = await db.Categories.Where(c => c.Name == "Vocabulary").Select(c => c.Id).SingleAsync();
        var quiz = new EduLoop.Domain.Quizzes.Quiz { Title = "Physics test" };
        quiz.Slots.Add(new EduLoop.Domain.Quizzes.QuizSlot { Position = 1, QuestionId = speed });
        var drawing = new EduLoop.Domain.Quizzes.Quiz { Title = "French draw" };
        drawing.Slots.Add(new EduLoop.Domain.Quizzes.QuizSlot { Position = 1, DrawCategoryId = vocabulary, DrawCount = 3 });
        db.Quizzes.AddRange(quiz, drawing);
        await db.SaveChangesAsync();

        Assert.Equal(1, (await Bank.ImpactAsync(BankNodeKind.Group, motion.GroupId)).QuizCount);
        Assert.Equal(1, (await Bank.ImpactAsync(BankNodeKind.Subject, french)).QuizCount);
        Assert.Equal(0, (await Bank.ImpactAsync(BankNodeKind.SubCategory, await db.SubCategories.Where(s => s.Name == "Newton").Select(s => s.Id).SingleAsync())).QuizCount);
        await Assert.ThrowsAsync<DomainValidationException>(() => Bank.DeleteNodeAsync(BankNodeKind.Category, motion.Id));
        await Assert.ThrowsAsync<DomainValidationException>(() => Bank.DeleteNodeAsync(BankNodeKind.Subject, french));
        var light = await IdOfAsync("Light");
        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => Bank.BulkAsync([speed, light], new DeleteQuestions()));
        Assert.Contains("archive them instead", refused.Message, StringComparison.Ordinal);

        Assert.Equal(2, await Bank.ArchiveNodeAsync(BankNodeKind.Category, motion.Id, archived: true));
        Assert.Equal(4, await db.Questions.CountAsync());
        await Bank.BulkAsync([light], new DeleteQuestions());
        Assert.Equal(3, await db.Questions.CountAsync());
    }

    /// <summary>The bank is the school's: any teacher edits any question, and each version keeps who saved it.</summary>
    [Fact]
    public async Task SaveAsync_TeachersEditEachOthersQuestion_TheHistoryNamesWhoSavedEachVersion()
    {
        var users = _database.Get<UserAdminService>();
        var ada = await users.CreateAsync(new NewUser("ada@school.test", "Ada", Roles.Teacher, "long enough passphrase"));
        var ben = await users.CreateAsync(new NewUser("ben@school.test", "Ben", Roles.Teacher, "long enough passphrase"));
        var cleo = await users.CreateAsync(new NewUser("cleo@school.test", "Cleo", Roles.Teacher, "long enough passphrase"));
        var first = await Bank.DuplicateAsync(await IdOfAsync("Light"), ada.Id);

        var second = await Bank.SaveAsync(first with { Stem = "Ben's wording." }, ben.Id);
        var third = await Bank.SaveAsync(second with { Stem = "Cleo's wording." }, cleo.Id);

        var history = await Bank.HistoryAsync(third.Id);
        Assert.Equal([(2, "Ben's wording.", "Ben"), (1, first.Stem, "Ada")], history.Select(h => (h.Number, h.Stem, h.Author!)));
        await using var db = _database.CreateContext();
        var current = await db.Questions.SingleAsync(q => q.Id == third.Id);
        Assert.Equal((3, ada.Id, cleo.Id), (current.Version, current.CreatedById!, current.UpdatedById!));
    }

    /// <summary>An edit through the compatible API is kept in the history as the editor's saves are.</summary>
    [Fact]
    public async Task UpdateAsync_ThroughTheApi_KeepsTheReplacedStateSignedInTheHistory()
    {
        var users = _database.Get<UserAdminService>();
        var ada = await users.CreateAsync(new NewUser("ada@school.test", "Ada", Roles.Teacher, "long enough passphrase"));
        var ben = await users.CreateAsync(new NewUser("ben@school.test", "Ben", Roles.Teacher, "long enough passphrase"));
        var first = await Bank.DuplicateAsync(await IdOfAsync("Light"), ada.Id);
        var metadata = System.Text.Json.JsonDocument.Parse("""{"question": "Sound travels faster than light.", "answer": "False"}""").RootElement;

        await _database.Get<QuestionService>().UpdateAsync(first.Id, new QuestionInput(null, null, null, null, false, null, null, metadata), partial: true, ben.Id);

        var entry = Assert.Single(await Bank.HistoryAsync(first.Id));
        Assert.Equal((1, first.Stem, "Ada"), (entry.Number, entry.Stem, entry.Author!));
        await using var db = _database.CreateContext();
        var current = await db.Questions.SingleAsync(q => q.Id == first.Id);
        Assert.Equal((2, "Sound travels faster than light.", ben.Id), (current.Version, current.Stem, current.UpdatedById!));
    }
}
