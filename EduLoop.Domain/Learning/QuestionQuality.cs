using EduLoop.Domain.QuestionBank;

namespace EduLoop.Domain.Learning;

/// <summary>What may be wrong with a question, as its answers show it.</summary>
[Flags]
public enum QualityFlags
{
    None = 0,

    /// <summary>Students who do well on the rest of a quiz do worse on this question.</summary>
    NegativeDiscrimination = 1,

    /// <summary>The question hardly tells stronger students from weaker ones.</summary>
    LowDiscrimination = 2,

    /// <summary>Almost everyone gets it right.</summary>
    TooEasy = 4,

    /// <summary>Almost everyone gets it wrong.</summary>
    TooHard = 8,

    /// <summary>A wrong option that almost nobody picks.</summary>
    UnusedDistractor = 16,

    /// <summary>Often left blank in quizzes.</summary>
    OftenBlank = 32,
}

/// <summary>
/// The running sums behind a question's quality flags, one row per question, moved on by every graded
/// answer in the same commit as the student's memory state (<see cref="ReviewRecorder"/>): no answer
/// ever makes the flags be computed again from the answers themselves. The sums describe the question
/// as it read when they were counted (<see cref="ContentHash"/>): once its text, options or type change,
/// they start again, and a dismissed flag comes back if the new answers show it too.
/// </summary>
public sealed class QuestionQuality
{
    public int QuestionId { get; set; }

    /// <summary>The <see cref="Question.ContentHash"/> the sums were counted under.</summary>
    public long ContentHash { get; set; }

    /// <summary>Marked answers, in practice and quizzes.</summary>
    public int Responses { get; set; }

    /// <summary>The sum of their marks, each a fraction 0–1.</summary>
    public double ScoreSum { get; set; }

    /// <summary>Times the question was in a handed-in quiz attempt, answered or not.</summary>
    public int QuizShown { get; set; }

    /// <summary>Of those, times it was left blank.</summary>
    public int QuizBlank { get; set; }

    /// <summary>
    /// Quiz answers counted with the rest of their attempt (the mark on the attempt's other questions, as
    /// a fraction): the sums of a Pearson correlation, which is Moodle's discrimination index.
    /// </summary>
    public int Pairs { get; set; }

    public double SumX { get; set; }
    public double SumY { get; set; }
    public double SumXX { get; set; }
    public double SumYY { get; set; }
    public double SumXY { get; set; }

    /// <summary>How often each option of a choice question was picked, in the options' order.</summary>
    public List<int> Picks { get; set; } = [];

    /// <summary>Answers to a choice question whose picks were counted.</summary>
    public int PickResponses { get; set; }

    /// <summary>The flags the sums show now.</summary>
    public QualityFlags Flags { get; set; }

    /// <summary>Flags a teacher dismissed for this content.</summary>
    public QualityFlags Dismissed { get; set; }

