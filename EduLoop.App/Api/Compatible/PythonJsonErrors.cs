using System.Globalization;
using System.Text.RegularExpressions;

namespace EduLoop.App.Api.Compatible;

/// <summary>
/// Where and why a JSON text is malformed, in the words of Python's <c>json</c> module, which the
/// original's "JSON parse error - …" answers quoted: "Expecting value: line 1 column 10 (char 9)".
/// Positions count characters, as Python does.
/// </summary>
public static partial class PythonJsonErrors
{
    /// <summary>Python's message for <paramref name="text"/>, or null when Python would read it.</summary>
    public static string? Describe(string text)
    {
        try
        {
            var end = Value(text, SkipSpace(text, 0));
            end = SkipSpace(text, end);
            return end < text.Length ? At("Extra data", text, end) : null;
        }
        catch (MalformedAt e)
        {
            return At(e.Message, text, e.Position);
        }
    }

    private static string At(string message, string text, int position)
    {
        var line = text.AsSpan(0, position).Count('\n') + 1;
        var column = line == 1 ? position + 1 : position - text.LastIndexOf('\n', position - 1);
        return string.Create(CultureInfo.InvariantCulture, $"{message}: line {line} column {column} (char {position})");
    }

    /// <summary>Reads one value starting at <paramref name="at"/> (no space before it) and gives where it ends.</summary>
    private static int Value(string text, int at)
    {
        if (at >= text.Length)
        {
            throw new MalformedAt("Expecting value", at);
        }

        switch (text[at])
        {
            case '"':
                return String(text, at);
            case '{':
                return Object(text, at);
            case '[':
                return Array(text, at);
        }

        foreach (var literal in (string[])["null", "true", "false", "NaN", "Infinity", "-Infinity"])
        {
            if (string.CompareOrdinal(text, at, literal, 0, literal.Length) == 0)
            {
                return at + literal.Length;
            }
        }

        var number = NumberPattern().Match(text, at);
        return number.Success && number.Index == at ? at + number.Length : throw new MalformedAt("Expecting value", at);
    }

    private static int Object(string text, int at)
    {
        var i = SkipSpace(text, at + 1);
        if (i < text.Length && text[i] == '}')
        {
            return i + 1;
        }

        while (true)
        {
            if (i >= text.Length || text[i] != '"')
            {
                throw new MalformedAt("Expecting property name enclosed in double quotes", i);
            }

            i = SkipSpace(text, String(text, i));
            if (i >= text.Length || text[i] != ':')
            {
                throw new MalformedAt("Expecting ':' delimiter", i);
            }

            i = SkipSpace(text, Value(text, SkipSpace(text, i + 1)));
            if (i < text.Length && text[i] == '}')
            {
                return i + 1;
            }

            if (i >= text.Length || text[i] != ',')
            {
                throw new MalformedAt("Expecting ',' delimiter", i);
            }

            i = SkipSpace(text, i + 1);
        }
    }

    private static int Array(string text, int at)
    {
        var i = SkipSpace(text, at + 1);
        if (i < text.Length && text[i] == ']')
        {
            return i + 1;
        }

        while (true)
        {
            i = SkipSpace(text, Value(text, i));
            if (i < text.Length && text[i] == ']')
            {
                return i + 1;
            }

            if (i >= text.Length || text[i] != ',')
            {
                throw new MalformedAt("Expecting ',' delimiter", i);
            }

            i = SkipSpace(text, i + 1);
        }
    }

    private static int String(string text, int at)
    {
        for (var i = at + 1; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '"':
                    return i + 1;
                case '\\':
                    if (i + 1 >= text.Length)
                    {
                        throw new MalformedAt("Unterminated string starting at", at);
                    }

                    if (text[i + 1] == 'u')
                    {
                        if (i + 6 > text.Length || !text.AsSpan(i + 2, 4).ToString().All(char.IsAsciiHexDigit))
                        {
                            throw new MalformedAt("Invalid \\uXXXX escape", i + 1);
                        }

                        i += 5;
                    }
                    else if ("\"\\/bfnrt".Contains(text[i + 1], StringComparison.Ordinal))
                    {
                        i++;
                    }
                    else
                    {
                        throw new MalformedAt("Invalid \\escape", i);
                    }

                    break;
                case < ' ':
                    throw new MalformedAt("Invalid control character at", i);
            }
        }

        throw new MalformedAt("Unterminated string starting at", at);
    }

    private static int SkipSpace(string text, int at)
    {
        while (at < text.Length && text[at] is ' ' or '\t' or '\n' or '\r')
        {
            at++;
        }

        return at;
    }

    [GeneratedRegex(@"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")]
    private static partial Regex NumberPattern();

    private sealed class MalformedAt(string message, int position) : Exception(message)
    {
        public int Position { get; } = position;
    }
}
