using System.Globalization;
using System.Text;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.Domain.Formats.Gift;

/// <summary>Writes questions as GIFT, escaping what GIFT reserves, so that the parser reads back the same question.</summary>
public static class GiftWriter
{
    public static string Write(IEnumerable<(string? Title, QuestionType Type, string Stem, QuestionBody Body)> questions)
    {
        var text = new StringBuilder();
        foreach (var (title, type, stem, body) in questions)
        {
            Write(text, title, type, stem, body);
            text.Append('\n');
        }

        return text.ToString();
    }

    internal static void Write(StringBuilder text, string? title, QuestionType type, string stem, QuestionBody body)
    {
        if (!string.IsNullOrWhiteSpace(title))
        {
            text.Append("::").Append(Escape(title)).Append("::");
        }

        // Markdown keeps line breaks; the stem is written as one line with \n escapes.
        text.Append("[markdown]").Append(Escape(stem));
        if (type == QuestionType.Description)
        {
            text.Append('\n');
            return;
        }

        text.Append(" {");
        switch (type)
        {
            case QuestionType.Mcq or QuestionType.McqMulti:
                foreach (var choice in body.Choices)
                {
                    var prefix = type == QuestionType.Mcq ? (choice.Fraction == 1m ? "=" : "~") : "~";
                    var weight = Weight(choice.Fraction, type == QuestionType.Mcq && choice.Fraction is 1m or 0m, choice.Text);
                    text.Append("\n\t").Append(prefix).Append(weight).Append(Marked(choice.Text)).Append(Feedback(choice.Feedback));
                }

                break;
            case QuestionType.TrueFalse:
                text.Append(body.TrueFalseAnswer == true ? "TRUE" : "FALSE");
                if (body.TrueFeedback is not null || body.FalseFeedback is not null)
                {
                    var (wrong, right) = body.TrueFalseAnswer == true ? (body.FalseFeedback, body.TrueFeedback) : (body.TrueFeedback, body.FalseFeedback);
                    text.Append('#').Append(Escape(wrong ?? "")).Append('#').Append(Escape(right ?? ""));
                }

                break;
            case QuestionType.FillBlank:
                foreach (var answer in body.AcceptedAnswers)
                {
                    text.Append("\n\t=").Append(Weight(answer.Fraction, answer.Fraction == 1m, answer.Text))
                        .Append(Marked(answer.Text)).Append(Feedback(answer.Feedback));
                }

                break;
            case QuestionType.Math:
                text.Append('#');
                foreach (var answer in body.NumericAnswers)
                {
                    var value = answer.Value is { } v
                        ? Number(v) + (answer.Tolerance > 0 ? ":" + Number(answer.Tolerance) : ":0")
                        : $"{Number(answer.Min ?? 0)}..{Number(answer.Max ?? 0)}";
                    text.Append("\n\t=").Append(answer.Fraction == 1m ? "" : $"%{Percent(answer.Fraction)}%").Append(value).Append(Feedback(answer.Feedback));
                }

                break;
            case QuestionType.Matching:
                foreach (var pair in body.Pairs)
                {
                    text.Append("\n\t=").Append(Marked(pair.Prompt)).Append(" -> ").Append(Escape(pair.Answer));
                }

                foreach (var distractor in body.Distractors)
                {
                    text.Append("\n\t= -> ").Append(Escape(distractor));
                }

                break;
        }

        if (body.GeneralFeedback is not null)
        {
            text.Append("\n\t####").Append(Marked(body.GeneralFeedback));
        }

        text.Append("\n}\n");
    }

    /// <summary>
    /// Whether GIFT can hold the question. GIFT has no escape for the matching arrow: a fill-in answer
    /// with "->" would be read back as a matching pair, and a matching prompt with "->" split in the
    /// wrong place.
    /// </summary>
    public static bool CanWrite(QuestionType type, QuestionBody body) => type switch
    {
        QuestionType.FillBlank => !body.AcceptedAnswers.Any(a => HasArrow(a.Text) || HasArrow(a.Feedback)),
        QuestionType.Matching => !body.Pairs.Any(p => HasArrow(p.Prompt)),
        _ => true,
    };

    private static bool HasArrow(string? text) => text?.Contains("->", StringComparison.Ordinal) == true;

    /// <summary>A <c>%n%</c> credit; written even when the default would do if the text itself starts with '%', which would otherwise be read as the credit.</summary>
    private static string Weight(decimal fraction, bool isDefault, string text) =>
        isDefault && !text.TrimStart().StartsWith('%') ? "" : $"%{Percent(fraction)}%";

    /// <summary>A text that may carry a format marker: one that starts with '[' gets the marker, so that its own "[html]" stays text.</summary>
    private static string Marked(string text) => text.TrimStart().StartsWith('[') ? "[markdown]" + Escape(text) : Escape(text);

    private static string Feedback(string? feedback) => string.IsNullOrEmpty(feedback) ? "" : "#" + Marked(feedback);

    private static string Percent(decimal fraction) => (fraction * 100m).ToString("0.#####", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// Escapes what GIFT reserves (<c>~ = # { } :</c> and the backslash) and writes line breaks as
    /// <c>\n</c>; nothing else, because Moodle keeps a backslash before any other character (LaTeX's
    /// <c>\[</c> and <c>\(</c> among them).
    /// </summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text.Replace("\r\n", "\n", StringComparison.Ordinal))
        {
            switch (c)
            {
                case '\\' or '~' or '=' or '#' or '{' or '}' or ':':
                    escaped.Append('\\').Append(c);
                    break;
                case '\n':
                    escaped.Append("\\n");
                    break;
                default:
                    escaped.Append(c);
                    break;
            }
        }

        return escaped.ToString();
    }
}
