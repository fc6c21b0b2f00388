using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using EduLoop.Domain.Caching;
using EduLoop.Domain.QuestionBank;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EduLoop.Domain.Live;

/// <summary>
/// The games being played on this server, each a <see cref="LiveRoom"/> that keeps what is on every
/// screen and tells the screens when it changes. A room is made from the stored game when someone
/// first opens it, so a restarted server takes its games up where they were. With several servers, a
/// room tells the others (<see cref="IOtherServers"/>) of each change it makes, and they read the game
/// again: players on any server see the same question and board.
/// </summary>
public sealed class LiveRooms : IAsyncDisposable
{
    internal const string Topic = "live";

    private readonly ConcurrentDictionary<int, Lazy<Task<LiveRoom?>>> rooms = new();
    private readonly LiveGameService games;
    private readonly LiveAnswerWriter writer;
    private readonly TimeProvider clock;
    private readonly IOtherServers others;
    private readonly ILogger logger;

    public LiveRooms(LiveGameService games, LiveAnswerWriter writer, TimeProvider clock, IOtherServers? others = null, ILogger<LiveRooms>? logger = null)
    {
        this.games = games;
        this.writer = writer;
        this.clock = clock;
        this.others = others ?? new NoOtherServers();
        this.logger = logger ?? NullLogger<LiveRooms>.Instance;
        this.others.Listen(Topic, Heard);
    }

    /// <summary>The room of the game; null when there is no such game.</summary>
    public async Task<LiveRoom?> RoomAsync(int gameId)
    {
        var lazy = rooms.GetOrAdd(gameId, id => new Lazy<Task<LiveRoom?>>(() => OpenAsync(id)));
        try
        {
            var room = await lazy.Value;
            if (room is null)
            {
                rooms.TryRemove(new KeyValuePair<int, Lazy<Task<LiveRoom?>>>(gameId, lazy));
            }

            return room;
        }
        catch
        {
            rooms.TryRemove(new KeyValuePair<int, Lazy<Task<LiveRoom?>>>(gameId, lazy));
            throw;
        }
    }

    private async Task<LiveRoom?> OpenAsync(int gameId)
    {
        var game = await games.LoadAsync(gameId);
        if (game is null)
        {
            return null;
        }

        var room = new LiveRoom(game, games, writer, clock, others, logger);
        await room.StartAsync();
        return room;
    }

    /// <summary>Another server changed a game (<c>s:id</c>), its players (<c>p:id</c>) or took an answer (<c>a:id:question:player</c>).</summary>
    private void Heard(string message)
    {
        var parts = message.Split(':');
        if (parts.Length < 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || !rooms.TryGetValue(id, out var lazy) || !lazy.IsValueCreated)
        {
            return;
        }

        _ = HeardAsync(lazy.Value, parts);
    }

    private async Task HeardAsync(Task<LiveRoom?> opening, string[] parts)
    {
        try
        {
            if (await opening is not { } room)
            {
                return;
            }

            switch (parts[0])
            {
                case "s":
                    await room.ReloadAsync();
                    break;
                case "p":
                    await room.ReloadPlayersAsync();
                    break;
                case "a" when parts.Length == 4 && int.TryParse(parts[2], CultureInfo.InvariantCulture, out var question)
                    && int.TryParse(parts[3], CultureInfo.InvariantCulture, out var player):
                    await room.HeardAnswerAsync(question, player);
                    break;
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "A live game's change told by another server could not be read; the room reads the game again at its next change");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in rooms.Values.Where(l => l.IsValueCreated))
        {
            try
            {
                if (await lazy.Value is { } room)
                {
                    room.Dispose();
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A room that never opened has nothing to stop.
            }
        }
    }
}

/// <summary>
/// One game on this server: its current <see cref="View"/>, the players, who has answered the open
/// question, and each player's result after a reveal. Changes come from the host's steps, the
/// countdown, answers and joins here, or from another server; each ends in <see cref="Changed"/>.
/// </summary>
public sealed class LiveRoom : IDisposable
{
    /// <summary>How long the host may be gone (a reload, a dropped connection) before the game pauses.</summary>
    public static readonly TimeSpan HostGrace = TimeSpan.FromSeconds(3);

