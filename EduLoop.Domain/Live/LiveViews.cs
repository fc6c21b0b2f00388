using EduLoop.Domain.QuestionBank;

namespace EduLoop.Domain.Live;

/// <summary>A question as every screen shows it: never its key.</summary>
/// <param name="Options">The choices of a choice question, in the author's order; "True" and "False"; empty for typed answers.</param>
public sealed record LiveQuestionView(int Index, int Count, QuestionType Type, string Stem, IReadOnlyList<string> Options, int Seconds);

/// <summary>One bar of the answer distribution.</summary>
public sealed record LiveBar(string Label, int Count, bool Right);

/// <summary>What the reveal shows: the right answer and how the room answered.</summary>
/// <param name="RightOptions">The indexes of the right options of a choice or true/false question.</param>
/// <param name="RightAnswers">The accepted answers of a typed question.</param>
public sealed record LiveReveal(IReadOnlyList<int> RightOptions, IReadOnlyList<string> RightAnswers, IReadOnlyList<LiveBar> Bars, int Answered);

/// <summary>
/// What is on every screen of a game at one moment, the same for all players: sent to each of them at
/// every change. The key is in it only from the reveal on.
/// </summary>
/// <param name="RemainingMs">Time left to answer when the view was made, by the server's clock; a screen counts down from it, not from its own clock.</param>
/// <param name="Answered">Answers to the open question so far.</param>
/// <param name="Board">The top of the board, from the leaderboard on.</param>
public sealed record LiveView(
    int GameId, string Pin, string Title, LivePhase Phase, bool Paused, int Version, LiveQuestionView? Question, long RemainingMs,
    int Players, int Answered, LiveReveal? Reveal, IReadOnlyList<LiveStanding>? Board, bool AllowGuests)
{
    public const int BoardTop = 10;
}

/// <summary>One player's own result after a reveal.</summary>
/// <param name="Points">This question's points, streak bonus included.</param>
public sealed record LivePlayerResult(bool Answered, bool Correct, double Score, int Points, int Total, int Rank, int Streak, int Players);

/// <summary>The answer to a player: kept (with the time it took, by the server's clock) or refused with why.</summary>
public sealed record LiveAck(bool Kept, string? Refusal, int ElapsedMs = 0);