    /// <summary><see cref="Flags"/> less <see cref="Dismissed"/>: what the bank's "Needs review" lists (indexed where not none).</summary>
    public QualityFlags OpenFlags { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>The correlation of the question's mark with the rest of the attempt; null below two pairs or without spread.</summary>
    public double? Discrimination
    {
        get
        {
            if (Pairs < 2)
            {
                return null;
            }

            var n = (double)Pairs;
            var varianceX = n * SumXX - SumX * SumX;
            var varianceY = n * SumYY - SumY * SumY;
            // Sums of doubles leave a little dust where every mark was the same.
            if (varianceX <= 1e-9 * n * n || varianceY <= 1e-9 * n * n)
            {
                return null;
            }

            return Math.Clamp((n * SumXY - SumX * SumY) / Math.Sqrt(varianceX * varianceY), -1, 1);
        }
    }

    /// <summary>The mean mark as a fraction; null before any answer.</summary>
    public double? Facility => Responses == 0 ? null : ScoreSum / Responses;

    /// <summary>Starts the sums again for the question's current content; dismissals go with them.</summary>
    public void Restart(long contentHash)
    {
        ContentHash = contentHash;
        (Responses, ScoreSum, QuizShown, QuizBlank, Pairs, PickResponses) = (0, 0, 0, 0, 0, 0);
        (SumX, SumY, SumXX, SumYY, SumXY) = (0, 0, 0, 0, 0);
        Picks = [];
        (Flags, Dismissed, OpenFlags) = (QualityFlags.None, QualityFlags.None, QualityFlags.None);
    }

    /// <summary>Counts one graded answer (or a quiz blank) of a question of <paramref name="type"/> with <paramref name="body"/>.</summary>
    public void Count(GradedAnswer answer, QuestionType type, QuestionBody body)
    {
        if (answer.Source == ReviewSource.Quiz)
        {
            QuizShown++;
        }

        if (answer.Blank)
        {
            QuizBlank++;
            return;
        }

        var score = (double)Math.Clamp(answer.Check.Score, 0m, 1m);
        Responses++;
        ScoreSum += score;
        if (answer.Rest is { } rest)
        {
            Pairs++;
            (SumX, SumY, SumXX, SumYY, SumXY) = (SumX + score, SumY + rest, SumXX + score * score, SumYY + rest * rest, SumXY + score * rest);
        }

        if (type is QuestionType.Mcq or QuestionType.McqMulti && body.Choices.Count > 0 && answer.Chosen is { } chosen)
        {
            if (Picks.Count != body.Choices.Count)
            {
                Picks = [.. Enumerable.Repeat(0, body.Choices.Count)];
            }

            PickResponses++;
            for (var i = 0; i < body.Choices.Count; i++)
            {
                if (chosen.Contains(body.Choices[i].Text, StringComparer.Ordinal))
                {
                    Picks[i]++;
                }
            }
        }
    }

    /// <summary>Sets <see cref="Flags"/> and <see cref="OpenFlags"/> from the sums.</summary>
    public void Evaluate(QuestionType type, QuestionBody body)
    {
        Flags = QualityRules.Findings(this, type, body).Aggregate(QualityFlags.None, (all, f) => all | f.Flag);
        OpenFlags = Flags & ~Dismissed;
    }
}

/// <summary>One flag with its evidence: the figure that raised it, over how many answers, and the option it is about.</summary>
public sealed record QualityFinding(QualityFlags Flag, double Value, int Count, string? Option = null);

/// <summary>
/// When a question is flagged. Each rule waits for enough answers that one class's bad day does not
/// flag a good question; the thresholds are those of classical item analysis (and Moodle's report).
/// </summary>
public static class QualityRules
{
    /// <summary>Quiz answers counted with their attempt before discrimination is judged.</summary>
    public const int MinPairs = 30;

    /// <summary>Below this discrimination index a question hardly separates stronger students from weaker ones.</summary>
    public const double LowDiscrimination = 0.2;

    /// <summary>Marked answers before facility is judged.</summary>
    public const int MinResponses = 30;

    public const double TooEasy = 0.95, TooHard = 0.15;

    /// <summary>Quiz appearances before blanks are judged, and the share of blanks that flags.</summary>
    public const int MinQuizShown = 30;

    public const double OftenBlank = 0.2;

    /// <summary>Answers to a choice question before its options are judged, and the share under which a wrong option is unused.</summary>
    public const int MinPickResponses = 50;

    public const double UnusedDistractor = 0.05;

    /// <summary>Every flag the sums raise, with its evidence.</summary>
    public static IReadOnlyList<QualityFinding> Findings(QuestionQuality sums, QuestionType type, QuestionBody body)
    {
        List<QualityFinding> findings = [];
        if (sums.Pairs >= MinPairs && sums.Discrimination is { } r && r < LowDiscrimination)
        {
            findings.Add(new(r < 0 ? QualityFlags.NegativeDiscrimination : QualityFlags.LowDiscrimination, r, sums.Pairs));
        }

        if (sums.Responses >= MinResponses && sums.Facility is { } facility && (facility > TooEasy || facility < TooHard))
        {
            findings.Add(new(facility > TooEasy ? QualityFlags.TooEasy : QualityFlags.TooHard, facility, sums.Responses));
        }

        if (sums.QuizShown >= MinQuizShown && (double)sums.QuizBlank / sums.QuizShown is var blank && blank > OftenBlank)
        {
            findings.Add(new(QualityFlags.OftenBlank, blank, sums.QuizShown));
        }

        if (type is QuestionType.Mcq or QuestionType.McqMulti && sums.PickResponses >= MinPickResponses && sums.Picks.Count == body.Choices.Count)
        {
            for (var i = 0; i < body.Choices.Count; i++)
            {
                var share = (double)sums.Picks[i] / sums.PickResponses;
                if (body.Choices[i].Fraction <= 0 && share < UnusedDistractor)
                {
                    findings.Add(new(QualityFlags.UnusedDistractor, share, sums.PickResponses, body.Choices[i].Text));
                }
            }
        }

        return findings;
    }
}
