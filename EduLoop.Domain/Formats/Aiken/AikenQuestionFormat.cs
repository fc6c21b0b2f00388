using EduLoop.Domain.QuestionBank;

namespace EduLoop.Domain.Formats.Aiken;

/// <summary>Aiken as an import and export format: single-answer multiple choice only, no place in the bank, no feedback.</summary>
public sealed class AikenQuestionFormat : IQuestionFormat
{
    public QuestionFormat Format => QuestionFormat.Aiken;

    public string Extension => ".aiken.txt";

    public string ContentType => "text/plain; charset=utf-8";

    public IEnumerable<ImportItem> Read(Stream stream, CancellationToken cancellationToken = default) =>
        FormatReading.ReadText(stream, reader => ReadItems(reader, cancellationToken));

    private static IEnumerable<ImportItem> ReadItems(CheckedLineReader reader, CancellationToken cancellationToken)
    {
        foreach (var item in AikenFormat.Read(reader))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (item.Question is { } question)
            {
                var (type, stem, body) = AikenFormat.ToQuestion(question);
                yield return new ParsedQuestion(question.Line, type, QuestionText.TitleOf(stem), stem, body);
            }
            else
            {
                yield return new ImportError(item.Error!.Line, 0, item.Error.Message);
            }
        }
    }

    public IQuestionWriter CreateWriter() => new Writer();

    private sealed class Writer : IQuestionWriter
    {
        public void WriteStart(TextWriter output)
        {
        }

        public bool Write(ExportedQuestion question, TextWriter output)
        {
            var (text, skipped) = AikenFormat.Write([(question.Type, question.Stem, question.Body)]);
            if (skipped.Count > 0)
            {
                return false;
            }

            output.Write(text);
            return true;
        }

        public void WriteEnd(TextWriter output)
        {
        }
    }
}
