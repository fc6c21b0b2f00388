using System.Text;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.Domain.Formats.Gift;

/// <summary>GIFT as an import and export format: <c>$CATEGORY</c> lines carry the place in the bank, <c>// [tag:…]</c> the tags.</summary>
public sealed class GiftFormat : IQuestionFormat
{
    public QuestionFormat Format => QuestionFormat.Gift;

    public string Extension => ".gift.txt";

    public string ContentType => "text/plain; charset=utf-8";

    public IEnumerable<ImportItem> Read(Stream stream, CancellationToken cancellationToken = default) =>
        FormatReading.ReadText(stream, reader => ReadItems(reader, cancellationToken));

    private static IEnumerable<ImportItem> ReadItems(CheckedLineReader reader, CancellationToken cancellationToken)
    {
        ImportTarget? target = null;
        foreach (var (item, error) in GiftParser.Read(reader))
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (item)
            {
                case null:
                    yield return new ImportError(error!.Line, 0, error.Message);
                    break;
                case GiftCategory category:
                    target = ImportTarget.FromPath(category.Path);
                    if (target is null)
                    {
                        yield return new ImportError(category.Line, 0,
                            $"\"$CATEGORY: {category.Path}\" names fewer than three levels; EduLoop needs group/subject/category.");
                    }

                    break;
                case GiftQuestion question:
                    var mapped = GiftMapping.ToQuestion(question);
                    yield return new ParsedQuestion(question.Line, mapped.Type, mapped.Title, mapped.Stem, mapped.Body)
                    {
                        Target = target,
                        Tags = mapped.Tags,
                        ExternalId = question.Id,
                    };
                    break;
            }
        }
    }

    public IQuestionWriter CreateWriter() => new Writer();

    private sealed class Writer : IQuestionWriter
    {
        private ImportTarget? _target;
        private readonly StringBuilder _buffer = new();

        public void WriteStart(TextWriter output)
        {
        }

        public bool Write(ExportedQuestion question, TextWriter output)
        {
            if (!GiftWriter.CanWrite(question.Type, question.Body))
            {
                return false;
            }

            if (question.Target != _target)
            {
                _target = question.Target;
                output.Write("$CATEGORY: $course$/top/");
                output.Write(question.Target.ToPath());
                output.Write("\n\n");
            }

            foreach (var tag in question.Tags)
            {
                output.Write("// [tag:");
                output.Write(tag.Replace("]", "", StringComparison.Ordinal));
                output.Write("]\n");
            }

            _buffer.Clear();
            GiftWriter.Write(_buffer, question.Title, question.Type, question.Stem, question.Body);
            output.Write(_buffer);
            output.Write('\n');
            return true;
        }

        public void WriteEnd(TextWriter output)
        {
        }
    }
}
