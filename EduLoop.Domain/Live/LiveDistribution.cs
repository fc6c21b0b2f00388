using System.Text.Json;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.Domain.Live;

/// <summary>What a question offers on the players' screens, and how the room answered it.</summary>
public static class LiveDistribution
{
    /// <summary>The most typed answers a typed question's chart shows; the rest are one bar.</summary>
    public const int TypedBars = 5;

    /// <summary>The options a player picks from: choices in the author's order, "True" and "False", nothing for typed answers.</summary>
    public static IReadOnlyList<string> Options(LiveGameQuestion question) => question.Type switch
    {
        QuestionType.Mcq or QuestionType.McqMulti => question.Body.Choices.Select(c => c.Text).ToList(),
        QuestionType.TrueFalse => ["True", "False"],
        _ => [],
    };

    /// <summary>The reveal of <paramref name="question"/> from its responses.</summary>
    public static LiveReveal Of(LiveGameQuestion question, IReadOnlyList<string> responses)
    {
        var body = question.Body;
        var chosen = new List<IReadOnlyList<string>>(responses.Count);
        foreach (var response in responses)
        {
            try
            {
                using var json = JsonDocument.Parse(response);
                chosen.Add(AnswerChecker.Chosen(question.Type, body, json.RootElement));
            }
            catch (JsonException)
            {
                chosen.Add([]);
            }
        }

        switch (question.Type)
        {
            case QuestionType.Mcq or QuestionType.McqMulti:
                {
                    var bars = body.Choices.Select(c => new LiveBar(c.Text, chosen.Count(x => x.Contains(c.Text)), c.IsCorrect)).ToList();
                    var right = body.Choices.Select((c, i) => (c, i)).Where(x => x.c.IsCorrect).Select(x => x.i).ToList();
                    return new LiveReveal(right, [], bars, responses.Count);
                }

            case QuestionType.TrueFalse:
                {
                    var truth = body.TrueFalseAnswer == true;
                    return new LiveReveal([truth ? 0 : 1], [],
                        [new LiveBar("True", chosen.Count(x => x.Contains("True")), truth), new LiveBar("False", chosen.Count(x => x.Contains("False")), !truth)],
                        responses.Count);
                }

            default:
                {
                    var rightAnswers = body.AcceptedAnswers.Where(a => a.Fraction >= 1m).Select(a => a.Text)
                        .Concat(body.NumericAnswers.Where(a => a.Fraction >= 1m).Select(NumericText)).ToList();
                    var typed = chosen.Where(x => x.Count > 0).Select(x => x[0]).GroupBy(t => t, StringComparer.OrdinalIgnoreCase)
                        .Select(g => (Text: g.First(), Count: g.Count())).OrderByDescending(g => g.Count).ThenBy(g => g.Text, StringComparer.Ordinal).ToList();
                    var bars = typed.Take(TypedBars).Select(t => new LiveBar(t.Text, t.Count, IsRight(question, t.Text))).ToList();
                    if (typed.Count > TypedBars)
                    {
                        bars.Add(new LiveBar("…", typed.Skip(TypedBars).Sum(t => t.Count), false));
                    }

                    return new LiveReveal([], rightAnswers, bars, responses.Count);
                }
        }
    }

    private static bool IsRight(LiveGameQuestion question, string text) =>
        AnswerChecker.Check(question.Type, question.Body, JsonSerializer.SerializeToElement(text))?.Correct == true;

    private static string NumericText(NumericAnswer answer) => answer.Value is { } value
        ? answer.Tolerance > 0 ? FormattableString.Invariant($"{value} ± {answer.Tolerance}") : FormattableString.Invariant($"{value}")
        : FormattableString.Invariant($"{answer.Min} – {answer.Max}");
}
