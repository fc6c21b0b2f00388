namespace EduLoop.Domain.QuestionBank;

public static class QuestionText
{
    private const int TitleWords = 12;

    /// <summary>A list title from a Markdown stem: its first words, without Markdown and math markers.</summary>
    public static string TitleOf(string stem)
    {
        var words = stem
            .Replace("$$", " ", StringComparison.Ordinal)
            .Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Trim('*', '_', '#', '>', '`'))
            .Where(w => w.Length > 0)
            .Take(TitleWords + 1)
            .ToList();
        var title = string.Join(' ', words.Take(TitleWords));
        if (words.Count > TitleWords)
        {
            title += " …";
        }

        return title.Length <= Limits.TitleLength ? title : title[..(Limits.TitleLength - 1)] + "…";
    }
}
