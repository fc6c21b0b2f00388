using EduLoop.Domain.QuestionBank;

namespace EduLoop.Domain.Learning;

/// <summary>
/// Turns a marked answer and the time the student took into the <see cref="Rating"/> that the
/// <see cref="ReviewScheduler"/> learns from, so students never grade themselves: wrong is Again,
/// partly right or right but slow is Hard, right is Good, right and fast is Easy. Slow and fast are
/// measured against the student's own typical time for the question type
/// (docs/decisions/0009-learning-ratings-and-same-day-reviews.md says why).
/// </summary>
public static class AnswerRating
{
    /// <summary>A right answer that took more than this many times the typical time is slow (Hard).</summary>
    public const double SlowFactor = 2.0;

    /// <summary>A right answer that took less than this share of the typical time is fast (Easy).</summary>
    public const double FastFactor = 0.5;

    /// <summary>The student's own typical time needs at least this many earlier right answers of the type.</summary>
    public const int MinimumHistory = 5;

    /// <summary>The typical time is the median of at most this many of the student's latest right answers of the type.</summary>
    public const int HistoryWindow = 20;

    /// <summary>
    /// The rating of an answer; null when the answer is not marked (an essay before its grade, a
    /// description). <paramref name="timeTaken"/> null (not known, e.g. an answer resumed after a
    /// reconnect) rates a right answer Good.
    /// </summary>
    public static Rating? Rate(AnswerCheck? check, TimeSpan? timeTaken, TimeSpan typicalTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(typicalTime, TimeSpan.Zero);
        if (check is null)
        {
            return null;
        }

        if (!check.Correct)
        {
            return check.Score > 0m ? Rating.Hard : Rating.Again;
        }

        if (timeTaken is not { } taken)
        {
            return Rating.Good;
        }

        if (taken > typicalTime * SlowFactor)
        {
            return Rating.Hard;
        }

        return taken < typicalTime * FastFactor ? Rating.Easy : Rating.Good;
    }

    /// <summary>
    /// The time a right answer to a question of <paramref name="type"/> typically takes this student:
    /// the median of their latest <see cref="HistoryWindow"/> right answers of that type
    /// (<paramref name="rightAnswerTimes"/>, oldest first), or <see cref="DefaultTime"/> while they have
    /// fewer than <see cref="MinimumHistory"/>.
    /// </summary>
    public static TimeSpan TypicalTime(QuestionType type, IEnumerable<TimeSpan> rightAnswerTimes)
    {
        var recent = rightAnswerTimes.Where(t => t > TimeSpan.Zero).TakeLast(HistoryWindow).Order().ToList();
        if (recent.Count < MinimumHistory)
        {
            return DefaultTime(type);
        }

        var middle = recent.Count / 2;
        return recent.Count % 2 == 1 ? recent[middle] : (recent[middle - 1] + recent[middle]) / 2;
    }

    /// <summary>
    /// The typical time before a student has a history of the type: roughly reading the question and
    /// answering it for a pupil who knows the answer.
    /// </summary>
    public static TimeSpan DefaultTime(QuestionType type) => TimeSpan.FromSeconds(type switch
    {
        QuestionType.TrueFalse => 10,
        QuestionType.Mcq => 20,
        QuestionType.McqMulti => 30,
        QuestionType.FillBlank => 30,
        QuestionType.Math => 60,
        QuestionType.Matching => 60,
        QuestionType.Writing => 600,
        _ => 30,
    });
}
