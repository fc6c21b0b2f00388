using System.Text;
using EduLoop.Domain;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Identity;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Domain;

/// <summary>Questions added to a quiz many at once, and the quizzes a question is used in.</summary>
public sealed class QuizQuestionsTests : IAsyncLifetime
{
    private const string Gift = """
        $CATEGORY: Geography/Europe/Capitals

        ::France::What is the capital of France? {=Paris ~Lyon}

        ::Italy::What is the capital of Italy? {=Rome ~Milan}

        ::Spain::What is the capital of Spain? {=Madrid ~Seville}

        ::Old::What was the capital of West Germany? {=Bonn ~Berlin}
        """;

    private DomainDatabase _database = null!;
    private readonly Dictionary<string, int> _questions = [];
    private readonly Dictionary<string, string> _users = [];

    private QuizService Quizzes => _database.Get<QuizService>();

    private Actor As(string who) => Actor.Teacher(_users[who]);

    public async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        await _database.Get<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(Gift)), new ImportOptions(), null);
        await using var db = _database.CreateContext();
        foreach (var question in await db.Questions.ToListAsync())
        {
            _questions[question.Title] = question.Id;
        }

        await _database.Get<BankService>().BulkAsync([_questions["Old"]], new SetArchived(true));
        foreach (var who in new[] { "author", "other" })
        {
            _users[who] = (await _database.Get<UserAdminService>().CreateAsync(new NewUser($"{who}@school.test", who, Roles.Teacher, "long enough passphrase"))).Id;
        }
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task<int> QuizAsync(string title, string who, params string[] questions) =>
        await Quizzes.CreateAsync(new QuizDraft(title, questions.Select(q => new SlotDraft(QuestionId: _questions[q], Points: 2m)).ToList()), _users[who]);

    [Fact]
    public async Task AddQuestionsAsync_AddsNewOnesAtTheEnd_AndCountsThoseInTheQuizAndTheArchived()
    {
        var quiz = await QuizAsync("Capitals", "author", "France");

        var result = await Quizzes.AddQuestionsAsync(quiz, [_questions["Spain"], _questions["France"], _questions["Old"], _questions["Italy"], _questions["Spain"], 999_999], As("author"));

        Assert.Equal(new AddedQuestions(Added: 2, AlreadyInQuiz: 1, Unavailable: 2), result);
        var slots = (await Quizzes.GetAsync(quiz)).Slots.OrderBy(s => s.Position).Select(s => (s.Position, s.QuestionId!.Value, s.Points)).ToList();
        Assert.Equal([(1, _questions["France"], 2m), (2, _questions["Spain"], 1m), (3, _questions["Italy"], 1m)], slots);
    }

    [Fact]
    public async Task AddQuestionsAsync_ToAnotherTeachersQuiz_IsRefused_AndChangesNothing()
    {
        var quiz = await QuizAsync("Capitals", "author", "France");

        await Assert.ThrowsAsync<ForbiddenException>(() => Quizzes.AddQuestionsAsync(quiz, [_questions["Italy"]], As("other")));
        await Assert.ThrowsAsync<NotFoundException>(() => Quizzes.AddQuestionsAsync(quiz + 1000, [_questions["Italy"]], As("author")));
        await Assert.ThrowsAsync<DomainValidationException>(() => Quizzes.AddQuestionsAsync(quiz, Enumerable.Range(1, QuizService.MaxAddedAtOnce + 1).ToList(), As("author")));

        Assert.Single((await Quizzes.GetAsync(quiz)).Slots);
    }

    [Fact]
    public async Task ChangeableAsync_ListsOnlyTheQuizzesTheTeacherMayChange()
    {
        var own = await QuizAsync("Mine", "author", "France");
        await QuizAsync("Theirs", "other", "Italy");

        var choices = await Quizzes.ChangeableAsync(As("author"));

        Assert.Equal([new QuizChoice(own, "Mine", 1)], choices);
    }

    [Fact]
    public async Task UsesOfQuestionAsync_NamesEveryQuizWithTheQuestion_ByTitle()
    {
        var second = await QuizAsync("B capitals", "other", "Italy", "France");
        var first = await QuizAsync("A capitals", "author", "France");
        await QuizAsync("Elsewhere", "author", "Spain");

        Assert.Equal([new QuizUse(first, "A capitals"), new QuizUse(second, "B capitals")], await Quizzes.UsesOfQuestionAsync(_questions["France"]));
        Assert.Empty(await Quizzes.UsesOfQuestionAsync(_questions["Old"]));
    }
}