    private readonly LiveGameService games;
    private readonly LiveAnswerWriter writer;
    private readonly TimeProvider clock;
    private readonly IOtherServers others;
    private readonly ILogger logger;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Lock answeredLock = new();
    private readonly HashSet<int> answered = [];
    private LiveGame game;
    private Dictionary<int, LivePlayer> players = [];
    private Dictionary<int, LivePlayerResult> results = [];
    private LiveReveal? reveal;
    private IReadOnlyList<LiveStanding>? board;
    private bool applied;
    private ITimer? closeTimer, pauseTimer;
    private int hosts;

    internal LiveRoom(LiveGame game, LiveGameService games, LiveAnswerWriter writer, TimeProvider clock, IOtherServers others, ILogger logger)
    {
        this.game = game;
        this.games = games;
        this.writer = writer;
        this.clock = clock;
        this.others = others;
        this.logger = logger;
        View = MakeView();
    }

    public int GameId => game.Id;

    public string HostId => game.HostId;

    /// <summary>What every screen shows, as of the last change.</summary>
    public LiveView View { get; private set; }

    /// <summary><see cref="View"/> with the time left counted to this moment: for a screen that opens mid-question.</summary>
    public LiveView Now()
    {
        var current = game;
        return View with { RemainingMs = (long)LiveState.Of(current, current.Questions.Count).Remaining(clock.GetUtcNow().UtcDateTime).TotalMilliseconds };
    }

    /// <summary>Raised after every change of <see cref="View"/>; handlers must not block (a screen sends, it does not wait).</summary>
    public event Action<LiveView>? Changed;

    /// <summary>Raised as answers come in, with the count for the open question: for the host's screen.</summary>
    public event Action<int>? AnswersCounted;

    /// <summary>Raised when players join or are removed: for the host's screen.</summary>
    public event Action<IReadOnlyList<LivePlayer>>? PlayersChanged;

    /// <summary>The players in the game, in the order they joined.</summary>
    public IReadOnlyList<LivePlayer> Players => players.Values.OrderBy(p => p.Id).ToList();

    /// <summary>Whether the player is in the game (not removed).</summary>
    public bool Seated(int playerId) => players.ContainsKey(playerId);

    /// <summary>The player's result for the question revealed last; null before the first reveal.</summary>
    public LivePlayerResult? ResultOf(int playerId) => results.GetValueOrDefault(playerId);

    /// <summary>Whether the player has answered the open question.</summary>
    public bool HasAnswered(int playerId)
    {
        lock (answeredLock)
        {
            return answered.Contains(playerId);
        }
    }

    internal async Task StartAsync()
    {
        await ReloadPlayersAsync();
        if (game.Phase == LivePhase.Open)
        {
            // A room opened mid-question (a restart, another server) counts the answers already in.
            var already = await games.AnsweredAsync(game.Id, game.QuestionIndex);
            lock (answeredLock)
            {
                answered.UnionWith(already);
            }
        }

        await ApplyAsync(game, tell: false);
    }

    /// <summary>The host's step, taken and shown everywhere.</summary>
    public async Task<LiveView> StepAsync(Actor host, LiveStep step)
    {
        var moved = await games.StepAsync(game.Id, host, step);
        await ApplyAsync(moved, tell: true);
        return View;
    }

    /// <summary>A player's answer to question <paramref name="questionIndex"/>, received now by this server's clock.</summary>
    public async Task<LiveAck> AnswerAsync(int playerId, int questionIndex, JsonElement response)
    {
        var receivedAt = clock.GetUtcNow().UtcDateTime;
        var current = game;
        var state = LiveState.Of(current, current.Questions.Count);
        if (LiveMachine.RefuseAnswer(state, questionIndex, receivedAt) is { } refusal)
        {
            return new LiveAck(false, refusal);
        }

        if (!players.ContainsKey(playerId))
        {
            await ReloadPlayersAsync();
            if (!players.ContainsKey(playerId))
            {
                return new LiveAck(false, "You are not a player of this game.");
            }
        }

        var text = response.GetRawText();
        if (text.Length > LiveRules.ResponseLength)
        {
            return new LiveAck(false, $"An answer has at most {LiveRules.ResponseLength} characters.");
        }

        var question = current.Questions[questionIndex];
        var check = AnswerChecker.Check(question.Type, question.Body, response) ?? new AnswerCheck(false, 0m);
        var taken = LiveMachine.Taken(state, receivedAt);
        var elapsed = (int)Math.Min(taken.TotalMilliseconds, int.MaxValue);
        var points = LiveScoring.Points(check.Score, taken, TimeSpan.FromSeconds(question.Seconds));
        var outcome = await writer.SaveAsync(new LiveAnswerSave(
            current.Id, playerId, questionIndex, text, receivedAt, elapsed, (double)check.Score, check.Correct, points));
        switch (outcome)
        {
            case LiveAnswerOutcome.Kept:
                others.Tell(LiveRooms.Topic, FormattableString.Invariant($"a:{current.Id}:{questionIndex}:{playerId}"));
                await CountAnswerAsync(questionIndex, playerId, state.Version);
                return new LiveAck(true, null, elapsed);
            case LiveAnswerOutcome.AnsweredAlready:
                return new LiveAck(true, "You have answered this question; your first answer counts.");
            default:
                // The stored game refused it: closed meanwhile (perhaps by another server), paused, or the player removed.
                return new LiveAck(false, "This question is closed.");
        }
    }

