using System.Text.Json;
using EduLoop.Domain.Data;
using EduLoop.Domain.QuestionBank;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Quizzes.Statistics;

/// <summary>
/// A slot's figures with the question it holds (null when its attempts drew different ones), what its
/// attempts answered, and the question's title for a list (its bank title, or the start of its stem).
/// </summary>
public sealed record SlotReport(SlotStatistics Figures, int? QuestionId, IReadOnlyList<ChoiceCount> Choices, string? Title = null);

/// <summary>A quiz's statistics over its finished, fully marked attempts.</summary>
public sealed record QuizStatisticsReport(int QuizId, string Title, TestStatistics Test, IReadOnlyList<SlotReport> Slots);

/// <summary>
/// Moodle's quiz statistics (<see cref="QuizStatisticsCalculator"/>) over a quiz's attempts. A slot is a
/// position in the attempts (a random slot drawing three questions is three slots, as in Moodle);
/// descriptions are left out. Counted: every attempt handed in and fully marked, not a teacher's
/// preview; an attempt whose essay waits for a grade has no total yet and joins once it is graded.
/// </summary>
public sealed class QuizStatisticsService(IDbContextFactory<EduLoopDbContext> contextFactory)
{
    /// <exception cref="NotFoundException">No such quiz.</exception>
    public async Task<QuizStatisticsReport> GetAsync(int quizId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var title = await db.Quizzes.Where(q => q.Id == quizId).Select(q => q.Title).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("No such quiz.");
        var answers = await db.Attempts.AsNoTracking()
            .Where(a => a.QuizId == quizId && !a.IsPreview && a.State != AttemptState.InProgress && !a.NeedsGrading)
            .Join(db.AttemptQuestions.Where(q => q.Type != QuestionType.Description), a => a.Id, q => q.AttemptId,
                (a, q) => new Answer(q.Id, q.AttemptId, q.Position, q.QuestionId, q.Type, q.Points, q.Score, q.Response))
            .ToListAsync(cancellationToken);
        // One frozen body per question, not one per answer: reading 50,000 bodies costs more than all the figures.
        var bodyIds = answers.GroupBy(a => a.QuestionId).Select(g => g.Min(a => a.Id)).ToList();
        var frozen = await db.AttemptQuestions.AsNoTracking().Where(q => bodyIds.Contains(q.Id))
            .ToDictionaryAsync(q => q.QuestionId, q => new { q.Body, q.Stem }, cancellationToken);
        var bodies = frozen.ToDictionary(f => f.Key, f => f.Value.Body);

        var positions = answers.Select(a => a.Position).Distinct().Order().ToList();
        var byPosition = answers.GroupBy(a => a.Position).ToDictionary(g => g.Key, g => g.ToList());
        var slots = positions.Select(p => new StatisticsSlot((double)byPosition[p].Max(a => a.Points), RandomGuessScore(byPosition[p], bodies))).ToList();
        var marks = answers.GroupBy(a => a.AttemptId).OrderBy(g => g.Key)
            .Select(attempt =>
            {
                var mine = attempt.ToDictionary(a => a.Position);
                return (IReadOnlyList<double>)positions.Select(p => mine.TryGetValue(p, out var a) ? (double)(a.Score ?? 0m) : 0d).ToList();
            })
            .ToList();

        var statistics = QuizStatisticsCalculator.Calculate(slots, marks);
        // A question deleted from the bank since keeps the stem its attempts showed.
        var questionIds = answers.Select(a => a.QuestionId).Distinct().ToList();
        var titles = await db.Questions.AsNoTracking().Where(q => questionIds.Contains(q.Id)).Select(q => new { q.Id, q.Title, q.Stem })
            .ToDictionaryAsync(q => q.Id, q => q.Title != "" ? q.Title : QuestionText.TitleOf(q.Stem), cancellationToken);
        return new QuizStatisticsReport(quizId, title, statistics.Test, statistics.Slots.Select((figures, i) =>
        {
            var slotAnswers = byPosition[positions[i]];
            if (slotAnswers.Select(a => a.QuestionId).Distinct().Count() != 1)
            {
                return new SlotReport(figures, null, []);
            }

            var id = slotAnswers[0].QuestionId;
            return new SlotReport(figures, id, Choices(slotAnswers, bodies[id]), titles.GetValueOrDefault(id) ?? QuestionText.TitleOf(frozen[id].Stem));
        }).ToList());
    }

    private sealed record Answer(int Id, int AttemptId, int Position, int QuestionId, QuestionType Type, decimal Points, decimal? Score, string? Response);

    /// <summary>How often each option was chosen: a choice question's options in the author's order, then anything else given.</summary>
    private static IReadOnlyList<ChoiceCount> Choices(List<Answer> answers, QuestionBody body)
    {
        IEnumerable<string> options = answers[0].Type switch
        {
            QuestionType.Mcq or QuestionType.McqMulti => body.Choices.Select(c => c.Text),
            QuestionType.TrueFalse => ["True", "False"],
            _ => [],
        };
        // Each different response is read once: a thousand answers to a choice question are a handful of responses.
        var chosen = answers.Where(a => !string.IsNullOrEmpty(a.Response)).GroupBy(a => a.Response!, StringComparer.Ordinal)
            .SelectMany(g => Enumerable.Repeat(Chosen(answers[0].Type, g.Key, body), g.Count()).SelectMany(c => c));
        return ChoiceTally.Count(options, chosen);
    }

    private static IReadOnlyList<string?> Chosen(QuestionType type, string response, QuestionBody body)
    {
        try
        {
            using var parsed = JsonDocument.Parse(response);
            return [.. AnswerChecker.Chosen(type, body, parsed.RootElement)];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>
    /// The mean score of a random guess, as a fraction, as Moodle's question types give it: one choice
    /// at random (single choice), 1/2 (true/false), one answer at random per prompt (matching), 0 for a
    /// typed answer; none for several choices or an essay. A random slot's is the mean over the
    /// questions it drew, none if one of them has none.
    /// </summary>
    private static double? RandomGuessScore(List<Answer> answers, IReadOnlyDictionary<int, QuestionBody> bodies)
    {
        var scores = answers.DistinctBy(a => a.QuestionId).Select(a => (a.Type, Body: bodies[a.QuestionId]) switch
        {
            (QuestionType.Mcq, var body) when body.Choices.Count > 0 => (double?)body.Choices.Average(c => (double)Math.Clamp(c.Fraction, 0m, 1m)),
            (QuestionType.TrueFalse, _) => 0.5,
            (QuestionType.Matching, var body) when body.Pairs.Count > 0 =>
                1.0 / body.Pairs.Select(p => p.Answer).Concat(body.Distractors).Distinct(StringComparer.Ordinal).Count(),
            (QuestionType.FillBlank or QuestionType.Math, _) => 0,
            _ => null,
        }).ToList();
        return scores.Any(s => s is null) ? null : scores.Average();
    }
}
