using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EduLoop.Domain.Formats.Gift;

/// <summary>
/// Reads Moodle's GIFT format: questions separated by blank lines, <c>//</c> comments (with
/// <c>[id:…]</c> and <c>[tag:…]</c> for the next question), <c>::title::</c>, <c>[format]</c>,
/// answer blocks in braces (possibly inside the text), and backslash escapes. A question that cannot
/// be read becomes an error with its line; the others are still read.
/// </summary>
public static partial class GiftParser
{
    private const string Blank = "_____";

    /// <summary>The longest question block read; a longer one is an error, so a file without blank lines cannot fill the memory.</summary>
    public const int MaxBlockLength = 1 << 20;

    public static GiftDocument Parse(string text)
    {
        var items = new List<GiftItem>();
        var errors = new List<GiftError>();
        using var reader = new StringReader(text);
        foreach (var (item, error) in Read(reader))
        {
            if (item is not null)
            {
                items.Add(item);
            }
            else
            {
                errors.Add(error!);
            }
        }

        return new GiftDocument(items, errors);
    }

    /// <summary>Reads the file a block at a time, yielding each item or error as soon as its block ends.</summary>
    public static IEnumerable<(GiftItem? Item, GiftError? Error)> Read(TextReader text)
    {
        string? id = null;
        var tags = new List<string>();
        foreach (var (line, block) in Blocks(text))
        {
            if (block is null)
            {
                yield return (null, new GiftError(line, $"The question is longer than {MaxBlockLength / 1024} KB; is a blank line missing between two questions?"));
                id = null;
                tags.Clear();
                continue;
            }

            var body = new StringBuilder();
            foreach (var raw in block.Split('\n'))
            {
                var trimmed = raw.TrimStart();
                if (trimmed.StartsWith("//", StringComparison.Ordinal))
                {
                    foreach (Match m in IdComment().Matches(trimmed))
                    {
                        id = m.Groups[1].Value;
                    }

                    foreach (Match m in TagComment().Matches(trimmed))
                    {
                        tags.Add(m.Groups[1].Value);
                    }

                    continue;
                }

                body.Append(raw).Append('\n');
            }

            var source = body.ToString().Trim();
            if (source.Length == 0)
            {
                continue;
            }

            if (source.StartsWith("$CATEGORY:", StringComparison.Ordinal))
            {
                yield return (new GiftCategory(line, source["$CATEGORY:".Length..].Trim()), null);
                continue;
            }

            GiftItem? question = null;
            GiftError? error = null;
            try
            {
                question = ParseQuestion(line, source, id, tags.Count == 0 ? [] : [.. tags]);
            }
            catch (FormatException e)
            {
                error = new GiftError(line, e.Message);
            }

            yield return (question, error);
            id = null;
            tags.Clear();
        }
    }

    /// <summary>
    /// The file split at blank lines, each block with its first line number (a null block: too long).
    /// As in Moodle, a blank line always ends a question: an unclosed brace spoils one question, not
    /// the rest of the file.
    /// </summary>
    private static IEnumerable<(int Line, string? Block)> Blocks(TextReader text)
    {
        var current = new StringBuilder();
        var start = 1;
        var number = 0;
        var tooLong = false;
        while (text.ReadLine() is { } line)
        {
            number++;
            if (line.Trim().Length == 0)
            {
                if (current.Length > 0 || tooLong)
                {
                    yield return (start, tooLong ? null : current.ToString());
                    current.Clear();
                    tooLong = false;
                }

                continue;
            }

            if (current.Length == 0 && !tooLong)
            {
                start = number;
            }

            if (tooLong || current.Length + line.Length > MaxBlockLength)
            {
                tooLong = true;
                current.Clear();
                continue;
            }

            current.Append(line).Append('\n');
        }

        if (current.Length > 0 || tooLong)
        {
            yield return (start, tooLong ? null : current.ToString());
        }
    }

