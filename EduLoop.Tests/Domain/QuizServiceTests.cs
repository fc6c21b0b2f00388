using System.Text;
using EduLoop.Domain;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Formats;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Domain;

public sealed class QuizServiceTests : IAsyncLifetime
{
    private const string Gift = """
        $CATEGORY: Science/Physics/Motion

        // [tag:speed]
        ::One::Question one? {=a ~b}

        ::Two::Question two? {T}

        ::Three::Question three? {#3}

        ::Info::Read this first.
        """;

    private DomainDatabase _database = null!;
    private int _motion;

    private QuizService Quizzes => _database.Get<QuizService>();

    public async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        await _database.Get<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(Gift)), new ImportOptions(), null);
        await using var db = _database.CreateContext();
        _motion = await db.Categories.Where(c => c.Name == "Motion").Select(c => c.Id).SingleAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task<int> IdOfAsync(string title)
    {
        await using var db = _database.CreateContext();
        return await db.Questions.Where(q => q.Title == title).Select(q => q.Id).SingleAsync();
    }

    [Fact]
    public async Task Create_SavesSettingsSlotsAndClasses_InOrder()
    {
        var schoolClass = await _database.Get<ClassService>().CreateAsync("9A", "");
        var draft = new QuizDraft("Motion check", [new SlotDraft(QuestionId: await IdOfAsync("Two")), new SlotDraft(DrawCount: 2, CategoryId: _motion, Points: 2m)])
        {
            TimeLimitMinutes = 20,
            AttemptsAllowed = 2,
            Grading = GradingMethod.Last,
            PassPercent = 60m,
            Review = ReviewTime.Immediately,
            ClassIds = [schoolClass.Id],
        };

        var quiz = await Quizzes.GetAsync(await Quizzes.CreateAsync(draft, null));

        Assert.Equal(("Motion check", 20, 2, GradingMethod.Last, 60m, ReviewTime.Immediately),
            (quiz.Title, quiz.TimeLimitMinutes!.Value, quiz.AttemptsAllowed, quiz.Grading, quiz.PassPercent!.Value, quiz.Review));
        Assert.Equal([1, 2], quiz.Slots.Select(s => s.Position));
        Assert.Equal((2, _motion, 2m), (quiz.Slots[1].DrawCount, quiz.Slots[1].DrawCategoryId!.Value, quiz.Slots[1].Points));
        Assert.Equal([schoolClass.Id], quiz.Assignments.Select(a => a.SchoolClassId));
    }

    [Fact]
    public async Task Update_ReplacesSlotsAndClasses()
    {
        var id = await Quizzes.CreateAsync(new QuizDraft("Q", [new SlotDraft(QuestionId: await IdOfAsync("One"))]), null);

        await Quizzes.UpdateAsync(id, new QuizDraft("Q2", [new SlotDraft(QuestionId: await IdOfAsync("Three")), new SlotDraft(QuestionId: await IdOfAsync("One"))]), Actor.Admin("admin"));

        var quiz = await Quizzes.GetAsync(id);
        Assert.Equal("Q2", quiz.Title);
        Assert.Equal([await IdOfAsync("Three"), await IdOfAsync("One")], quiz.Slots.Select(s => s.QuestionId!.Value));
        await Assert.ThrowsAsync<NotFoundException>(() => Quizzes.UpdateAsync(int.MaxValue, new QuizDraft("x", [new SlotDraft(QuestionId: 1)]), Actor.Admin("admin")));
    }

    [Fact]
    public async Task Draws_CountOnlyUsableQuestions_OfTheLevelAndTag()
    {
        Assert.Equal(3, await Quizzes.AvailableAsync(new SlotDraft(CategoryId: _motion)));
        Assert.Equal(1, await Quizzes.AvailableAsync(new SlotDraft(CategoryId: _motion, Tag: "speed")));
        Assert.Equal(0, await Quizzes.AvailableAsync(new SlotDraft(CategoryId: _motion, Level: QuestionLevel.Advance)));

        await _database.Get<BankService>().BulkAsync([await IdOfAsync("One")], new SetArchived(true));

        Assert.Equal(2, await Quizzes.AvailableAsync(new SlotDraft(CategoryId: _motion)));
    }

    public static TheoryData<string, string> Broken => new()
    {
        { "title", "Give the quiz a title." },
        { "closes_at", "The quiz must close after it opens." },
        { "time_limit", "A time limit is 1 to 1440 minutes." },
        { "attempts", "Attempts allowed: 0 (no limit) to 100." },
        { "pass", "The pass mark is a percentage from 0 to 100." },
        { "no slots", "Add at least one question or draw." },
        { "twice", "A question can be in a quiz only once." },
        { "missing question", "A chosen question does not exist or is archived." },
        { "too many to draw", "Slot 1: only 3 questions match, fewer than the 4 to draw." },
        { "no place", "Slot 1: choose the category or subcategory to draw from." },
        { "class", "A chosen class does not exist." },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task Create_RefusesEveryBrokenRule_AndSavesNothing(string what, string message)
    {
        var one = await IdOfAsync("One");
        var valid = new QuizDraft("Quiz", [new SlotDraft(QuestionId: one)]);
        var now = DateTime.UtcNow;
        var draft = what switch
        {
            "title" => valid with { Title = "  " },
            "closes_at" => valid with { OpensAt = now, ClosesAt = now.AddMinutes(-1) },
            "time_limit" => valid with { TimeLimitMinutes = 0 },
            "attempts" => valid with { AttemptsAllowed = -1 },
            "pass" => valid with { PassPercent = 101 },
            "no slots" => valid with { Slots = [] },
            "twice" => valid with { Slots = [new SlotDraft(QuestionId: one), new SlotDraft(QuestionId: one)] },
            "missing question" => valid with { Slots = [new SlotDraft(QuestionId: int.MaxValue)] },
            "too many to draw" => valid with { Slots = [new SlotDraft(DrawCount: 4, CategoryId: _motion)] },
            "no place" => valid with { Slots = [new SlotDraft(DrawCount: 1)] },
            _ => valid with { ClassIds = [int.MaxValue] },
        };

        var error = await Assert.ThrowsAsync<DomainValidationException>(() => Quizzes.CreateAsync(draft, null));

        Assert.Equal(message, error.Message);
        await using var db = _database.CreateContext();
        Assert.Equal(0, await db.Quizzes.CountAsync());
    }
}
