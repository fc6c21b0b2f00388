using EduLoop.Domain.Formats.Aiken;
using EduLoop.Domain.Formats.Csv;
using EduLoop.Domain.Formats.Gift;
using EduLoop.Domain.Formats.Json;
using EduLoop.Domain.Formats.MoodleXml;
using EduLoop.Domain.Media;

namespace EduLoop.Domain.Formats;

/// <summary>Every format by its value and by the name the API and the command line use.</summary>
public sealed class QuestionFormats(MediaStore media)
{
    private static readonly Dictionary<string, QuestionFormat> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["gift"] = QuestionFormat.Gift,
        ["aiken"] = QuestionFormat.Aiken,
        ["moodlexml"] = QuestionFormat.MoodleXml,
        ["xml"] = QuestionFormat.MoodleXml,
        ["csv"] = QuestionFormat.Csv,
        ["json"] = QuestionFormat.Json,
    };

    public static IReadOnlyList<QuestionFormat> All { get; } = Enum.GetValues<QuestionFormat>();

    public static string NameOf(QuestionFormat format) => format switch
    {
        QuestionFormat.MoodleXml => "moodlexml",
        _ => format.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string? name, out QuestionFormat format) => Names.TryGetValue(name?.Trim() ?? "", out format);

    /// <summary>The format a file name suggests, or null.</summary>
    public static QuestionFormat? FromFileName(string fileName)
    {
        var name = fileName.ToLowerInvariant();
        return name switch
        {
            _ when name.EndsWith(".gift", StringComparison.Ordinal) || name.EndsWith(".gift.txt", StringComparison.Ordinal) => QuestionFormat.Gift,
            _ when name.EndsWith(".aiken.txt", StringComparison.Ordinal) || name.EndsWith(".aiken", StringComparison.Ordinal) => QuestionFormat.Aiken,
            _ when name.EndsWith(".xml", StringComparison.Ordinal) => QuestionFormat.MoodleXml,
            _ when name.EndsWith(".csv", StringComparison.Ordinal) => QuestionFormat.Csv,
            _ when name.EndsWith(".json", StringComparison.Ordinal) => QuestionFormat.Json,
            _ => null,
        };
    }

    public IQuestionFormat Get(QuestionFormat format) => format switch
    {
        QuestionFormat.Gift => new GiftFormat(),
        QuestionFormat.Aiken => new AikenQuestionFormat(),
        QuestionFormat.MoodleXml => new MoodleXmlFormat(name => media.PathOf(name) is { } path ? File.ReadAllBytes(path) : null),
        QuestionFormat.Csv => new CsvFormat(),
        QuestionFormat.Json => new BulkJsonFormat(),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
