namespace EduLoop.Domain.Quizzes.Statistics;

/// <summary>How many attempts chose one option of a question.</summary>
public sealed record ChoiceCount(string Choice, int Count);

/// <summary>The response counts under a question's statistics: how often each option was chosen.</summary>
public static class ChoiceTally
{
    /// <summary>
    /// One count per option, in the options' order (options nobody chose count 0), then any other
    /// response given, most frequent first. Null or empty responses (not answered) are not counted.
    /// </summary>
    public static IReadOnlyList<ChoiceCount> Count(IEnumerable<string> options, IEnumerable<string?> chosen)
    {
        var counts = chosen.Where(c => !string.IsNullOrEmpty(c)).GroupBy(c => c!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var listed = options.Distinct(StringComparer.Ordinal).ToList();
        var others = counts.Where(c => !listed.Contains(c.Key, StringComparer.Ordinal))
            .OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new ChoiceCount(c.Key, c.Value));
        return [.. listed.Select(o => new ChoiceCount(o, counts.GetValueOrDefault(o))), .. others];
    }
}
