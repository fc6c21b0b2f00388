namespace EduLoop.Domain.Data;

/// <summary>
/// The SQL of the questions' full-text index (SQLite FTS5, external content). The migration creates it;
/// the bulk writer drops the insert trigger while it loads and rebuilds the index once at the end.
/// </summary>
internal static class QuestionSearchSql
{
    public const string Table = "QuestionSearch";

    public const string InsertTriggerName = "Questions_search_insert";

    public const string CreateTable =
        "CREATE VIRTUAL TABLE \"QuestionSearch\" USING fts5(\"Title\", \"Stem\", content='Questions', content_rowid='Id', tokenize='unicode61 remove_diacritics 2');";

    public const string InsertTrigger =
        "CREATE TRIGGER \"Questions_search_insert\" AFTER INSERT ON \"Questions\" BEGIN " +
        "INSERT INTO \"QuestionSearch\"(rowid, \"Title\", \"Stem\") VALUES (new.\"Id\", new.\"Title\", new.\"Stem\"); END;";

    public const string DeleteTrigger =
        "CREATE TRIGGER \"Questions_search_delete\" AFTER DELETE ON \"Questions\" BEGIN " +
        "INSERT INTO \"QuestionSearch\"(\"QuestionSearch\", rowid, \"Title\", \"Stem\") VALUES ('delete', old.\"Id\", old.\"Title\", old.\"Stem\"); END;";

    public const string UpdateTrigger =
        "CREATE TRIGGER \"Questions_search_update\" AFTER UPDATE OF \"Title\", \"Stem\" ON \"Questions\" BEGIN " +
        "INSERT INTO \"QuestionSearch\"(\"QuestionSearch\", rowid, \"Title\", \"Stem\") VALUES ('delete', old.\"Id\", old.\"Title\", old.\"Stem\"); " +
        "INSERT INTO \"QuestionSearch\"(rowid, \"Title\", \"Stem\") VALUES (new.\"Id\", new.\"Title\", new.\"Stem\"); END;";

    public const string Rebuild = "INSERT INTO \"QuestionSearch\"(\"QuestionSearch\") VALUES ('rebuild');";

    /// <summary>
    /// A user's words as an FTS5 query: every word must occur, each as a prefix, quoted so that FTS5's
    /// own syntax (AND, NEAR, *, ^, column filters) in the input is only text. Null when nothing is left.
    /// </summary>
    public static string? MatchQuery(string? text)
    {
        var words = (text ?? "")
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(c => char.IsLetterOrDigit(c) || c is '\'' or '-' or '_').ToArray()).Trim('\'', '-', '_'))
            .Where(w => w.Length > 0)
            .Take(16)
            .ToList();
        return words.Count == 0 ? null : string.Join(" ", words.Select(w => "\"" + w.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"*"));
    }
}