    internal Task HeardAnswerAsync(int questionIndex, int playerId) => CountAnswerAsync(questionIndex, playerId, game.Version);

    private async Task CountAnswerAsync(int questionIndex, int playerId, int version)
    {
        int count;
        lock (answeredLock)
        {
            if (questionIndex != game.QuestionIndex || !answered.Add(playerId))
            {
                return;
            }

            count = answered.Count;
        }

        AnswersCounted?.Invoke(count);
        // Everyone in has answered: no one waits for the countdown.
        if (count >= players.Count && game.Phase == LivePhase.Open && game.Version == version)
        {
            await ServerStepAsync(LiveStep.Close, version, everyoneAnswered: true);
        }
    }

    /// <summary>Someone joined (here or on another server) or was removed: the list is read again.</summary>
    public async Task ReloadPlayersAsync()
    {
        var list = await games.PlayersAsync(game.Id);
        players = list.ToDictionary(p => p.Id);
        PlayersChanged?.Invoke(list);
    }

    /// <summary>Tells this room and the other servers' that a player joined or was removed.</summary>
    public async Task PlayersMovedAsync()
    {
        await ReloadPlayersAsync();
        others.Tell(LiveRooms.Topic, FormattableString.Invariant($"p:{game.Id}"));
    }

    /// <summary>Another server changed the game: read it again.</summary>
    internal async Task ReloadAsync()
    {
        if (await games.LoadAsync(game.Id) is { } stored)
        {
            await ApplyAsync(stored, tell: false);
        }
    }

    /// <summary>The host's screen is open on this server.</summary>
    public async Task HostArrivedAsync()
    {
        Interlocked.Increment(ref hosts);
        pauseTimer?.Dispose();
        if (game.PausedAt is not null)
        {
            await ServerStepAsync(LiveStep.Resume, game.Version);
        }
    }

    /// <summary>The host's screen closed or lost its connection: the game pauses if the host is not back within <see cref="HostGrace"/>.</summary>
    public void HostLeft()
    {
        if (Interlocked.Decrement(ref hosts) > 0 || game.FinishedAt is not null)
        {
            return;
        }

        pauseTimer?.Dispose();
        pauseTimer = clock.CreateTimer(_ =>
        {
            if (Volatile.Read(ref hosts) == 0 && game.PausedAt is null && game.FinishedAt is null)
            {
                _ = ServerStepAsync(LiveStep.Pause, game.Version);
            }
        }, null, HostGrace, Timeout.InfiniteTimeSpan);
    }

