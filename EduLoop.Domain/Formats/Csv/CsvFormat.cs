using System.Globalization;
using System.Text;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.Domain.Formats.Csv;

/// <summary>
/// One question per row, for spreadsheets. UTF-8 with or without a byte order mark; ',' or ';'
/// between cells (whichever the header uses); quotes as in RFC 4180. The header names the columns,
/// in any order: <c>type</c> and <c>text</c> are required, <c>level, group, subject, category,
/// subcategory, title, options, answer, feedback, general_feedback, case_sensitive, tags, id</c> are
/// optional. Inside a cell, items are separated by '|'; a leading <c>%n%</c> gives an item's credit
/// in percent. docs/import-formats.md describes every type's cells.
/// </summary>
public sealed class CsvFormat : IQuestionFormat
{
    public static readonly string[] Columns =
    [
        "id", "type", "level", "group", "subject", "category", "subcategory", "title", "text",
        "options", "answer", "feedback", "general_feedback", "case_sensitive", "tags",
    ];

    /// <summary>The longest cell read; longer ones are an error, so one runaway quote cannot fill the memory.</summary>
    public const int MaxCellLength = 1 << 20;

    public QuestionFormat Format => QuestionFormat.Csv;

    public string Extension => ".csv";

    public string ContentType => "text/csv; charset=utf-8";

    public IEnumerable<ImportItem> Read(Stream stream, CancellationToken cancellationToken = default) =>
        FormatReading.ReadText(stream, reader => ReadItems(reader, cancellationToken), charactersRead: true);

    private static IEnumerable<ImportItem> ReadItems(CheckedLineReader reader, CancellationToken cancellationToken)
    {
        var headerLine = reader.ReadLine();
        if (headerLine is null || headerLine.Trim().Length == 0)
        {
            yield return new ImportError(1, 0, $"The first row must name the columns, for example: {string.Join(",", Columns)}.");
            yield break;
        }

        var delimiter = headerLine.Count(c => c == ';') > headerLine.Count(c => c == ',') ? ';' : ',';
        var header = new RecordReader(new StringReader(headerLine), delimiter).Next()!.Cells
            .Select(h => h.Trim().ToLowerInvariant()).ToList();
        var unknown = header.Where(h => !Columns.Contains(h)).ToList();
        if (!header.Contains("type") || !header.Contains("text") || unknown.Count > 0)
        {
            var problem = unknown.Count > 0 ? $"Unknown column \"{unknown[0]}\"" : "The columns \"type\" and \"text\" are required";
            yield return new ImportError(1, 0, $"{problem}. Columns: {string.Join(", ", Columns)}.");
            yield break;
        }

        var records = new RecordReader(reader, delimiter, firstLine: 2);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var record = records.Next();
            if (record is null)
            {
                yield break;
            }

            if (record.Error is { } error)
            {
                yield return error;
                continue;
            }

            if (record.Cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            yield return RowReader.Read(record.Line, header, record.Cells);
        }
    }

    public IQuestionWriter CreateWriter() => new CsvWriter();

    /// <summary>A row: its cells, or the error that spoiled it, and the line it starts on.</summary>
    private sealed record Record(int Line, List<string> Cells, ImportError? Error);

    /// <summary>RFC 4180 records from a character stream: quoted cells may hold the delimiter, quotes ("") and line breaks.</summary>
    private sealed class RecordReader(TextReader text, char delimiter, int firstLine = 1)
    {
        private int _line = firstLine;

        public Record? Next()
        {
            var cells = new List<string>();
            var cell = new StringBuilder();
            var start = _line;
            var quoted = false;
            var quoteLine = 0;
            var c = text.Read();
            if (c < 0)
            {
                return null;
            }

            while (true)
            {
                if (quoted)
                {
                    if (c < 0)
                    {
                        return new Record(start, cells, new ImportError(quoteLine, cells.Count + 1,
                            "A quoted cell is not closed: a '\"' is missing before the end of the file."));
                    }

                    if (c == '"')
                    {
                        if (text.Peek() == '"')
                        {
                            text.Read();
                            cell.Append('"');
                        }
                        else
                        {
                            quoted = false;
                        }
                    }
                    else
                    {
                        if (c == '\n')
                        {
                            _line++;
                        }

                        cell.Append((char)c);
                    }
                }
                else if (c == delimiter)
                {
                    cells.Add(cell.ToString());
                    cell.Clear();
                }
                else if (c is '\n' or < 0)
                {
                    if (c == '\n')
                    {
                        _line++;
                    }

                    cells.Add(cell.ToString());
                    return new Record(start, cells, null);
                }
                else if (c == '"' && cell.Length == 0)
                {
                    quoted = true;
                    quoteLine = _line;
                }
                else if (c != '\r')
                {
                    cell.Append((char)c);
                }

                if (cell.Length > MaxCellLength)
                {
                    SkipRecord(quoted);
                    return new Record(start, cells, new ImportError(start, cells.Count + 1,
                        $"A cell is longer than {MaxCellLength / 1024} KB{(quoted ? "; is a closing '\"' missing?" : ".")}"));
                }

                c = text.Read();
            }
        }

        private void SkipRecord(bool quoted)
        {
            int c;
            while ((c = text.Read()) >= 0)
            {
                if (c == '\n')
                {
                    _line++;
                    if (!quoted)
                    {
                        return;
                    }
                }
                else if (c == '"')
                {
                    quoted = !quoted;
                }
            }
        }
    }
}