    private static GiftQuestion ParseQuestion(int line, string source, string? id, IReadOnlyList<string> tags)
    {
        string? title = null;
        var rest = source;
        if (rest.StartsWith("::", StringComparison.Ordinal))
        {
            var end = IndexOfUnescaped(rest, "::", 2);
            if (end < 0)
            {
                throw new FormatException("The title has no closing '::'.");
            }

            title = Unescape(rest[2..end].Trim());
            rest = rest[(end + 2)..];
        }

        var open = IndexOfUnescaped(rest, "{", 0);
        if (open < 0)
        {
            var (descriptionFormat, descriptionText) = SplitFormat(rest);
            return new GiftQuestion(line, GiftQuestionKind.Description, title, Text(descriptionFormat ?? "moodle", descriptionText),
                false, null, [], [], null, null, null, id, tags);
        }

        var close = IndexOfUnescaped(rest, "}", open + 1);
        if (close < 0)
        {
            throw new FormatException("The answer block has no closing '}'.");
        }

        var before = rest[..open];
        var after = rest[(close + 1)..];
        var answers = rest[(open + 1)..close];
        if (IndexOfUnescaped(answers, "{", 0) >= 0)
        {
            throw new FormatException("The answer block holds another '{'; write \\{ for a brace in an answer.");
        }

        var (format, beforeText) = SplitFormat(before);
        format ??= "moodle";
        var embedded = after.Trim().Length > 0;
        var stemRaw = embedded ? $"{beforeText.Trim()} {Blank} {after.Trim()}".Trim() : beforeText;
        var stem = Text(format, stemRaw);

        var (block, generalFeedback) = SplitGeneralFeedback(answers, format);
        var trimmed = block.Trim();
        if (trimmed.Length == 0)
        {
            return new GiftQuestion(line, GiftQuestionKind.Essay, title, stem, embedded, generalFeedback, [], [], null, null, null, id, tags);
        }

        if (trimmed.StartsWith('#'))
        {
            return Numerical(line, title, stem, embedded, generalFeedback, trimmed[1..], format, id, tags);
        }

        if (TrueFalse().Match(trimmed) is { Success: true } tf)
        {
            var isTrue = tf.Groups[1].Value.StartsWith('T');
            var feedbacks = SplitUnescaped(tf.Groups[2].Value, '#').Skip(1).Select(f => Text(format, f)).ToList();
            return new GiftQuestion(line, GiftQuestionKind.TrueFalse, title, stem, embedded, generalFeedback, [], [],
                isTrue, feedbacks.ElementAtOrDefault(0), feedbacks.ElementAtOrDefault(1), id, tags);
        }

        // As in Moodle, a block without '=' or '~' is a short answer with that one right answer: {Paris}.
        var choices = Choices(trimmed);
        var single = choices.Count == 0;
        if (single)
        {
            choices.Add((true, trimmed));
        }

        if (!single && choices.All(c => c.Correct) && choices.All(c => IndexOfUnescaped(c.Body, "->", 0) >= 0))
        {
            var matches = choices.Select(c =>
            {
                var arrow = IndexOfUnescaped(c.Body, "->", 0);
                var (promptFormat, prompt) = SplitFormat(c.Body[..arrow]);
                return new GiftMatch(Text(promptFormat ?? format, prompt), Unescape(Collapse(c.Body[(arrow + 2)..])).Trim());
            }).ToList();
            return new GiftQuestion(line, GiftQuestionKind.Matching, title, stem, embedded, generalFeedback, [], matches, null, null, null, id, tags);
        }

        var kind = choices.Any(c => !c.Correct) ? GiftQuestionKind.MultipleChoice : GiftQuestionKind.ShortAnswer;
        var parsed = choices.Select(c =>
        {
            var (weight, body) = Weight(c.Body);
            var parts = SplitUnescaped(body, '#');
            var (choiceFormat, choiceText) = SplitFormat(parts[0]);
            var feedback = parts.Count > 1 ? Feedback(string.Join("#", parts.Skip(1)), format) : null;
            return new GiftChoice(c.Correct, weight, Text(choiceFormat ?? format, choiceText), null, feedback);
        }).ToList();
        return new GiftQuestion(line, kind, title, stem, embedded, generalFeedback, parsed, [], null, null, null, id, tags);
    }

    private static GiftQuestion Numerical(
        int line, string? title, GiftText stem, bool embedded, GiftText? generalFeedback, string block, string format, string? id, IReadOnlyList<string> tags)
    {
        var trimmed = block.Trim();
        if (!trimmed.StartsWith('=') && !trimmed.StartsWith('~'))
        {
            var parts = SplitUnescaped(trimmed, '#');
            var number = Number(parts[0]);
            var feedback = parts.Count > 1 ? Feedback(string.Join("#", parts.Skip(1)), format) : null;
            return new GiftQuestion(line, GiftQuestionKind.Numerical, title, stem, embedded, generalFeedback,
                [new GiftChoice(true, null, null, number, feedback)], [], null, null, null, id, tags)
            {
                SingleNumericAnswer = true,
            };
        }

        var choices = Choices(trimmed).Select(c =>
        {
            var (weight, body) = Weight(c.Body);
            var parts = SplitUnescaped(body, '#');
            var feedback = parts.Count > 1 ? Feedback(string.Join("#", parts.Skip(1)), format) : null;
            return new GiftChoice(c.Correct, weight, null, Number(parts[0]), feedback);
        }).ToList();
        return new GiftQuestion(line, GiftQuestionKind.Numerical, title, stem, embedded, generalFeedback, choices, [], null, null, null, id, tags);
    }

