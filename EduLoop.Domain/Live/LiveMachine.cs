namespace EduLoop.Domain.Live;

/// <summary>What the host (or the countdown) asks of a game.</summary>
public enum LiveStep
{
    /// <summary>From the lobby, a reveal or the board: the next question, or the podium after the last.</summary>
    Next,

    /// <summary>Open the answers of the question on screen, with its countdown.</summary>
    Open,

    /// <summary>Close the answers (early, or at the end of the countdown) and reveal.</summary>
    Close,

    /// <summary>Show the board after a reveal.</summary>
    Leaderboard,

    /// <summary>End the game now, at the podium.</summary>
    Finish,

    /// <summary>The host is away: the countdown stands still.</summary>
    Pause,

    /// <summary>The host is back: the countdown goes on with the time it had.</summary>
    Resume,
}

/// <summary>A step or an answer the game's state does not allow; nothing was changed.</summary>
public sealed class LiveRefusedException(string message) : Exception(message);

/// <summary>The part of a game the steps change.</summary>
public sealed record LiveState(
    LivePhase Phase, int QuestionIndex, int QuestionCount, DateTime? OpenedAt, DateTime? ClosesAt, DateTime? PausedAt, int Version)
{
    public static LiveState Of(LiveGame game, int questionCount) =>
        new(game.Phase, game.QuestionIndex, questionCount, game.OpenedAt, game.ClosesAt, game.PausedAt, game.Version);

    public bool IsOver => Phase == LivePhase.Podium;

    /// <summary>Time left to answer at <paramref name="now"/>; zero outside an open question. A pause holds it.</summary>
    public TimeSpan Remaining(DateTime now)
    {
        if (Phase != LivePhase.Open || ClosesAt is not { } closes)
        {
            return TimeSpan.Zero;
        }

        var left = closes - (PausedAt ?? now);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}

/// <summary>
/// The rules of a live game's phases, on the state alone and a clock's reading, so they are tested
/// without a database or a wait. Each step returns the next state with <see cref="LiveState.Version"/>
/// moved on, or throws <see cref="LiveRefusedException"/>.
/// </summary>
public static class LiveMachine
{
    public static LiveState Apply(LiveState state, LiveStep step, DateTime now, TimeSpan questionTime)
    {
        if (state.IsOver)
        {
            throw new LiveRefusedException("The game is over.");
        }

        if (state.PausedAt is not null && step is not (LiveStep.Resume or LiveStep.Pause or LiveStep.Finish))
        {
            throw new LiveRefusedException("The game is paused until the host is back.");
        }

        var next = step switch
        {
            LiveStep.Next when state.Phase is LivePhase.Lobby or LivePhase.Revealed or LivePhase.Leaderboard =>
                state.QuestionIndex + 1 < state.QuestionCount
                    ? state with { Phase = LivePhase.Question, QuestionIndex = state.QuestionIndex + 1, OpenedAt = null, ClosesAt = null }
                    : state.QuestionIndex < 0
                        ? throw new LiveRefusedException("The game has no questions.")
                        : state with { Phase = LivePhase.Podium },
            LiveStep.Open when state.Phase == LivePhase.Question =>
                state with { Phase = LivePhase.Open, OpenedAt = now, ClosesAt = now + questionTime },
            // Closing early brings the close forward; the countdown's own close keeps the time it had.
            LiveStep.Close when state.Phase == LivePhase.Open =>
                state with { Phase = LivePhase.Revealed, ClosesAt = state.ClosesAt is { } c && c < now ? c : now },
            LiveStep.Leaderboard when state.Phase == LivePhase.Revealed => state with { Phase = LivePhase.Leaderboard },
            LiveStep.Finish => state with
            {
                Phase = LivePhase.Podium,
                PausedAt = null,
                ClosesAt = state.Phase == LivePhase.Open && state.ClosesAt > now ? now : state.ClosesAt,
            },
            LiveStep.Pause when state.PausedAt is null => state with { PausedAt = now },
            LiveStep.Pause => throw new LiveRefusedException("The game is paused already."),
            LiveStep.Resume when state.PausedAt is { } paused => Resumed(state, now - paused),
            LiveStep.Resume => throw new LiveRefusedException("The game is not paused."),
            _ => throw new LiveRefusedException(Refusal(step, state.Phase)),
        };
        return next with { Version = state.Version + 1 };
    }

    /// <summary>The countdown's own close is due: open, not paused, and past its time.</summary>
    public static bool CloseIsDue(LiveState state, DateTime now) =>
        state.Phase == LivePhase.Open && state.PausedAt is null && state.ClosesAt is { } closes && now >= closes;

    /// <summary>
    /// Why an answer received at <paramref name="receivedAt"/> to question <paramref name="questionIndex"/>
    /// is refused; null when it is taken.
    /// </summary>
    public static string? RefuseAnswer(LiveState state, int questionIndex, DateTime receivedAt) =>
        state.Phase != LivePhase.Open || questionIndex != state.QuestionIndex ? "This question is not open for answers."
        : state.PausedAt is not null ? "The game is paused; answer when it goes on."
        : receivedAt > state.ClosesAt ? "Time is up: the answer came after the close."
        : null;

    /// <summary>The time an answer received at <paramref name="receivedAt"/> took, from the opening of answers.</summary>
    public static TimeSpan Taken(LiveState state, DateTime receivedAt) =>
        state.OpenedAt is { } opened && receivedAt > opened ? receivedAt - opened : TimeSpan.Zero;

    private static LiveState Resumed(LiveState state, TimeSpan away) => state.Phase == LivePhase.Open
        ? state with { PausedAt = null, OpenedAt = state.OpenedAt + away, ClosesAt = state.ClosesAt + away }
        : state with { PausedAt = null };

    private static string Refusal(LiveStep step, LivePhase phase) => (step, phase) switch
    {
        (LiveStep.Open, LivePhase.Open) => "The answers are open already.",
        (LiveStep.Open, _) => "Show a question before opening its answers.",
        (LiveStep.Close, _) => "The answers are not open.",
        (LiveStep.Leaderboard, _) => "The board comes after a question's reveal.",
        (LiveStep.Next, LivePhase.Question or LivePhase.Open) => "Close this question before the next one.",
        _ => $"That step cannot be taken now ({phase}).",
    };
}
