namespace EduLoop.Domain.Data;

/// <summary>
/// The <c>QuestionTagCounts</c> table: how many questions carry each tag, for each combination of the
/// filters <see cref="QuestionCountsSql"/> keeps. Triggers keep it in the same transaction as every
/// write: a tag given or taken (<c>QuestionTags</c>, a deleted tag's rows included), a tagged question
/// moved, retyped, archived or deleted. So a count filtered by a tag is a sum too.
/// </summary>
internal static class QuestionTagCountsSql
{
    private const string Filters = "\"GroupId\", \"SubjectId\", \"CategoryId\", \"SubCategoryId\", \"Type\", \"Level\", \"IsArchived\", \"CreatedById\"";

    private const string Key = "\"TagId\", " + Filters;

    private static string Values(string row) =>
        $"{row}.\"GroupId\", {row}.\"SubjectId\", {row}.\"CategoryId\", COALESCE({row}.\"SubCategoryId\", 0), {row}.\"Type\", {row}.\"Level\", {row}.\"IsArchived\", COALESCE({row}.\"CreatedById\", '')";

    /// <summary>Adds one to the counts of the given tags of a question, from its row <paramref name="row"/>.</summary>
    private static string Add(string tags, string row) =>
        $"INSERT INTO \"QuestionTagCounts\" ({Key}, \"Count\") SELECT t.\"TagId\", {Values(row)}, 1 FROM {tags} "
        + "ON CONFLICT DO UPDATE SET \"Count\" = \"Count\" + 1;";

    /// <summary>Takes one from the counts of the given tags (a subquery of tag ids) under the filters of <paramref name="row"/>.</summary>
    private static string Remove(string tagIds, string row) =>
        $"UPDATE \"QuestionTagCounts\" SET \"Count\" = \"Count\" - 1 WHERE \"TagId\" IN ({tagIds}) AND ({Filters}) = ({Values(row)}); "
        + $"DELETE FROM \"QuestionTagCounts\" WHERE \"TagId\" IN ({tagIds}) AND ({Filters}) = ({Values(row)}) AND \"Count\" = 0;";

    public const string InsertTriggerName = "QuestionTagCounts_Insert";

    /// <summary>Counts every tagged question again; the bulk writer runs it after a load made without the insert trigger.</summary>
    public static readonly string Rebuild = $"""
        DELETE FROM "QuestionTagCounts";
        INSERT INTO "QuestionTagCounts" ({Key}, "Count")
            SELECT t."TagId", {Values("q")}, COUNT(*) FROM "QuestionTags" AS t JOIN "Questions" AS q ON q."Id" = t."QuestionId"
            GROUP BY t."TagId", {Values("q")};
        """;

    // A deleted question's tags are taken off first, while its row is there to say where it counted;
    // the cascade that follows finds none left.
    public static readonly string Create = $"""
        CREATE TABLE "QuestionTagCounts" (
            "TagId" INTEGER NOT NULL, "GroupId" INTEGER NOT NULL, "SubjectId" INTEGER NOT NULL, "CategoryId" INTEGER NOT NULL,
            "SubCategoryId" INTEGER NOT NULL, "Type" INTEGER NOT NULL, "Level" INTEGER NOT NULL, "IsArchived" INTEGER NOT NULL,
            "CreatedById" TEXT NOT NULL, "Count" INTEGER NOT NULL,
            PRIMARY KEY ({Key})) WITHOUT ROWID;
        {Rebuild}
        CREATE TRIGGER "QuestionTagCounts_Insert" AFTER INSERT ON "QuestionTags" BEGIN
            {Add("\"Questions\" AS q, (SELECT NEW.\"TagId\" AS \"TagId\") AS t WHERE q.\"Id\" = NEW.\"QuestionId\"", "q")}
        END;
        CREATE TRIGGER "QuestionTagCounts_Delete" AFTER DELETE ON "QuestionTags" BEGIN
            UPDATE "QuestionTagCounts" SET "Count" = "Count" - 1
                WHERE "TagId" = OLD."TagId" AND ({Filters}) = (SELECT {Values("q")} FROM "Questions" AS q WHERE q."Id" = OLD."QuestionId");
            DELETE FROM "QuestionTagCounts" WHERE "TagId" = OLD."TagId" AND "Count" = 0;
        END;
        CREATE TRIGGER "QuestionTagCounts_QuestionDelete" BEFORE DELETE ON "Questions" BEGIN
            DELETE FROM "QuestionTags" WHERE "QuestionId" = OLD."Id";
        END;
        CREATE TRIGGER "QuestionTagCounts_QuestionUpdate" AFTER UPDATE OF {Filters} ON "Questions" BEGIN
            {Remove("SELECT \"TagId\" FROM \"QuestionTags\" WHERE \"QuestionId\" = NEW.\"Id\"", "OLD")}
            {Add("\"QuestionTags\" AS t WHERE t.\"QuestionId\" = NEW.\"Id\"", "NEW")}
        END;
        """;

    public const string Drop = """
        DROP TRIGGER "QuestionTagCounts_QuestionUpdate";
        DROP TRIGGER "QuestionTagCounts_QuestionDelete";
        DROP TRIGGER "QuestionTagCounts_Delete";
        DROP TRIGGER "QuestionTagCounts_Insert";
        DROP TABLE "QuestionTagCounts";
        """;
}
