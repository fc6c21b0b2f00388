namespace EduLoop.Domain.Live;

/// <summary>One player's line on the board.</summary>
/// <param name="Rank">Competition ranking: equal totals share a place, and the next place is skipped (1, 2, 2, 4).</param>
/// <param name="Streak">Right answers in a row up to the last question asked.</param>
public sealed record LiveStanding(int PlayerId, string Nickname, int Total, int Rank, int Streak, int Correct);

/// <summary>An answer as the board reads it.</summary>
public readonly record struct ScoredAnswer(int PlayerId, int QuestionIndex, int Points, bool Correct, double Score = 0);

/// <summary>
/// How a live game scores (decision 15). A right answer is worth up to 1,000 points, falling
/// linearly with the time taken to half of that at the last moment: <c>1000 × mark × (1 − t / T / 2)</c>,
/// rounded to the nearest point, where <c>t</c> is the time from the opening of answers to the
/// server's receipt (pauses left out) and <c>T</c> the question's time. The mark is the question's own
/// grading, partial credit included, so half right earns half. With the streak bonus on, each fully
/// right answer after the first of a run adds 100 points per answer in the run so far, at most 500:
/// the second right in a row +100, the third +200, the sixth and after +500. A wrong or missing
/// answer ends the run.
/// </summary>
public static class LiveScoring
{
    public const int MaxPoints = 1000;
    public const int StreakStep = 100;
    public const int StreakCap = 500;

    public static int Points(decimal mark, TimeSpan taken, TimeSpan allowed)
    {
        if (mark <= 0 || allowed <= TimeSpan.Zero)
        {
            return 0;
        }

        var share = Math.Clamp(taken / allowed, 0d, 1d);
        return (int)Math.Round((double)Math.Min(mark, 1m) * MaxPoints * (1 - (share / 2)), MidpointRounding.AwayFromZero);
    }

    /// <summary>The bonus of a right answer that makes a run of <paramref name="run"/> right answers in a row.</summary>
    public static int StreakBonus(int run) => run <= 1 ? 0 : Math.Min((run - 1) * StreakStep, StreakCap);

    /// <summary>
    /// Each answer's points with its streak bonus, for questions 0 to <paramref name="lastQuestion"/>;
    /// the answers may come in any order.
    /// </summary>
    public static IReadOnlyDictionary<(int Player, int Question), int> WithBonus(IEnumerable<ScoredAnswer> answers, int lastQuestion, bool streakBonus)
    {
        var result = new Dictionary<(int, int), int>();
        foreach (var player in answers.Where(a => a.QuestionIndex <= lastQuestion).GroupBy(a => a.PlayerId))
        {
            var byQuestion = player.ToDictionary(a => a.QuestionIndex);
            var run = 0;
            for (var q = 0; q <= lastQuestion; q++)
            {
                if (!byQuestion.TryGetValue(q, out var answer))
                {
                    run = 0;
                    continue;
                }

                run = answer.Correct ? run + 1 : 0;
                result[(player.Key, q)] = answer.Points + (streakBonus && answer.Correct ? StreakBonus(run) : 0);
            }
        }

        return result;
    }

    /// <summary>The board after question <paramref name="lastQuestion"/>: every player still in, best first, ties by name.</summary>
    public static IReadOnlyList<LiveStanding> Board(
        IEnumerable<(int Id, string Nickname)> players, IReadOnlyCollection<ScoredAnswer> answers, int lastQuestion, bool streakBonus)
    {
        var points = WithBonus(answers, lastQuestion, streakBonus);
        var totals = new Dictionary<int, int>();
        foreach (var ((player, _), value) in points)
        {
            totals[player] = totals.GetValueOrDefault(player) + value;
        }

        var rights = answers.Where(a => a.Correct && a.QuestionIndex <= lastQuestion).GroupBy(a => a.PlayerId)
            .ToDictionary(g => g.Key, g => g.Select(a => a.QuestionIndex).ToHashSet());
        var ordered = players
            .Select(p => (p.Id, p.Nickname, Total: totals.GetValueOrDefault(p.Id), Right: rights.GetValueOrDefault(p.Id) ?? []))
            .OrderByDescending(p => p.Total).ThenBy(p => p.Nickname, StringComparer.CurrentCultureIgnoreCase).ThenBy(p => p.Id)
            .ToList();
        var board = new List<LiveStanding>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var p = ordered[i];
            var rank = i > 0 && ordered[i - 1].Total == p.Total ? board[i - 1].Rank : i + 1;
            var streak = 0;
            for (var q = lastQuestion; q >= 0 && p.Right.Contains(q); q--)
            {
                streak++;
            }

            board.Add(new LiveStanding(p.Id, p.Nickname, p.Total, rank, streak, p.Right.Count));
        }

        return board;
    }
}
