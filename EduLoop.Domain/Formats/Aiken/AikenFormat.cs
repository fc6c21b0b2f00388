using System.Text;
using System.Text.RegularExpressions;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.Domain.Formats.Aiken;

public sealed record AikenQuestion(int Line, string Stem, IReadOnlyList<string> Options, int Answer);

public sealed record AikenError(int Line, string Message);

public sealed record AikenDocument(IReadOnlyList<AikenQuestion> Questions, IReadOnlyList<AikenError> Errors);

/// <summary>
/// Moodle's Aiken format: single-answer multiple choice. A question is its text, then options
/// "A." or "A)" one per line, then "ANSWER: A"; questions are separated by blank lines (or follow
/// right after an ANSWER line). Each problem becomes an error with its line; other questions are still read.
/// </summary>
public static partial class AikenFormat
{
    public static AikenDocument Parse(string text)
    {
        var questions = new List<AikenQuestion>();
        var errors = new List<AikenError>();
        using var reader = new StringReader(text);
        foreach (var (question, error) in Read(reader))
        {
            if (question is not null)
            {
                questions.Add(question);
            }
            else
            {
                errors.Add(error!);
            }
        }

        return new AikenDocument(questions, errors);
    }

    /// <summary>Reads the text a line at a time, yielding each question or error as soon as it is complete.</summary>
    public static IEnumerable<(AikenQuestion? Question, AikenError? Error)> Read(TextReader text)
    {
        var stem = new StringBuilder();
        var options = new List<(char Letter, string Text)>();
        var start = 0;
        var failed = false;
        var number = 0;

        void Reset()
        {
            stem.Clear();
            options.Clear();
            failed = false;
        }

        while (text.ReadLine() is { } raw)
        {
            var line = raw.Trim();
            number++;
            if (line.Length == 0)
            {
                if (stem.Length > 0 && !failed)
                {
                    yield return (null, new AikenError(start, "The question has no \"ANSWER:\" line."));
                }

                Reset();
                continue;
            }

            if (failed)
            {
                continue;
            }

            if (Answer().Match(line) is { Success: true } answer)
            {
                var letter = char.ToUpperInvariant(answer.Groups[1].Value[0]);
                if (stem.Length == 0)
                {
                    yield return (null, new AikenError(number, "\"ANSWER:\" comes before any question text."));
                }
                else if (options.Count < 2)
                {
                    yield return (null, new AikenError(start, "A question needs at least two options (\"A. …\", \"B. …\")."));
                }
                else if (options.FindIndex(o => o.Letter == letter) is var index and >= 0)
                {
                    yield return (new AikenQuestion(start, stem.ToString().Trim(), options.Select(o => o.Text).ToList(), index), null);
                }
                else
                {
                    yield return (null, new AikenError(number, $"The answer {letter} is not one of the options."));
                }

                Reset();
                continue;
            }

            if (Option().Match(line) is { Success: true } option && stem.Length > 0)
            {
                var letter = char.ToUpperInvariant(option.Groups[1].Value[0]);
                if (options.Count > 0 && letter != options[^1].Letter + 1)
                {
                    yield return (null, new AikenError(number, $"Option {letter} is out of order: expected {(char)(options[^1].Letter + 1)}."));
                    failed = true;
                    continue;
                }

                if (options.Count == 0 && letter != 'A')
                {
                    yield return (null, new AikenError(number, "The first option must be A."));
                    failed = true;
                    continue;
                }

                options.Add((letter, option.Groups[2].Value.Trim()));
                continue;
            }

            if (options.Count > 0)
            {
                yield return (null, new AikenError(number, "Text after the options: each option starts with a letter and \".\" or \")\", and the question ends with \"ANSWER: X\"."));
                failed = true;
                continue;
            }

            if (stem.Length == 0)
            {
                start = number;
            }

            stem.Append(stem.Length > 0 ? " " : "").Append(line);
        }

        if (stem.Length > 0 && !failed)
        {
            yield return (null, new AikenError(start, "The question has no \"ANSWER:\" line."));
        }
    }

    public static (QuestionType Type, string Stem, QuestionBody Body) ToQuestion(AikenQuestion question) =>
        (QuestionType.Mcq, question.Stem, new QuestionBody
        {
            Choices = question.Options.Select((o, i) => new Choice(o, i == question.Answer ? 1m : 0m)).ToList(),
        });

    /// <summary>
    /// Writes single-answer questions as Aiken. Aiken cannot hold anything else, nor line breaks,
    /// more than 26 options or feedback: those questions are returned as skipped.
    /// </summary>
    public static (string Text, IReadOnlyList<int> Skipped) Write(IReadOnlyList<(QuestionType Type, string Stem, QuestionBody Body)> questions)
    {
        var text = new StringBuilder();
        var skipped = new List<int>();
        for (var i = 0; i < questions.Count; i++)
        {
            var (type, stem, body) = questions[i];
            var correct = body.Choices.FindIndex(c => c.Fraction == 1m);
            if (type != QuestionType.Mcq || correct < 0 || body.Choices.Count is < 2 or > 26
                || stem.Contains('\n', StringComparison.Ordinal) || body.Choices.Any(c => c.Text.Contains('\n', StringComparison.Ordinal)))
            {
                skipped.Add(i);
                continue;
            }

            text.Append(stem.Trim()).Append('\n');
            for (var c = 0; c < body.Choices.Count; c++)
            {
                text.Append((char)('A' + c)).Append(". ").Append(body.Choices[c].Text.Trim()).Append('\n');
            }

            text.Append("ANSWER: ").Append((char)('A' + correct)).Append("\n\n");
        }

        return (text.ToString(), skipped);
    }

    [GeneratedRegex(@"^ANSWER\s*:\s*([A-Za-z])\s*$")]
    private static partial Regex Answer();

    [GeneratedRegex(@"^([A-Z])[\.\)]\s+(.*)$")]
    private static partial Regex Option();
}
