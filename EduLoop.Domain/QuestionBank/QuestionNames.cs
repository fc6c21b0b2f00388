namespace EduLoop.Domain.QuestionBank;

/// <summary>The wire names of levels and types, as the original service spells them.</summary>
public static class QuestionNames
{
    private static readonly string[] _levelNames = ["easy", "medium", "advance"];
    private static readonly string[] _typeNames =
        ["mcq", "mcq_multi", "true_false", "fill_blank", "math", "matching", "writing", "description"];

    public static IReadOnlyList<string> LevelNames => _levelNames;
    public static IReadOnlyList<string> TypeNames => _typeNames;

    public static string ToName(this QuestionLevel level) => _levelNames[(int)level];
    public static string ToName(this QuestionType type) => _typeNames[(int)type];

    public static bool TryParseLevel(string? name, out QuestionLevel level)
    {
        var index = Array.IndexOf(_levelNames, name?.Trim().ToLowerInvariant());
        level = index < 0 ? default : (QuestionLevel)index;
        return index >= 0;
    }

    public static bool TryParseType(string? name, out QuestionType type)
    {
        var index = Array.IndexOf(_typeNames, name?.Trim().ToLowerInvariant());
        type = index < 0 ? default : (QuestionType)index;
        return index >= 0;
    }
}
