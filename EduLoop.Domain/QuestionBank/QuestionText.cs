using System.Text;

namespace EduLoop.Domain.QuestionBank;

/// <summary>One piece of a text: plain words, or the TeX of one <c>$…$</c> (or <c>$$…$$</c>) in it.</summary>
public readonly record struct TextPart(string Text, bool IsMath, bool IsDisplay = false);

public static class QuestionText
{
    private const int TitleWords = 12;

    /// <summary>
    /// A list title from a Markdown stem: its first words, without Markdown markers. Math counts as one word
    /// and stays whole (display math becomes inline math), so a title never holds half a formula.
    /// </summary>
    public static string TitleOf(string stem)
    {
        // Each word with whether a space stood before it, so that "$x$." stays together.
        var words = new List<(string Text, bool Spaced)>();
        var spaced = true;
        foreach (var part in Parts(stem))
        {
            if (part.IsMath)
            {
                words.Add(("$" + part.Text.Trim() + "$", spaced));
                spaced = false;
                continue;
            }

            var first = !char.IsWhiteSpace(part.Text[0]);
            foreach (var word in part.Text.Split(Spaces, StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim(Markers)))
            {
                if (word.Length > 0)
                {
                    words.Add((word, !first || spaced));
                }

                first = false;
            }

            var rest = part.Text.TrimEnd(Markers);
            spaced = rest.Length == 0 ? spaced : char.IsWhiteSpace(rest[^1]);
        }

        var title = new StringBuilder();
        var shown = 0;
        foreach (var (word, space) in words)
        {
            if (shown == 0 && word.Length > Limits.TitleLength - 2)
            {
                // A single word or formula longer than a title: the word's start, or no half formula.
                return word.StartsWith('$') ? "…" : word[..(Limits.TitleLength - 1)] + "…";
            }

            if (shown == TitleWords || title.Length + word.Length + 1 > Limits.TitleLength - 2)
            {
                return title.Append(" …").ToString();
            }

            title.Append(shown++ == 0 || !space ? "" : " ").Append(word);
        }

        return title.ToString();
    }

    private static readonly char[] Spaces = [' ', '\n', '\r', '\t'];

    /// <summary>Markdown's marks around words (emphasis, headings, quotes, code), which a title leaves out.</summary>
    private static readonly char[] Markers = ['*', '_', '#', '>', '`'];

    /// <summary>
    /// The text and the math of a plain text (an answer, a title), read as Markdown reads math: <c>$$…$$</c>,
    /// or <c>$…$</c> whose opening <c>$</c> is not followed by a space and whose closing one is neither after
    /// a space nor before a digit, on one line. <c>\$</c> is a dollar sign; a <c>$</c> that closes nothing is text.
    /// Joined again, the parts give the text back (math with its dollars).
    /// </summary>
    public static IReadOnlyList<TextPart> Parts(string? text)
    {
        var parts = new List<TextPart>();
        if (string.IsNullOrEmpty(text))
        {
            return parts;
        }

        var plain = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && text[i + 1] == '$')
            {
                plain.Append("\\$");
                i += 2;
                continue;
            }

            if (c == '$' && MathAt(text, i) is { } math)
            {
                if (plain.Length > 0)
                {
                    parts.Add(new TextPart(plain.ToString(), false));
                    plain.Clear();
                }

                parts.Add(math.Part);
                i = math.End;
                continue;
            }

            plain.Append(c);
            i++;
        }

        if (plain.Length > 0)
        {
            parts.Add(new TextPart(plain.ToString(), false));
        }

        return parts;
    }

    /// <summary>The math that starts at <paramref name="start"/> (a <c>$</c>) and the index after its closing dollars; null when none starts there.</summary>
    private static (TextPart Part, int End)? MathAt(string text, int start)
    {
        var display = start + 1 < text.Length && text[start + 1] == '$';
        var from = start + (display ? 2 : 1);
        if (from >= text.Length || (!display && char.IsWhiteSpace(text[from])))
        {
            return null;
        }

        for (var j = from; j < text.Length; j++)
        {
            var c = text[j];
            if (c == '\\')
            {
                // \$ (and every other escape) inside math belongs to the TeX.
                j++;
                continue;
            }

            if (!display && c is '\n' or '\r')
            {
                return null;
            }

            if (c != '$')
            {
                continue;
            }

            if (display)
            {
                if (j + 1 < text.Length && text[j + 1] == '$' && j > from)
                {
                    return (new TextPart(text[from..j], true, true), j + 2);
                }

                continue;
            }

            if (char.IsWhiteSpace(text[j - 1]) || (j + 1 < text.Length && char.IsAsciiDigit(text[j + 1])))
            {
                continue;
            }

            return j > from ? (new TextPart(text[from..j], true), j + 1) : null;
        }

        return null;
    }
}
