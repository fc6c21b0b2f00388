using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EduLoop.Domain.Data;
using EduLoop.Domain.Learning;
using EduLoop.Domain.QuestionBank;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EduLoop.Domain.Live;

/// <summary>A player as the game knows them after joining; <see cref="Token"/> only for a guest, and only when the guest joins.</summary>
public sealed record LiveSeat(int GameId, int PlayerId, string Nickname, bool Guest, string? Token = null);

/// <summary>One question's figures in a game's results.</summary>
public sealed record LiveQuestionResult(int Index, int QuestionId, string Stem, QuestionType Type, int Answered, int Right, double? AverageSeconds);

/// <summary>One player's line in a game's results: points per question (streak bonus included), null where not answered.</summary>
public sealed record LivePlayerLine(int Rank, string Nickname, bool Guest, int Total, int Correct, IReadOnlyList<int?> Points);

/// <summary>A game's results, for its host.</summary>
public sealed record LiveResults(LiveGameSummary Game, IReadOnlyList<LiveQuestionResult> Questions, IReadOnlyList<LivePlayerLine> Players);

/// <summary>A game as a host's list shows it.</summary>
public sealed record LiveGameSummary(int Id, string Pin, string Title, int? QuizId, LivePhase Phase, int Questions, int Players, DateTime CreatedAt, DateTime? FinishedAt);

