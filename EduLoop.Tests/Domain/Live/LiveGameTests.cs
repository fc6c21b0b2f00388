using System.Text;
using System.Text.Json;
using EduLoop.Domain;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Learning;
using EduLoop.Domain.Live;
using EduLoop.Domain.Quizzes;
using EduLoop.Domain.Settings;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace EduLoop.Tests.Domain.Live;

/// <summary>
/// Live games over a real database (SQLite, or PostgreSQL in its pass) with a fake clock: a whole game,
/// the countdown, the pause while the host is away, a restart, two servers on one database, and what
/// players may and may not do.
/// </summary>
public sealed class LiveGameTests : IAsyncLifetime
{
    private const string Gift = """
        $CATEGORY: Live/Mixed/Everything

        ::Capital::What is the capital of France? {=Paris ~Lyon ~Nice}

        ::Earth::The earth is round. {T}

        ::Answer::Six times seven? {#42}

        ::Essay::Write about your holidays. {}

        ::River::Which river flows through Paris? {=Seine}

        ::Primes::Pick the primes. {~%50%2 ~%50%3 ~%-100%4}
        """;

    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(T0);
    private DomainDatabase _database = null!;
    private LiveGameService _games = null!;
    private LiveAnswerWriter _writer = null!;
    private LiveRooms _rooms = null!;
    private string _teacher = null!;
    private string _student = null!;
    private int _quiz;

