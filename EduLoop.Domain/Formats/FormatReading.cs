using System.Text;
using System.Text.Json;
using System.Xml;

namespace EduLoop.Domain.Formats;

/// <summary>What every reader shares: strict UTF-8 text, binary detection and errors that end a file.</summary>
internal static class FormatReading
{
    /// <summary>
    /// UTF-8 with or without a byte order mark (UTF-16 when its mark says so). Bytes that are not
    /// UTF-8 decode to U+FFFD, which <see cref="CheckedLineReader"/> reports with its line.
    /// </summary>
    public static CheckedLineReader OpenText(Stream stream) =>
        new(new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true));

    /// <summary>
    /// Reads a text format: strict UTF-8 lines, the reader closed at the end, what stops the file
    /// turned into an error. <paramref name="charactersRead"/>: the format reads characters, not lines,
    /// so the line being read is one past the line breaks counted.
    /// </summary>
    public static IEnumerable<ImportItem> ReadText(Stream stream, Func<CheckedLineReader, IEnumerable<ImportItem>> read, bool charactersRead = false)
    {
        var reader = OpenText(stream);
        return Guarded(Disposing(reader, read(reader)), () => reader.Line + (charactersRead ? 1 : 0));
    }

    private static IEnumerable<ImportItem> Disposing(IDisposable resource, IEnumerable<ImportItem> items)
    {
        using (resource)
        {
            foreach (var item in items)
            {
                yield return item;
            }
        }
    }

    /// <summary>
    /// Runs a reader and turns what stops a whole file (not UTF-8, binary, XML or JSON that breaks
    /// off, cancellation aside) into a last <see cref="ImportError"/> instead of an exception.
    /// </summary>
    public static IEnumerable<ImportItem> Guarded(IEnumerable<ImportItem> items, Func<int> currentLine)
    {
        using var enumerator = items.GetEnumerator();
        while (true)
        {
            ImportItem? item = null;
            ImportError? fatal = null;
            try
            {
                if (!enumerator.MoveNext())
                {
                    yield break;
                }

                item = enumerator.Current;
            }
            catch (InvalidDataException e)
            {
                fatal = new ImportError(Math.Max(1, currentLine()), 0, e.Message);
            }
            catch (XmlException e)
            {
                fatal = new ImportError(Math.Max(1, e.LineNumber), e.LinePosition, $"The XML is not well formed: {e.Message}");
            }
            catch (JsonException e)
            {
                fatal = new ImportError((int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, $"The JSON is not valid: {FirstSentence(e.Message)}");
            }

            if (fatal is not null)
            {
                yield return fatal;
                yield break;
            }

            yield return item!;
        }
    }

    public const string EncodingMessage = "The file is not UTF-8 text here. Save it as UTF-8 (\"CSV UTF-8\" in spreadsheets) and try again.";

    public const string BinaryMessage = "This is not a text file. Choose the exported text file (GIFT, Aiken, Moodle XML, CSV or JSON).";

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}

/// <summary>
/// A text reader that counts lines and refuses NUL characters (no text format has them) and
/// U+FFFD (what bytes that are not UTF-8 decode to).
/// </summary>
internal sealed class CheckedLineReader(TextReader inner) : TextReader
{
    /// <summary>The number of the line last read (1-based), or of the line being read.</summary>
    public int Line { get; private set; }

    public override string? ReadLine()
    {
        Line++;
        var line = inner.ReadLine();
        if (line is null)
        {
            Line--;
            return null;
        }

        return line.AsSpan().IndexOfAny('\0', '\uFFFD') < 0 ? line
            : line.Contains('\0', StringComparison.Ordinal) ? throw new InvalidDataException(FormatReading.BinaryMessage)
            : throw new InvalidDataException(FormatReading.EncodingMessage);
    }

    public override int Peek() => inner.Peek();

    public override int Read()
    {
        var c = inner.Read();
        if (c == '\n')
        {
            Line++;
        }

        return c switch
        {
            '\0' => throw new InvalidDataException(FormatReading.BinaryMessage),
            '\uFFFD' => throw new InvalidDataException(FormatReading.EncodingMessage),
            _ => c,
        };
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