/// <summary>
/// A live game's stored side: setting it up from a quiz or a bank selection, joining, the host's steps
/// as conditional updates, the board and the results. What is on every screen at a given moment is
/// <see cref="LiveRooms"/>'s, which reads it from here and tells the other servers.
/// </summary>
public sealed class LiveGameService(
    IDbContextFactory<EduLoopDbContext> contextFactory, TimeProvider clock, Settings.SchoolSettingsService settings, ReviewRecorder recorder,
    ILogger<LiveGameService>? logger = null)
{
    private readonly ILogger logger = logger ?? NullLogger<LiveGameService>.Instance;

    /// <summary>A game of the quiz's questions that a room can answer in seconds, in the quiz's order; a random slot draws its questions now.</summary>
    public async Task<LiveGame> CreateFromQuizAsync(Actor host, int quizId, LiveOptions options, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var quiz = await db.Quizzes.AsNoTracking().Include(q => q.Slots.OrderBy(s => s.Position)).ThenInclude(s => s.Question)
            .AsSplitQuery().FirstOrDefaultAsync(q => q.Id == quizId, cancellationToken)
            ?? throw new NotFoundException("Not found.");
        var questions = new List<Question>();
        foreach (var slot in quiz.Slots)
        {
            if (slot.Question is { } fixedQuestion)
            {
                questions.Add(fixedQuestion);
            }
            else if (slot.DrawCategoryId is not null || slot.DrawSubCategoryId is not null)
            {
                var taken = questions.Select(q => q.Id).ToList();
                var pool = await Quizzes.DrawPool.Of(db, slot.DrawCategoryId, slot.DrawSubCategoryId, slot.DrawLevel, slot.DrawTag)
                    .Where(q => !taken.Contains(q.Id) && LivePlayableTypes.Contains(q.Type))
                    .OrderBy(_ => EF.Functions.Random()).Take(slot.DrawCount * 4).ToListAsync(cancellationToken);
                questions.AddRange(pool.Where(q => LiveRules.Playable(q.Type, q.Body)).Take(slot.DrawCount));
            }
        }

        return await CreateAsync(db, host, quiz.Title, quiz.Id, questions, options, cancellationToken);
    }

    /// <summary>
    /// The quizzes a host may start a game from: every quiz (hosting changes none), the host's own
    /// and those the host co-teaches first, then the most recently changed.
    /// </summary>
    public async Task<IReadOnlyList<Quizzes.QuizChoice>> QuizzesAsync(Actor host, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Quizzes.AsNoTracking()
            .OrderByDescending(q => q.CreatedById == host.UserId || q.CoTeachers.Any(c => c.TeacherId == host.UserId))
            .ThenByDescending(q => q.UpdatedAt).ThenByDescending(q => q.Id).Take(500)
            .Select(q => new Quizzes.QuizChoice(q.Id, q.Title, q.Slots.Count)).ToListAsync(cancellationToken);
    }

    /// <summary>A game of the chosen bank questions, in the order given.</summary>
    public async Task<LiveGame> CreateFromQuestionsAsync(Actor host, string title, IReadOnlyList<int> questionIds, LiveOptions options, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(title) || title.Trim().Length > Limits.TitleLength)
        {
            throw new DomainValidationException("title", $"Give the game a title of at most {Limits.TitleLength} characters.");
        }

        var ids = questionIds.Distinct().Take(LiveRules.MaxQuestions + 1).ToList();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var found = await db.Questions.AsNoTracking().Where(q => ids.Contains(q.Id)).ToDictionaryAsync(q => q.Id, cancellationToken);
        return await CreateAsync(db, host, title.Trim(), null, ids.Where(found.ContainsKey).Select(id => found[id]).ToList(), options, cancellationToken);
    }

    private static readonly QuestionType[] LivePlayableTypes = [QuestionType.Mcq, QuestionType.McqMulti, QuestionType.TrueFalse, QuestionType.FillBlank, QuestionType.Math];

    private async Task<LiveGame> CreateAsync(
        EduLoopDbContext db, Actor host, string title, int? quizId, IReadOnlyList<Question> questions, LiveOptions options, CancellationToken cancellationToken)
    {
        if (options.Seconds is < LiveRules.MinSeconds or > LiveRules.MaxSeconds)
        {
            throw new DomainValidationException("seconds", $"Give {LiveRules.MinSeconds} to {LiveRules.MaxSeconds} seconds per question.");
        }

        var playable = questions.Where(q => LiveRules.Playable(q.Type, q.Body)).Take(LiveRules.MaxQuestions).ToList();
        if (playable.Count == 0)
        {
            throw new DomainValidationException("questions",
                "None of these questions can be played live. A live game asks choice, true/false, short-answer and numeric questions.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        for (var tries = 0; ; tries++)
        {
            var game = new LiveGame
            {
                Pin = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture),
                Title = title,
                QuizId = quizId,
                HostId = host.UserId,
                AllowGuests = options.AllowGuests,
                StreakBonus = options.StreakBonus,
                Phase = LivePhase.Lobby,
                CreatedAt = now,
            };
            game.Questions.AddRange(playable.Select((q, i) => new LiveGameQuestion
            {
                Index = i,
                QuestionId = q.Id,
                Type = q.Type,
                Stem = q.Stem,
                Body = q.Body,
                Seconds = options.Seconds,
            }));
            db.LiveGames.Add(game);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return game;
            }
            catch (DbUpdateException) when (tries < 20)
            {
                // The PIN is taken by a game not yet over: draw another.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>The game and its questions, as stored.</summary>
    public async Task<LiveGame?> LoadAsync(int gameId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.LiveGames.AsNoTracking().Include(g => g.Questions.OrderBy(q => q.Index)).FirstOrDefaultAsync(g => g.Id == gameId, cancellationToken);
    }

    /// <summary>The game not yet over that has this PIN.</summary>
    public async Task<int?> FindAsync(string? pin, CancellationToken cancellationToken = default)
    {
        var digits = new string((pin ?? "").Where(char.IsAsciiDigit).ToArray());
        if (digits.Length != LiveRules.PinLength)
        {
            return null;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.LiveGames.Where(g => g.Pin == digits && g.FinishedAt == null).Select(g => (int?)g.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>A signed-in student joins under their name, or comes back to the seat they had.</summary>
    public async Task<LiveSeat> JoinAsStudentAsync(int gameId, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var game = await OpenGameAsync(db, gameId, cancellationToken);
        var seat = await db.LivePlayers.AsNoTracking().FirstOrDefaultAsync(p => p.GameId == gameId && p.UserId == userId, cancellationToken);
        if (seat is not null)
        {
            return seat.Removed ? throw new LiveRefusedException(RemovedRefusal) : new LiveSeat(gameId, seat.Id, seat.Nickname, false);
        }

        var name = await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Not found.");
        name = string.IsNullOrWhiteSpace(name) ? "Student" : name.Trim();
        name = name.Length > LiveRules.NicknameLength ? name[..LiveRules.NicknameLength].TrimEnd() : name;
        // Two students of one name (or a guest who took it first) are told apart by a number.
        for (var n = 1; ; n++)
        {
            var nickname = n == 1 ? name : $"{name[..Math.Min(name.Length, LiveRules.NicknameLength - 3)]} {n}";
            var player = await AddPlayerAsync(db, game, nickname, userId, null, cancellationToken);
            if (player is not null)
            {
                return new LiveSeat(gameId, player.Id, player.Nickname, false);
            }

            if (n >= 50)
            {
                throw new LiveRefusedException("This name is taken in the game.");
            }
        }
    }

    /// <summary>A guest joins under a nickname, when the host allows guests; the token returned lets the guest's browser come back to the seat.</summary>
    public async Task<LiveSeat> JoinAsGuestAsync(int gameId, string? nickname, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var game = await OpenGameAsync(db, gameId, cancellationToken);
        if (!game.AllowGuests)
        {
            throw new LiveRefusedException("This game is for signed-in students. Sign in to join.");
        }

        var blocked = settings.Current.LiveBlockedWords;
        if (LiveRules.RefuseNickname(nickname, blocked) is { } refusal)
        {
            throw new DomainValidationException("nickname", refusal);
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        var player = await AddPlayerAsync(db, game, nickname!.Trim(), null, Hash(token), cancellationToken)
            ?? throw new DomainValidationException("nickname", "Someone in this game has this nickname already. Choose another.");
        return new LiveSeat(gameId, player.Id, player.Nickname, true, token);
    }

    /// <summary>The guest's seat for the token the guest's browser kept; null when there is none (or the host removed it).</summary>
    public async Task<LiveSeat?> RejoinAsGuestAsync(int gameId, string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64)
        {
            return null;
        }

        var hash = Hash(token);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var seat = await db.LivePlayers.AsNoTracking().FirstOrDefaultAsync(p => p.TokenHash == hash && p.GameId == gameId && !p.Removed, cancellationToken);
        return seat is null ? null : new LiveSeat(gameId, seat.Id, seat.Nickname, true);
    }

    private const string RemovedRefusal = "The host has removed you from this game.";

    private static async Task<LiveGame> OpenGameAsync(EduLoopDbContext db, int gameId, CancellationToken cancellationToken)
    {
        var game = await db.LiveGames.AsNoTracking().FirstOrDefaultAsync(g => g.Id == gameId, cancellationToken) ?? throw new NotFoundException("No game has this PIN.");
        return game.FinishedAt is not null ? throw new LiveRefusedException("This game is over.") : game;
    }

    /// <summary>The new player, or null when the nickname is taken in the game.</summary>
    private async Task<LivePlayer?> AddPlayerAsync(EduLoopDbContext db, LiveGame game, string nickname, string? userId, string? tokenHash, CancellationToken cancellationToken)
    {
        var key = LiveRules.NicknameKey(nickname);
        if (await db.LivePlayers.AnyAsync(p => p.GameId == game.Id && p.NicknameKey == key, cancellationToken))
        {
            return null;
        }

        if (await db.LivePlayers.CountAsync(p => p.GameId == game.Id && !p.Removed, cancellationToken) >= LiveRules.MaxPlayers)
        {
            throw new LiveRefusedException($"This game is full ({LiveRules.MaxPlayers} players).");
        }

        var player = new LivePlayer
        {
            GameId = game.Id,
            Nickname = nickname,
            NicknameKey = key,
            UserId = userId,
            TokenHash = tokenHash,
            JoinedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.LivePlayers.Add(player);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return player;
        }
        catch (DbUpdateException)
        {
            // Someone took the nickname between the look and the write.
            db.ChangeTracker.Clear();
            return null;
        }
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>The players still in the game, in the order they joined.</summary>
    public async Task<IReadOnlyList<LivePlayer>> PlayersAsync(int gameId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.LivePlayers.AsNoTracking().Where(p => p.GameId == gameId && !p.Removed).OrderBy(p => p.Id).ToListAsync(cancellationToken);
    }

    /// <summary>The host removes a player: off the board, and their answers from now on are refused.</summary>
    public async Task RemovePlayerAsync(int gameId, int playerId, Actor host, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await HostedGameAsync(db, gameId, host, cancellationToken);
        if (await db.LivePlayers.Where(p => p.Id == playerId && p.GameId == gameId).ExecuteUpdateAsync(u => u.SetProperty(p => p.Removed, true), cancellationToken) == 0)
        {
            throw new NotFoundException("Not found.");
        }
    }

    private static async Task<LiveGame> HostedGameAsync(EduLoopDbContext db, int gameId, Actor actor, CancellationToken cancellationToken)
    {
        var game = await db.LiveGames.AsNoTracking().FirstOrDefaultAsync(g => g.Id == gameId, cancellationToken) ?? throw new NotFoundException("Not found.");
        return actor.IsAdmin || game.HostId == actor.UserId ? game : throw new ForbiddenException("Only the game's host and admins may run this game.");
    }

    /// <summary>The host's step; <see cref="LiveRefusedException"/> when the game's phase does not allow it or it moved on meanwhile.</summary>
    public async Task<LiveGame> StepAsync(int gameId, Actor host, LiveStep step, CancellationToken cancellationToken = default)
    {
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            await HostedGameAsync(db, gameId, host, cancellationToken);
        }

        return await MoveAsync(gameId, step, null, false, cancellationToken);
    }

    /// <summary>
    /// A step the server takes itself: a pause while the host is away, going on when the host is back,
    /// the close at the end of the countdown. Null when the game is not where <paramref name="version"/>
    /// says (another server took the step, or the host did).
    /// </summary>
    /// <param name="everyoneAnswered">For a close: every player has answered, so the countdown need not have ended.</param>
    public async Task<LiveGame?> ServerStepAsync(int gameId, LiveStep step, int version, bool everyoneAnswered = false, CancellationToken cancellationToken = default)
    {
        try
        {
            return await MoveAsync(gameId, step, version, everyoneAnswered, cancellationToken);
        }
        catch (LiveRefusedException)
        {
            return null;
        }
    }

    private async Task<LiveGame> MoveAsync(int gameId, LiveStep step, int? expectedVersion, bool everyoneAnswered, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var game = await db.LiveGames.AsNoTracking().Include(g => g.Questions.OrderBy(q => q.Index)).FirstOrDefaultAsync(g => g.Id == gameId, cancellationToken)
            ?? throw new NotFoundException("Not found.");
        if (expectedVersion is { } expected && game.Version != expected)
        {
            throw new LiveRefusedException(MovedOn);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var state = LiveState.Of(game, game.Questions.Count);
        if (step == LiveStep.Close && expectedVersion is not null && !everyoneAnswered && !LiveMachine.CloseIsDue(state, now))
        {
            throw new LiveRefusedException("The countdown has not ended.");
        }

        var seconds = state.Phase == LivePhase.Question ? game.Questions[state.QuestionIndex].Seconds : 0;
        var next = LiveMachine.Apply(state, step, now, TimeSpan.FromSeconds(seconds));
        DateTime? finished = next.Phase == LivePhase.Podium ? now : null;
        var changed = await db.LiveGames.Where(g => g.Id == gameId && g.Version == state.Version).ExecuteUpdateAsync(u => u
            .SetProperty(g => g.Phase, next.Phase)
            .SetProperty(g => g.QuestionIndex, next.QuestionIndex)
            .SetProperty(g => g.OpenedAt, next.OpenedAt)
            .SetProperty(g => g.ClosesAt, next.ClosesAt)
            .SetProperty(g => g.PausedAt, next.PausedAt)
            .SetProperty(g => g.FinishedAt, finished)
            .SetProperty(g => g.Version, next.Version), cancellationToken);
        if (changed == 0)
        {
            throw new LiveRefusedException(MovedOn);
        }

        (game.Phase, game.QuestionIndex, game.OpenedAt, game.ClosesAt, game.PausedAt, game.Version, game.FinishedAt) =
            (next.Phase, next.QuestionIndex, next.OpenedAt, next.ClosesAt, next.PausedAt, next.Version, finished);
        if (state.Phase == LivePhase.Open && next.Phase != LivePhase.Open)
        {
            await LearnFromAsync(game, state.QuestionIndex, cancellationToken);
        }

        return game;
    }

    private const string MovedOn = "The game has moved on meanwhile.";

    /// <summary>
    /// The closed question's answers of signed-in students go to their memory states, as graded answers
    /// timed by the game's clock. The answers are kept in the game whatever happens here.
    /// </summary>
    private async Task LearnFromAsync(LiveGame game, int questionIndex, CancellationToken cancellationToken)
    {
        var question = game.Questions[questionIndex];
        try
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var answers = await db.LiveAnswers.AsNoTracking().Where(a => a.GameId == game.Id && a.QuestionIndex == questionIndex)
                .Join(db.LivePlayers.Where(p => p.UserId != null), a => a.PlayerId, p => p.Id, (a, p) => new { p.UserId, a.Response, a.ReceivedAt, a.ElapsedMs })
                .ToListAsync(cancellationToken);
            var graded = new List<GradedAnswer>(answers.Count);
            foreach (var answer in answers)
            {
                using var response = JsonDocument.Parse(answer.Response);
                var check = AnswerChecker.Check(question.Type, question.Body, response.RootElement);
                var taken = TimeSpan.FromMilliseconds(answer.ElapsedMs);
                if (check is null || AnswerRating.Rate(check, taken, AnswerRating.DefaultTime(question.Type)) is not { } rating)
                {
                    continue;
                }

                graded.Add(new GradedAnswer(answer.UserId!, question.QuestionId, question.Type, answer.ReceivedAt, check, rating, ReviewSource.Live,
                    Response: answer.Response, TimeTakenMs: answer.ElapsedMs,
                    Chosen: AnswerChecker.Chosen(question.Type, question.Body, response.RootElement)));
            }

            if (graded.Count > 0)
            {
                await recorder.RecordAsync(graded, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "The answers to question {Index} of live game {Game} could not be added to the memory states", questionIndex + 1, game.Id);
        }
    }

    /// <summary>Every answer of the game as the board reads it.</summary>
    public async Task<IReadOnlyList<ScoredAnswer>> ScoredAnswersAsync(int gameId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.LiveAnswers.AsNoTracking().Where(a => a.GameId == gameId)
            .Select(a => new ScoredAnswer(a.PlayerId, a.QuestionIndex, a.Points, a.Correct, a.Score)).ToListAsync(cancellationToken);
    }

    /// <summary>The board after <paramref name="lastQuestion"/>.</summary>
    public async Task<IReadOnlyList<LiveStanding>> BoardAsync(LiveGame game, int lastQuestion, CancellationToken cancellationToken = default)
    {
        var players = await PlayersAsync(game.Id, cancellationToken);
        var answers = await ScoredAnswersAsync(game.Id, cancellationToken);
        return LiveScoring.Board(players.Select(p => (p.Id, p.Nickname)), (IReadOnlyCollection<ScoredAnswer>)answers, lastQuestion, game.StreakBonus);
    }

    /// <summary>The players who have answered one question.</summary>
    public async Task<IReadOnlyList<int>> AnsweredAsync(int gameId, int questionIndex, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.LiveAnswers.Where(a => a.GameId == gameId && a.QuestionIndex == questionIndex).Select(a => a.PlayerId).ToListAsync(cancellationToken);
    }

    /// <summary>The responses to one question, for its distribution.</summary>
    public async Task<IReadOnlyList<string>> ResponsesAsync(int gameId, int questionIndex, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.LiveAnswers.AsNoTracking().Where(a => a.GameId == gameId && a.QuestionIndex == questionIndex)
            .Join(db.LivePlayers.Where(p => !p.Removed), a => a.PlayerId, p => p.Id, (a, _) => a.Response).ToListAsync(cancellationToken);
    }

    /// <summary>The game's results for its host (or an admin): every player's points per question and each question's figures.</summary>
    public async Task<LiveResults> ResultsAsync(int gameId, Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var game = await HostedGameAsync(db, gameId, actor, cancellationToken);
        var questions = await db.LiveGameQuestions.AsNoTracking().Where(q => q.GameId == gameId).OrderBy(q => q.Index).ToListAsync(cancellationToken);
        var players = await db.LivePlayers.AsNoTracking().Where(p => p.GameId == gameId && !p.Removed).ToListAsync(cancellationToken);
        var answers = await db.LiveAnswers.AsNoTracking().Where(a => a.GameId == gameId)
            .Select(a => new { a.PlayerId, a.QuestionIndex, a.Points, a.Correct, a.Score, a.ElapsedMs }).ToListAsync(cancellationToken);
        var seated = players.Select(p => p.Id).ToHashSet();
        var counted = answers.Where(a => seated.Contains(a.PlayerId)).ToList();
        var scored = counted.Select(a => new ScoredAnswer(a.PlayerId, a.QuestionIndex, a.Points, a.Correct, a.Score)).ToList();
        var withBonus = LiveScoring.WithBonus(scored, questions.Count - 1, game.StreakBonus);
        var board = LiveScoring.Board(players.Select(p => (p.Id, p.Nickname)), scored, questions.Count - 1, game.StreakBonus);
        var guests = players.ToDictionary(p => p.Id, p => p.UserId is null);
        var lines = board.Select(s => new LivePlayerLine(s.Rank, s.Nickname, guests[s.PlayerId], s.Total, s.Correct,
            questions.Select(q => withBonus.TryGetValue((s.PlayerId, q.Index), out var points) ? points : (int?)null).ToList())).ToList();
        var figures = questions.Select(q =>
        {
            var of = counted.Where(a => a.QuestionIndex == q.Index).ToList();
            return new LiveQuestionResult(q.Index, q.QuestionId, q.Stem, q.Type, of.Count, of.Count(a => a.Correct),
                of.Count == 0 ? null : of.Average(a => a.ElapsedMs) / 1000d);
        }).ToList();
        var summary = new LiveGameSummary(game.Id, game.Pin, game.Title, game.QuizId, game.Phase, questions.Count, players.Count, game.CreatedAt, game.FinishedAt);
        return new LiveResults(summary, figures, lines);
    }

    /// <summary>The games a host has run (every game, for an admin), newest first.</summary>
    public async Task<IReadOnlyList<LiveGameSummary>> GamesAsync(Actor actor, int? quizId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var games = db.LiveGames.AsNoTracking().Where(g => actor.IsAdmin || g.HostId == actor.UserId);
        if (quizId is { } quiz)
        {
            games = games.Where(g => g.QuizId == quiz);
        }

        return await games.OrderByDescending(g => g.CreatedAt).ThenByDescending(g => g.Id).Take(200)
            .Select(g => new LiveGameSummary(g.Id, g.Pin, g.Title, g.QuizId, g.Phase, g.Questions.Count,
                db.LivePlayers.Count(p => p.GameId == g.Id && !p.Removed), g.CreatedAt, g.FinishedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Deletes a game with its players and answers; the memory states it fed keep what they learned.</summary>
    public async Task DeleteAsync(int gameId, Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await HostedGameAsync(db, gameId, actor, cancellationToken);
        await db.LiveGames.Where(g => g.Id == gameId).ExecuteDeleteAsync(cancellationToken);
    }
}