    public async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        await _database.Get<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(Gift)), new ImportOptions(), null);
        (_games, _writer, _rooms) = Server();
        await using var db = _database.CreateContext();
        var teacher = new ApplicationUser { UserName = "teacher@school.test", Email = "teacher@school.test", DisplayName = "Ms Teacher" };
        var student = new ApplicationUser { UserName = "ana@school.test", Email = "ana@school.test", DisplayName = "Ana Student" };
        db.Users.AddRange(teacher, student);
        (_teacher, _student) = (teacher.Id, student.Id);
        var quiz = new Quiz { Title = "Friday quiz", CreatedById = teacher.Id };
        var questions = await db.Questions.OrderBy(q => q.Id).Select(q => q.Id).ToListAsync();
        quiz.Slots.AddRange(questions.Select((id, i) => new QuizSlot { Position = i + 1, QuestionId = id }));
        db.Quizzes.Add(quiz);
        await db.SaveChangesAsync();
        _quiz = quiz.Id;
    }

    public async Task DisposeAsync()
    {
        await _rooms.DisposeAsync();
        await _writer.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>The live services of one server over the shared database, on the test's clock.</summary>
    private (LiveGameService, LiveAnswerWriter, LiveRooms) Server()
    {
        var games = new LiveGameService(_database.CreateFactory(), _clock, _database.Get<SchoolSettingsService>(), _database.Get<ReviewRecorder>());
        var writer = new LiveAnswerWriter(_database.CreateFactory());
        return (games, writer, new LiveRooms(games, writer, _clock));
    }

    private Actor Host => Actor.Teacher(_teacher);

    private async Task<(LiveGame Game, LiveRoom Room)> StartAsync(LiveOptions? options = null)
    {
        var game = await _games.CreateFromQuizAsync(Host, _quiz, options ?? new LiveOptions(AllowGuests: true));
        return (game, (await _rooms.RoomAsync(game.Id))!);
    }

    private async Task<LiveSeat> GuestAsync(LiveRoom room, string nickname)
    {
        var seat = await _games.JoinAsGuestAsync(room.GameId, nickname);
        await room.PlayersMovedAsync();
        return seat;
    }

    private static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value);

    private static async Task<LiveView> WaitForAsync(LiveRoom room, Func<LiveView, bool> done)
    {
        for (var i = 0; i < 500 && !done(room.View); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(done(room.View), $"the room stayed at {room.View.Phase}, question {room.View.Question?.Index}");
        return room.View;
    }

    [Fact]
    public async Task AWholeGame_ScoresByTimeAndStreak_RevealsAtTheClose_AndFeedsTheMemoryStates()
    {
        var (game, room) = await StartAsync();

        // The essay cannot be answered in seconds on a phone: the five other questions make the game.
        Assert.Equal(["Capital", "Earth", "Answer", "River", "Primes"], await QuestionTitlesAsync(game.Id));
        Assert.Matches("^[0-9]{6}$", game.Pin);
        Assert.Equal(game.Id, await _games.FindAsync($"{game.Pin[..3]} {game.Pin[3..]}"));

        var ana = await _games.JoinAsStudentAsync(game.Id, _student);
        await room.PlayersMovedAsync();
        var ben = await GuestAsync(room, "Ben");
        var cem = await GuestAsync(room, "Cem");
        Assert.Equal("Ana Student", ana.Nickname);
        Assert.NotNull(ben.Token);
        Assert.Equal(3, room.Players.Count);

        await room.StepAsync(Host, LiveStep.Next);
        Assert.Equal((LivePhase.Question, 0), (room.View.Phase, room.View.Question!.Index));
        Assert.Equal(["Paris", "Lyon", "Nice"], room.View.Question.Options);

        await room.StepAsync(Host, LiveStep.Open);
        Assert.Equal(20_000, room.View.RemainingMs);
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(new LiveAck(true, null, 2000), await room.AnswerAsync(ana.PlayerId, 0, Json(0)));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True((await room.AnswerAsync(ben.PlayerId, 0, Json("Lyon"))).Kept);
        var again = await room.AnswerAsync(ben.PlayerId, 0, Json("Paris"));
        Assert.Equal((true, "You have answered this question; your first answer counts."), (again.Kept, again.Refusal));
        Assert.True(room.HasAnswered(ana.PlayerId));

        // The countdown closes the question by itself; an answer after it is refused.
        _clock.Advance(TimeSpan.FromSeconds(16));
        var revealed = await WaitForAsync(room, v => v.Phase == LivePhase.Revealed);
        var late = await room.AnswerAsync(cem.PlayerId, 0, Json(0));
        Assert.False(late.Kept);
        Assert.Equal([("Paris", 1, true), ("Lyon", 1, false), ("Nice", 0, false)], revealed.Reveal!.Bars.Select(b => (b.Label, b.Count, b.Right)));
        Assert.Equal([0], revealed.Reveal.RightOptions);
        Assert.Equal(new LivePlayerResult(true, true, 1, 950, 950, 1, 1, 3), room.ResultOf(ana.PlayerId));
        Assert.Equal((true, false, 0), (room.ResultOf(ben.PlayerId)!.Answered, room.ResultOf(ben.PlayerId)!.Correct, room.ResultOf(ben.PlayerId)!.Points));
        Assert.False(room.ResultOf(cem.PlayerId)!.Answered);

        await room.StepAsync(Host, LiveStep.Leaderboard);
        Assert.Equal([("Ana Student", 950, 1), ("Ben", 0, 2), ("Cem", 0, 2)], room.View.Board!.Select(s => (s.Nickname, s.Total, s.Rank)));

        // Everyone answers the second question: it closes without waiting for the countdown.
        await room.StepAsync(Host, LiveStep.Next);
        await room.StepAsync(Host, LiveStep.Open);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await room.AnswerAsync(ana.PlayerId, 1, Json(true));
        await room.AnswerAsync(ben.PlayerId, 1, Json(false));
        await room.AnswerAsync(cem.PlayerId, 1, Json("true"));
        await WaitForAsync(room, v => v.Phase == LivePhase.Revealed && v.Question!.Index == 1);
        // 975 for a right answer after a second, and 100 for the second right answer in a row.
        Assert.Equal((1075, 2025, 2), (room.ResultOf(ana.PlayerId)!.Points, room.ResultOf(ana.PlayerId)!.Total, room.ResultOf(ana.PlayerId)!.Streak));
        Assert.Equal((975, 975, 2), (room.ResultOf(cem.PlayerId)!.Points, room.ResultOf(cem.PlayerId)!.Total, room.ResultOf(cem.PlayerId)!.Rank));

        await room.StepAsync(Host, LiveStep.Finish);
        Assert.Equal(LivePhase.Podium, room.View.Phase);
        Assert.Equal(["Ana Student", "Cem", "Ben"], room.View.Board!.Select(s => s.Nickname));
        Assert.Null(await _games.FindAsync(game.Pin));
        await Assert.ThrowsAsync<LiveRefusedException>(() => room.StepAsync(Host, LiveStep.Next));
        await Assert.ThrowsAsync<LiveRefusedException>(() => _games.JoinAsGuestAsync(game.Id, "Dora"));

        // The signed-in student's two answers went to her memory states; guests have none.
        await using var db = _database.CreateContext();
        var logs = await db.ReviewLogs.Where(l => l.Source == ReviewSource.Live).OrderBy(l => l.ReviewedAt).ToListAsync();
        Assert.Equal([(_student, 2000), (_student, 1000)], logs.Select(l => (l.StudentId, l.TimeTakenMs ?? 0)));
        Assert.Equal(2, await db.ReviewStates.CountAsync(s => s.StudentId == _student));
    }

    private async Task<List<string>> QuestionTitlesAsync(int gameId)
    {
        await using var db = _database.CreateContext();
        var ids = await db.LiveGameQuestions.Where(q => q.GameId == gameId).OrderBy(q => q.Index).Select(q => q.QuestionId).ToListAsync();
        var titles = await db.Questions.Where(q => ids.Contains(q.Id)).ToDictionaryAsync(q => q.Id, q => q.Title);
        return ids.Select(id => titles[id]).ToList();
    }

    [Fact]
    public async Task TheKey_IsInNoViewBeforeTheReveal()
    {
        var (_, room) = await StartAsync();
        var ben = await GuestAsync(room, "Ben");
        var seen = new List<string>();
        room.Changed += view => seen.Add(JsonSerializer.Serialize(view));

        for (var question = 0; question < 5; question++)
        {
            await room.StepAsync(Host, LiveStep.Next);
            await room.StepAsync(Host, LiveStep.Open);
            Assert.Null(room.View.Reveal);
            await room.AnswerAsync(ben.PlayerId, question, Json(question == 2 ? "41" : "x"));
            await WaitForAsync(room, v => v.Phase == LivePhase.Revealed);
            await room.StepAsync(Host, LiveStep.Leaderboard);
        }

        // Before each reveal, nothing said which option or text is right: no fractions, no accepted answers, no "42".
        var before = seen.Where(json => json.Contains("\"Phase\":1", StringComparison.Ordinal) || json.Contains("\"Phase\":2", StringComparison.Ordinal)).ToList();
        Assert.Equal(10, before.Count);
        Assert.All(before, json =>
        {
            Assert.Contains("\"Reveal\":null", json, StringComparison.Ordinal);
            Assert.DoesNotContain("Fraction", json, StringComparison.Ordinal);
            Assert.DoesNotContain("Seine", json, StringComparison.Ordinal);
            Assert.DoesNotContain("42", json.Replace($"\"Pin\":\"{room.View.Pin}\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
        });
        Assert.Contains(seen, json => json.Contains("\"RightAnswers\":[\"Seine\"]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheHostAway_PausesTheCountdown_RefusesAnswers_AndTheHostsReturnGivesBackTheTimeLeft()
    {
        var (_, room) = await StartAsync();
        var ben = await GuestAsync(room, "Ben");
        await room.HostArrivedAsync();
        await room.StepAsync(Host, LiveStep.Next);
        await room.StepAsync(Host, LiveStep.Open);

        _clock.Advance(TimeSpan.FromSeconds(5));
        room.HostLeft();
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.False(room.View.Paused);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var paused = await WaitForAsync(room, v => v.Paused);
        Assert.Equal(12_000, paused.RemainingMs);
        Assert.Equal("The game is paused; answer when it goes on.", (await room.AnswerAsync(ben.PlayerId, 0, Json(0))).Refusal);
        await Assert.ThrowsAsync<LiveRefusedException>(() => room.StepAsync(Host, LiveStep.Close));

        // A minute later the countdown has not run out: it stands still while the host is away.
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(LivePhase.Open, room.View.Phase);
        await room.HostArrivedAsync();
        var resumed = await WaitForAsync(room, v => !v.Paused);
        Assert.Equal(12_000, resumed.RemainingMs);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new LiveAck(true, null, 9000), await room.AnswerAsync(ben.PlayerId, 0, Json(0)));
    }

    [Fact]
    public async Task AHostsReload_WithinTheGrace_DoesNotPause()
    {
        var (_, room) = await StartAsync();
        await room.HostArrivedAsync();
        await room.StepAsync(Host, LiveStep.Next);
        room.HostLeft();
        _clock.Advance(TimeSpan.FromSeconds(1));
        await room.HostArrivedAsync();
        _clock.Advance(TimeSpan.FromSeconds(10));
        await Task.Delay(100);
        Assert.False(room.View.Paused);
    }

    [Fact]
    public async Task ARestartedServer_TakesTheGameUpWhereItWas_WithTheAnswersIn()
    {
        var (game, room) = await StartAsync();
        var ben = await GuestAsync(room, "Ben");
        var cem = await GuestAsync(room, "Cem");
        await room.StepAsync(Host, LiveStep.Next);
        await room.StepAsync(Host, LiveStep.Open);
        _clock.Advance(TimeSpan.FromSeconds(4));
        await room.AnswerAsync(ben.PlayerId, 0, Json(0));

        await _rooms.DisposeAsync();
        await _writer.DisposeAsync();
        (_games, _writer, _rooms) = Server();

        var again = (await _rooms.RoomAsync(game.Id))!;
        Assert.Equal((LivePhase.Open, 0, 16_000L, 1), (again.View.Phase, again.View.Question!.Index, again.View.RemainingMs, again.View.Answered));
        Assert.Equal("Ben", (await _games.RejoinAsGuestAsync(game.Id, ben.Token))!.Nickname);
        Assert.Null(await _games.RejoinAsGuestAsync(game.Id, "not-a-token"));
        Assert.Contains("first answer counts", (await again.AnswerAsync(ben.PlayerId, 0, Json(1))).Refusal, StringComparison.Ordinal);
        Assert.True((await again.AnswerAsync(cem.PlayerId, 0, Json(1))).Kept);

        // Both answered: the question closes, and the answer given before the restart is in the reveal.
        var revealed = await WaitForAsync(again, v => v.Phase == LivePhase.Revealed);
        Assert.Equal([1, 1, 0], revealed.Reveal!.Bars.Select(b => b.Count));
        Assert.Equal(900, again.ResultOf(ben.PlayerId)!.Points);
    }

    [Fact]
    public async Task TwoServersOnOneDatabase_AnAnswerAfterTheOthersClose_IsRefusedByTheStoredGame()
    {
        var (game, room) = await StartAsync();
        var ben = await GuestAsync(room, "Ben");
        var cem = await GuestAsync(room, "Cem");
        await room.StepAsync(Host, LiveStep.Next);
        await room.StepAsync(Host, LiveStep.Open);

        // A second server has the game open and has not heard of the close that follows.
        var (otherGames, otherWriter, otherRooms) = Server();
        await using var _ = otherRooms;
        await using var __ = otherWriter;
        var other = (await otherRooms.RoomAsync(game.Id))!;
        Assert.Equal(LivePhase.Open, other.View.Phase);

        _clock.Advance(TimeSpan.FromSeconds(3));
        await room.StepAsync(Host, LiveStep.Close);
        var refused = await other.AnswerAsync(ben.PlayerId, 0, Json(0));
        Assert.Equal(new LiveAck(false, "This question is closed."), refused);
        Assert.Equal(0, room.View.Reveal!.Answered);
        Assert.Empty(await _games.ResponsesAsync(game.Id, 0));
        Assert.NotNull(otherGames);
        Assert.NotNull(cem);
    }

    [Fact]
    public async Task AHundredPlayersAnsweringAtOnce_AreAllKept_InFewCommits()
    {
        var (game, room) = await StartAsync(new LiveOptions(AllowGuests: true, Seconds: 60));
        var seats = new List<LiveSeat>();
        for (var i = 0; i < 101; i++)
        {
            seats.Add(await _games.JoinAsGuestAsync(game.Id, $"Player {i}"));
        }

        await room.PlayersMovedAsync();
        await room.StepAsync(Host, LiveStep.Next);
        await room.StepAsync(Host, LiveStep.Open);
        var commitsBefore = _writer.Totals.Commits;
        var acks = await Task.WhenAll(seats.Take(100).Select(s => Task.Run(() => room.AnswerAsync(s.PlayerId, 0, Json(s.PlayerId % 3)))));

        Assert.All(acks, a => Assert.True(a.Kept));
        Assert.Equal(100, (await _games.ResponsesAsync(game.Id, 0)).Count);
        Assert.True(_writer.Totals.Commits - commitsBefore < 100, $"{_writer.Totals.Commits - commitsBefore} commits for 100 answers");
        Assert.Equal(LivePhase.Open, room.View.Phase);
        await room.StepAsync(Host, LiveStep.Close);
        Assert.Equal(100, room.View.Reveal!.Bars.Sum(b => b.Count));
        Assert.Equal(101, room.FullBoard.Count);
    }

    [Fact]
    public async Task ARemovedPlayer_IsOffTheBoard_AndTheirAnswersAndReturnAreRefused()
    {
        var (game, room) = await StartAsync();
        var ben = await GuestAsync(room, "Ben");
        var ana = await _games.JoinAsStudentAsync(game.Id, _student);
        await Assert.ThrowsAsync<ForbiddenException>(() => _games.RemovePlayerAsync(game.Id, ben.PlayerId, Actor.Teacher(_student)));
        await _games.RemovePlayerAsync(game.Id, ben.PlayerId, Host);
        await _games.RemovePlayerAsync(game.Id, ana.PlayerId, Host);
        await room.PlayersMovedAsync();

        await room.StepAsync(Host, LiveStep.Next);
        await room.StepAsync(Host, LiveStep.Open);
        Assert.False((await room.AnswerAsync(ben.PlayerId, 0, Json(0))).Kept);
        Assert.Null(await _games.RejoinAsGuestAsync(game.Id, ben.Token));
        await Assert.ThrowsAsync<LiveRefusedException>(() => _games.JoinAsStudentAsync(game.Id, _student));
        Assert.Empty(room.Players);
        // A removed player's nickname stays taken, so no one else can appear under it.
        await Assert.ThrowsAsync<DomainValidationException>(() => _games.JoinAsGuestAsync(game.Id, "ben"));
    }

    [Fact]
    public async Task Guests_NeedTheHostsLeave_AUniqueNickname_AndOneTheSchoolsListAllows()
    {
        var closed = await _games.CreateFromQuizAsync(Host, _quiz, new LiveOptions(AllowGuests: false));
        Assert.Equal("This game is for signed-in students. Sign in to join.",
            (await Assert.ThrowsAsync<LiveRefusedException>(() => _games.JoinAsGuestAsync(closed.Id, "Ben"))).Message);

        var (game, _) = await StartAsync();
        await _games.JoinAsGuestAsync(game.Id, "Ben");
        Assert.Equal("nickname", (await Assert.ThrowsAsync<DomainValidationException>(() => _games.JoinAsGuestAsync(game.Id, " BEN "))).Field);
        await Assert.ThrowsAsync<DomainValidationException>(() => _games.JoinAsGuestAsync(game.Id, "sh1t"));
        await Assert.ThrowsAsync<DomainValidationException>(() => _games.JoinAsGuestAsync(game.Id, null));

        var settings = _database.Get<SchoolSettingsService>();
        await settings.SaveAsync(settings.Current with { LiveBlockedWordsText = "banana\n  kiwi  " });
        await Assert.ThrowsAsync<DomainValidationException>(() => _games.JoinAsGuestAsync(game.Id, "Kiwi"));
        Assert.Equal("Shit Storm", (await _games.JoinAsGuestAsync(game.Id, "Shit Storm")).Nickname);
        Assert.Equal(["banana", "kiwi"], (await settings.LoadAsync()).LiveBlockedWords);

        // A student whose name a guest took first plays under a number.
        await _games.JoinAsGuestAsync(game.Id, "Ana Student");
        Assert.Equal("Ana Student 2", (await _games.JoinAsStudentAsync(game.Id, _student)).Nickname);
        Assert.Equal("Ana Student 2", (await _games.JoinAsStudentAsync(game.Id, _student)).Nickname);
    }

    [Fact]
    public async Task BadInput_IsRefusedWithAReason_AndChangesNothing()
    {
        var (game, room) = await StartAsync();
        var ben = await GuestAsync(room, "Ben");
        await Assert.ThrowsAsync<ForbiddenException>(() => room.StepAsync(Actor.Teacher(_student), LiveStep.Next));
        await room.StepAsync(Host, LiveStep.Next);
        Assert.Equal("This question is not open for answers.", (await room.AnswerAsync(ben.PlayerId, 0, Json(0))).Refusal);
        await room.StepAsync(Host, LiveStep.Open);

        Assert.False((await room.AnswerAsync(ben.PlayerId, 0, Json(new string('x', 2000)))).Kept);
        Assert.False((await room.AnswerAsync(ben.PlayerId, 3, Json(0))).Kept);
        Assert.False((await room.AnswerAsync(99_999, 0, Json(0))).Kept);
        Assert.Empty(await _games.ResponsesAsync(game.Id, 0));
        // An answer of the wrong shape is an answer, and wrong.
        Assert.True((await room.AnswerAsync(ben.PlayerId, 0, Json(new { a = 1 }))).Kept);

        Assert.Null(await _games.FindAsync("12345"));
        Assert.Null(await _games.FindAsync("abcdef"));
        Assert.Null(await _games.FindAsync(null));
        Assert.Null(await _rooms.RoomAsync(987_654));
        await Assert.ThrowsAsync<NotFoundException>(() => _games.JoinAsGuestAsync(987_654, "Ben"));
        await Assert.ThrowsAsync<NotFoundException>(() => _games.CreateFromQuizAsync(Host, 987_654, new LiveOptions()));
        Assert.Equal("seconds", (await Assert.ThrowsAsync<DomainValidationException>(() => _games.CreateFromQuizAsync(Host, _quiz, new LiveOptions(Seconds: 2)))).Field);

        await using var db = _database.CreateContext();
        var essay = await db.Questions.Where(q => q.Title == "Essay").Select(q => q.Id).SingleAsync();
        Assert.Equal("questions", (await Assert.ThrowsAsync<DomainValidationException>(() =>
            _games.CreateFromQuestionsAsync(Host, "Essays", [essay, 987_654], new LiveOptions()))).Field);
    }

    [Fact]
    public async Task AGameFromABankSelection_KeepsTheOrderGiven_AndAHostSeesOnlyTheirGames()
    {
        await using var db = _database.CreateContext();
        var ids = await db.Questions.Where(q => q.Title == "River" || q.Title == "Earth").OrderByDescending(q => q.Id).Select(q => q.Id).ToListAsync();
        var game = await _games.CreateFromQuestionsAsync(Host, "  Two questions ", ids, new LiveOptions(Seconds: 30));

        Assert.Equal(["River", "Earth"], await QuestionTitlesAsync(game.Id));
        Assert.Equal(("Two questions", 30), (game.Title, game.Questions[0].Seconds));
        Assert.Equal([game.Id], (await _games.GamesAsync(Host)).Select(g => g.Id));
        Assert.Empty(await _games.GamesAsync(Actor.Teacher(_student)));
        Assert.Single(await _games.GamesAsync(Actor.Admin(_student)));

        await _games.DeleteAsync(game.Id, Host);
        Assert.Empty(await _games.GamesAsync(Host));
    }
}