    private static GiftNumber Number(string raw)
    {
        var text = raw.Trim();
        var range = text.IndexOf("..", StringComparison.Ordinal);
        if (range > 0)
        {
            return new GiftNumber(null, null, ParseNumber(text[..range]), ParseNumber(text[(range + 2)..]));
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            ? new GiftNumber(ParseNumber(text[..colon]), ParseNumber(text[(colon + 1)..]), null, null)
            : new GiftNumber(ParseNumber(text), null, null, null);
    }

    private static double ParseNumber(string text) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new FormatException($"\"{text.Trim()}\" is not a number.");

    /// <summary>A leading <c>%n%</c> credit, read as a decimal so that Moodle's <c>%33.33333%</c> stays exact.</summary>
    private static (decimal? Weight, string Body) Weight(string body)
    {
        var trimmed = body.TrimStart();
        if (trimmed.StartsWith('%'))
        {
            var end = trimmed.IndexOf('%', 1);
            if (end > 0)
            {
                var text = trimmed[1..end].Trim();
                return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight)
                    ? (weight, trimmed[(end + 1)..])
                    : throw new FormatException($"\"{text}\" is not a number.");
            }
        }

        return (null, body);
    }

    /// <summary>The answers of a block: each starts at an unescaped '=' or '~'.</summary>
    private static List<(bool Correct, string Body)> Choices(string block)
    {
        var choices = new List<(bool, string)>();
        var start = -1;
        var correct = false;
        for (var i = 0; i < block.Length; i++)
        {
            if (IsEscape(block, i))
            {
                i++;
                continue;
            }

            // '=' right after '-' or '>' belongs to the text (as in "a -> b" answers it does not occur; "->" is the arrow).
            if (block[i] is '=' or '~' && !(block[i] == '=' && i > 0 && block[i - 1] == '-'))
            {
                if (start >= 0)
                {
                    choices.Add((correct, block[start..i]));
                }

                correct = block[i] == '=';
                start = i + 1;
            }
        }

        if (start >= 0)
        {
            choices.Add((correct, block[start..]));
        }

        return choices;
    }

    private static (string Block, GiftText? Feedback) SplitGeneralFeedback(string answers, string format)
    {
        var index = IndexOfUnescaped(answers, "####", 0);
        if (index < 0)
        {
            return (answers, null);
        }

        var (feedbackFormat, text) = SplitFormat(answers[(index + 4)..]);
        return (answers[..index], Text(feedbackFormat ?? format, text));
    }

    private static GiftText? Feedback(string raw, string format)
    {
        var (feedbackFormat, text) = SplitFormat(raw);
        var feedback = Text(feedbackFormat ?? format, text);
        return feedback.Text.Length == 0 ? null : feedback;
    }

    private static (string? Format, string Text) SplitFormat(string raw)
    {
        var trimmed = raw.TrimStart();
        var match = FormatMarker().Match(trimmed);
        return match.Success ? (match.Groups[1].Value, trimmed[match.Length..]) : (null, raw);
    }

    /// <summary>
    /// Final text: HTML and Markdown keep their line breaks and indentation (a &lt;pre&gt; block, a
    /// Markdown list); moodle and plain text fold runs of white space into one space. Escapes are
    /// resolved last, so <c>\n</c> is always a real line break.
    /// </summary>
    private static GiftText Text(string format, string raw)
    {
        var text = format is "markdown" or "html" ? raw.Trim() : Collapse(raw).Trim();
        return new GiftText(format, Unescape(text));
    }

    private static string Collapse(string raw) => Whitespace().Replace(raw, " ");

    /// <summary>
    /// Resolves GIFT's escapes as Moodle does: <c>\~ \= \# \{ \} \:</c> and <c>\\</c> stand for the
    /// character, <c>\n</c> for a line break. Before any other character the backslash is text, so
    /// LaTeX such as <c>$\pi$</c> or <c>\(\frac{a}{b}\)</c> keeps its commands.
    /// </summary>
    public static string Unescape(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (IsEscape(text, i))
            {
                var next = text[++i];
                result.Append(next == 'n' ? '\n' : next);
            }
            else
            {
                result.Append(text[i]);
            }
        }

        return result.ToString();
    }

    /// <summary>Whether a backslash at <paramref name="index"/> escapes the next character (rather than being text).</summary>
    private static bool IsEscape(string text, int index) =>
        text[index] == '\\' && index + 1 < text.Length && text[index + 1] is '\\' or '~' or '=' or '#' or '{' or '}' or ':' or 'n';

    private static int IndexOfUnescaped(string text, string token, int from)
    {
        for (var i = from; i <= text.Length - token.Length; i++)
        {
            if (IsEscape(text, i))
            {
                i++;
                continue;
            }

            if (string.CompareOrdinal(text, i, token, 0, token.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static List<string> SplitUnescaped(string text, char separator)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (IsEscape(text, i))
            {
                i++;
            }
            else if (text[i] == separator)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }

    [GeneratedRegex(@"\[id:([^\]]+)\]")]
    private static partial Regex IdComment();

    [GeneratedRegex(@"\[tag:([^\]]+)\]")]
    private static partial Regex TagComment();

    [GeneratedRegex(@"^\[(html|moodle|plain|markdown)\]")]
    private static partial Regex FormatMarker();

    [GeneratedRegex(@"^(TRUE|FALSE|T|F)\s*((?:#.*)?)$", RegexOptions.Singleline)]
    private static partial Regex TrueFalse();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
