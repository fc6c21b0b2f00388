using EduLoop.Domain.QuestionBank;

namespace EduLoop.Domain.Formats;

/// <summary>The file formats EduLoop reads and writes.</summary>
public enum QuestionFormat
{
    Gift,
    Aiken,
    MoodleXml,
    Csv,
    Json,
}

/// <summary>Where a question goes: group, subject, category and optional subcategory, by name.</summary>
public sealed record ImportTarget(string Group, string Subject, string Category, string? SubCategory)
{
    public override string ToString() => string.Join(" / ", new[] { Group, Subject, Category, SubCategory }.OfType<string>());

    /// <summary>
    /// A path such as <c>Group/Subject/Category/Subcategory</c> as a target; null when it names fewer
    /// than three levels. Moodle's <c>$course$</c>-style contexts and its <c>top</c> level are dropped;
    /// levels beyond the fourth become part of the subcategory's name.
    /// </summary>
    public static ImportTarget? FromPath(string? path)
    {
        if (path is null)
        {
            return null;
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SkipWhile(p => p is "$course$" or "$system$" or "$module$" or "$coursecategory$")
            .SkipWhile(p => p == "top")
            .ToList();
        return parts.Count < 3 ? null : new ImportTarget(parts[0], parts[1], parts[2], parts.Count > 3 ? string.Join(" / ", parts.Skip(3)) : null);
    }

    /// <summary>The path as the formats write it, with the levels separated by '/'.</summary>
    public string ToPath() => string.Join("/", new[] { Group, Subject, Category, SubCategory }.OfType<string>());
}

/// <summary>Something read from a file, at a line: a question or an error.</summary>
public abstract record ImportItem(int Line);

/// <summary>
/// A question read from a file. <see cref="Target"/> and <see cref="Level"/> are null when the file
/// does not say; the import's defaults fill them in.
/// </summary>
public sealed record ParsedQuestion(int Line, QuestionType Type, string Title, string Stem, QuestionBody Body) : ImportItem(Line)
{
    public QuestionLevel? Level { get; init; }
    public ImportTarget? Target { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? ExternalId { get; init; }

    /// <summary>Images that came inside the file, by the name the text refers to them with (<c>@@PLUGINFILE@@/name</c>).</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; init; } = NoFiles;

    private static readonly Dictionary<string, byte[]> NoFiles = [];
}

/// <summary>A problem in a file, where it is (1-based line and column; column 0 when unknown) and what a teacher can do about it.</summary>
public sealed record ImportError(int Line, int Column, string Message) : ImportItem(Line);

/// <summary>A question of the bank to write into a file.</summary>
public sealed record ExportedQuestion(
    int Id, QuestionType Type, QuestionLevel Level, string Title, string Stem, QuestionBody Body, ImportTarget Target, IReadOnlyList<string> Tags);

/// <summary>Writes questions one at a time; an instance serves one file.</summary>
public interface IQuestionWriter
{
    void WriteStart(TextWriter output);

    /// <summary>Writes the question, or returns false when the format cannot hold it.</summary>
    bool Write(ExportedQuestion question, TextWriter output);

    void WriteEnd(TextWriter output);
}

/// <summary>One file format: how to read it, how to write it, how it is named.</summary>
public interface IQuestionFormat
{
    QuestionFormat Format { get; }

    /// <summary>The file name extension, with its dot.</summary>
    string Extension { get; }

    string ContentType { get; }

    /// <summary>
    /// Reads the questions of a file as they come: a file of any size is read with the memory of one
    /// question. Bad parts become <see cref="ImportError"/>s; reading never throws for bad input.
    /// </summary>
    IEnumerable<ImportItem> Read(Stream stream, CancellationToken cancellationToken = default);

    IQuestionWriter CreateWriter();
}