    private async Task ServerStepAsync(LiveStep step, int version, bool everyoneAnswered = false)
    {
        try
        {
            if (await games.ServerStepAsync(game.Id, step, version, everyoneAnswered) is { } moved)
            {
                await ApplyAsync(moved, tell: true);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Live game {Game}: the server's step {Step} failed", game.Id, step);
        }
    }

    /// <summary>Takes the stored game as the room's state (never an older one), works out the reveal and board when due, and tells the screens.</summary>
    private async Task ApplyAsync(LiveGame stored, bool tell)
    {
        await gate.WaitAsync();
        LiveView view;
        try
        {
            if (stored.Version < game.Version || (stored.Version == game.Version && applied))
            {
                return;
            }

            var questionMoved = stored.QuestionIndex != game.QuestionIndex && applied;
            if (!ReferenceEquals(stored, game))
            {
                // The questions are read once, when the room opens; a change of phase does not bring them again.
                stored.Questions.Clear();
                stored.Questions.AddRange(game.Questions);
                game = stored;
            }

            applied = true;
            if (questionMoved)
            {
                lock (answeredLock)
                {
                    answered.Clear();
                }
            }

            if (NeedsReveal())
            {
                await RevealAsync();
            }

            ScheduleClose();
            // A host whose screen is open here never leaves the game paused (another server may have paused it a moment before the host came back here).
            if (game.PausedAt is not null && Volatile.Read(ref hosts) > 0)
            {
                _ = ServerStepAsync(LiveStep.Resume, game.Version);
            }

            View = view = MakeView();
        }
        finally
        {
            gate.Release();
        }

        if (tell)
        {
            others.Tell(LiveRooms.Topic, FormattableString.Invariant($"s:{game.Id}"));
        }

        // Two changes applied back to back may reach this point in either order: only the newest is sent (the other apply sends it).
        if (view.Version == View.Version)
        {
            Changed?.Invoke(view);
        }
    }

    private int revealedQuestion = -1;

    private bool NeedsReveal() =>
        game.Phase is LivePhase.Revealed or LivePhase.Leaderboard or LivePhase.Podium && game.QuestionIndex >= 0 && revealedQuestion != game.QuestionIndex;

    /// <summary>The distribution, the board and each player's result, read once per question when its answers close.</summary>
    private async Task RevealAsync()
    {
        var question = game.Questions[game.QuestionIndex];
        var responses = await games.ResponsesAsync(game.Id, game.QuestionIndex);
        var answers = await games.ScoredAnswersAsync(game.Id);
        var list = players.Values.OrderBy(p => p.Id).ToList();
        var standings = LiveScoring.Board(list.Select(p => (p.Id, p.Nickname)), (IReadOnlyCollection<ScoredAnswer>)answers, game.QuestionIndex, game.StreakBonus);
        var withBonus = LiveScoring.WithBonus(answers, game.QuestionIndex, game.StreakBonus);
        var mine = answers.Where(a => a.QuestionIndex == game.QuestionIndex).ToDictionary(a => a.PlayerId);
        results = standings.ToDictionary(s => s.PlayerId, s =>
        {
            var answeredIt = mine.TryGetValue(s.PlayerId, out var answer);
            return new LivePlayerResult(answeredIt, answeredIt && answer.Correct, answeredIt ? answer.Score : 0,
                withBonus.GetValueOrDefault((s.PlayerId, game.QuestionIndex)), s.Total, s.Rank, s.Streak, standings.Count);
        });
        board = standings;
        reveal = LiveDistribution.Of(question, responses);
        revealedQuestion = game.QuestionIndex;
    }

    private void ScheduleClose()
    {
        closeTimer?.Dispose();
        closeTimer = null;
        if (game.Phase != LivePhase.Open || game.PausedAt is not null || game.ClosesAt is not { } closes)
        {
            return;
        }

        var version = game.Version;
        var due = closes - clock.GetUtcNow().UtcDateTime;
        closeTimer = clock.CreateTimer(_ => _ = ServerStepAsync(LiveStep.Close, version), null, due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private LiveView MakeView()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var state = LiveState.Of(game, game.Questions.Count);
        LiveQuestionView? question = null;
        if (game.QuestionIndex >= 0 && game.Phase != LivePhase.Lobby)
        {
            var q = game.Questions[game.QuestionIndex];
            question = new LiveQuestionView(q.Index, game.Questions.Count, q.Type, q.Stem, LiveDistribution.Options(q), q.Seconds);
        }

        var revealed = game.Phase is LivePhase.Revealed or LivePhase.Leaderboard or LivePhase.Podium;
        int count;
        lock (answeredLock)
        {
            count = answered.Count;
        }

        return new LiveView(game.Id, game.Pin, game.Title, game.Phase, game.PausedAt is not null, game.Version, question,
            (long)state.Remaining(now).TotalMilliseconds, players.Count, count,
            revealed ? reveal : null,
            game.Phase is LivePhase.Leaderboard or LivePhase.Podium ? board?.Take(LiveView.BoardTop).ToList() : null,
            game.AllowGuests);
    }

    /// <summary>The whole board after the question revealed last (the podium's full list).</summary>
    public IReadOnlyList<LiveStanding> FullBoard => board ?? [];

    public void Dispose()
    {
        closeTimer?.Dispose();
        pauseTimer?.Dispose();
        gate.Dispose();
    }
}
