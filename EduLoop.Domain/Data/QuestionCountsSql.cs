namespace EduLoop.Domain.Data;

/// <summary>
/// The <c>QuestionCounts</c> table: how many questions there are for each combination of the
/// filters a count can ask for (group, subject, category, subcategory, type, level, archived,
/// author). Triggers on <c>Questions</c> keep it in the same transaction as every write, whatever
/// makes it (EF, the bulk writer, an import, a move, a delete), so a count is a sum over a few
/// thousand rows instead of a scan of the bank. A question without a subcategory counts under
/// subcategory 0, one without an author under the empty author.
/// </summary>
internal static class QuestionCountsSql
{
    private const string Key = "\"GroupId\", \"SubjectId\", \"CategoryId\", \"SubCategoryId\", \"Type\", \"Level\", \"IsArchived\", \"CreatedById\"";

    private static string Values(string row) =>
        $"{row}.\"GroupId\", {row}.\"SubjectId\", {row}.\"CategoryId\", COALESCE({row}.\"SubCategoryId\", 0), {row}.\"Type\", {row}.\"Level\", {row}.\"IsArchived\", COALESCE({row}.\"CreatedById\", '')";

    private static string Matches(string row) =>
        $"\"GroupId\" = {row}.\"GroupId\" AND \"SubjectId\" = {row}.\"SubjectId\" AND \"CategoryId\" = {row}.\"CategoryId\" "
        + $"AND \"SubCategoryId\" = COALESCE({row}.\"SubCategoryId\", 0) AND \"Type\" = {row}.\"Type\" AND \"Level\" = {row}.\"Level\" "
        + $"AND \"IsArchived\" = {row}.\"IsArchived\" AND \"CreatedById\" = COALESCE({row}.\"CreatedById\", '')";

    private static string Add(string row) =>
        $"INSERT INTO \"QuestionCounts\" ({Key}, \"Count\") VALUES ({Values(row)}, 1) ON CONFLICT DO UPDATE SET \"Count\" = \"Count\" + 1;";

    private static string Remove(string row) =>
        $"UPDATE \"QuestionCounts\" SET \"Count\" = \"Count\" - 1 WHERE {Matches(row)}; DELETE FROM \"QuestionCounts\" WHERE {Matches(row)} AND \"Count\" = 0;";

    public const string InsertTriggerName = "QuestionCounts_Insert";

    /// <summary>Counts every question again; the bulk writer runs it after a load made without the insert trigger.</summary>
    public static readonly string Rebuild = $"""
        DELETE FROM "QuestionCounts";
        INSERT INTO "QuestionCounts" ({Key}, "Count")
            SELECT {Values("q")}, COUNT(*) FROM "Questions" AS q GROUP BY {Values("q")};
        """;

    public static readonly string Create = $"""
        CREATE TABLE "QuestionCounts" (
            "GroupId" INTEGER NOT NULL, "SubjectId" INTEGER NOT NULL, "CategoryId" INTEGER NOT NULL, "SubCategoryId" INTEGER NOT NULL,
            "Type" INTEGER NOT NULL, "Level" INTEGER NOT NULL, "IsArchived" INTEGER NOT NULL, "CreatedById" TEXT NOT NULL,
            "Count" INTEGER NOT NULL,
            PRIMARY KEY ({Key})) WITHOUT ROWID;
        INSERT INTO "QuestionCounts" ({Key}, "Count")
            SELECT {Values("q")}, COUNT(*) FROM "Questions" AS q GROUP BY {Values("q")};
        CREATE TRIGGER "QuestionCounts_Insert" AFTER INSERT ON "Questions" BEGIN {Add("NEW")} END;
        CREATE TRIGGER "QuestionCounts_Delete" AFTER DELETE ON "Questions" BEGIN {Remove("OLD")} END;
        CREATE TRIGGER "QuestionCounts_Update" AFTER UPDATE OF "GroupId", "SubjectId", "CategoryId", "SubCategoryId", "Type", "Level", "IsArchived", "CreatedById" ON "Questions"
            BEGIN {Remove("OLD")} {Add("NEW")} END;
        """;

    public const string Drop = """
        DROP TRIGGER "QuestionCounts_Update";
        DROP TRIGGER "QuestionCounts_Delete";
        DROP TRIGGER "QuestionCounts_Insert";
        DROP TABLE "QuestionCounts";
        """;
}
