using System.Globalization;
using System.Text.Json;

namespace EduLoop.Domain.QuestionBank;

public sealed record AnswerCheck(bool Correct, decimal Score);

/// <summary>Marks a response to a question, the way the original's clients send it.</summary>
public static class AnswerChecker
{
    /// <summary>
    /// Null when the question is not marked automatically (essays, descriptions). A response of the
    /// wrong shape is simply wrong.
    /// </summary>
    public static AnswerCheck? Check(QuestionType type, QuestionBody body, JsonElement response) => type switch
    {
        QuestionType.Mcq => Single(body, response),
        QuestionType.McqMulti => Multiple(body, response),
        QuestionType.TrueFalse => Bool(response) is { } b && body.TrueFalseAnswer == b ? Full : Wrong,
        QuestionType.FillBlank => Text(body, response),
        // A math question moved from the original may have a written answer ("x = 10") rather than a number.
        QuestionType.Math => body.NumericAnswers.Count == 0 && body.AcceptedAnswers.Count > 0 ? Text(body, response) : Numeric(body, response),
        QuestionType.Matching => Matching(body, response),
        _ => null,
    };

    private static readonly AnswerCheck Full = new(true, 1m);
    private static readonly AnswerCheck Wrong = new(false, 0m);

    /// <summary>The chosen choice's credit: partial credit counts, a penalty never takes the score below zero.</summary>
    private static AnswerCheck Single(QuestionBody body, JsonElement response)
    {
        var index = ChoiceIndex(body, response);
        var score = index is { } i ? Math.Clamp(body.Choices[i].Fraction, 0m, 1m) : 0m;
        return new AnswerCheck(score >= 1m, score);
    }

    private static AnswerCheck Multiple(QuestionBody body, JsonElement response)
    {
        var picked = (response.ValueKind == JsonValueKind.Array ? response.EnumerateArray().ToList() : [response])
            .Select(r => ChoiceIndex(body, r)).ToList();
        if (picked.Any(p => p is null))
        {
            return Wrong;
        }

        var score = Math.Clamp(picked.Distinct().Sum(p => body.Choices[p!.Value].Fraction), 0m, 1m);
        var correct = body.Choices.Select((c, i) => (c, i)).Where(x => x.c.IsCorrect).Select(x => x.i).ToHashSet();
        return new AnswerCheck(correct.SetEquals(picked.Select(p => p!.Value)), Math.Round(score, 4));
    }

    private static AnswerCheck Text(QuestionBody body, JsonElement response)
    {
        if (Scalar(response) is not { } text)
        {
            return Wrong;
        }

        var given = Normalize(text, body.CaseSensitive);
        var best = body.AcceptedAnswers.Where(a => Normalize(a.Text, body.CaseSensitive) == given).Select(a => a.Fraction).DefaultIfEmpty(0m).Max();
        return new AnswerCheck(best >= 1m, best);
    }

    private static AnswerCheck Numeric(QuestionBody body, JsonElement response)
    {
        var value = response.ValueKind switch
        {
            JsonValueKind.Number when response.TryGetDouble(out var d) => d,
            JsonValueKind.String when double.TryParse(DecimalPoint(response.GetString()), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => double.NaN,
        };
        if (!double.IsFinite(value))
        {
            return Wrong;
        }

        var best = body.NumericAnswers
            .Where(a => a.Value is { } v ? Math.Abs(value - v) <= a.Tolerance + 1e-9 : value >= a.Min && value <= a.Max)
            .Select(a => a.Fraction).DefaultIfEmpty(0m).Max();
        return new AnswerCheck(best >= 1m, best);
    }

    /// <summary>A typed number with a decimal comma ("3,5", as German students write it) read as "3.5"; "1,000.5" stays as it is.</summary>
    private static string? DecimalPoint(string? text) =>
        text is not null && text.Contains(',', StringComparison.Ordinal) && !text.Contains('.', StringComparison.Ordinal) && text.Count(c => c == ',') == 1
            ? text.Replace(',', '.').Trim()
            : text?.Trim();

    private static AnswerCheck Matching(QuestionBody body, JsonElement response)
    {
        if (response.ValueKind != JsonValueKind.Object || body.Pairs.Count == 0)
        {
            return Wrong;
        }

        var right = body.Pairs.Count(p => response.TryGetProperty(p.Prompt, out var given) && Scalar(given) == p.Answer);
        return new AnswerCheck(right == body.Pairs.Count, Math.Round((decimal)right / body.Pairs.Count, 4));
    }

    /// <summary>
    /// What a response chose, as the statistics count it: the texts of the chosen choices (choice
    /// questions), "True" or "False", the text given (fill-in, math), each prompt's pair as
    /// "prompt: answer" (matching); nothing for an essay or a response of the wrong shape.
    /// </summary>
    public static IReadOnlyList<string> Chosen(QuestionType type, QuestionBody body, JsonElement response) => type switch
    {
        QuestionType.Mcq => ChoiceIndex(body, response) is { } i ? [body.Choices[i].Text] : [],
        QuestionType.McqMulti => (response.ValueKind == JsonValueKind.Array ? response.EnumerateArray().ToList() : [response])
            .Select(r => ChoiceIndex(body, r)).OfType<int>().Distinct().Order().Select(i => body.Choices[i].Text).ToList(),
        QuestionType.TrueFalse => Bool(response) is { } b ? [b ? "True" : "False"] : [],
        QuestionType.FillBlank or QuestionType.Math => Scalar(response) is { Length: > 0 } text ? [text.Trim()] : [],
        QuestionType.Matching => response.ValueKind != JsonValueKind.Object ? []
            : body.Pairs.Where(p => response.TryGetProperty(p.Prompt, out var given) && Scalar(given) is { Length: > 0 })
                .Select(p => $"{p.Prompt}: {Scalar(response.GetProperty(p.Prompt))}").ToList(),
        _ => [],
    };

    private static int? ChoiceIndex(QuestionBody body, JsonElement response)
    {
        if (Scalar(response) is { } text && body.Choices.FindIndex(c => c.Text == text) is var byText and >= 0)
        {
            return byText;
        }

        return response.ValueKind == JsonValueKind.Number && response.TryGetInt32(out var i) && i >= 0 && i < body.Choices.Count ? i : null;
    }

    private static bool? Bool(JsonElement response) => response.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when bool.TryParse(response.GetString(), out var b) => b,
        _ => null,
    };

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    /// <summary>
    /// Text as it is compared: Unicode composed (an "é" typed as e + accent equals the precomposed one),
    /// runs of any white space (also non-breaking) as one space, trimmed, and without case unless it matters.
    /// </summary>
    private static string Normalize(string text, bool caseSensitive)
    {
        var composed = text.Normalize(System.Text.NormalizationForm.FormC);
        var collapsed = string.Join(' ', composed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return caseSensitive ? collapsed : collapsed.ToLowerInvariant();
    }
}
