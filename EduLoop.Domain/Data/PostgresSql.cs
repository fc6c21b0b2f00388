namespace EduLoop.Domain.Data;

/// <summary>
/// PostgreSQL's counterparts of the SQLite-only schema pieces, created by the PostgreSQL migrations:
/// <list type="bullet">
/// <item>Full-text search: a GIN index over the questions' title and text as <c>tsvector</c>, accents
/// removed (<c>unaccent</c>) and no stemming, as SQLite's FTS5 index with <c>remove_diacritics</c>.</item>
/// <item>The kept counts (<see cref="QuestionCountsSql"/>, <see cref="QuestionTagCountsSql"/>): the same
/// tables and columns, <c>IsArchived</c> as 0 or 1 so the queries over them are the same, kept by
/// row triggers in the writing transaction.</item>
/// </list>
/// </summary>
internal static class PostgresSql
{
    private const string Filters = "\"GroupId\", \"SubjectId\", \"CategoryId\", \"SubCategoryId\", \"Type\", \"Level\", \"IsArchived\", \"CreatedById\"";

    private static string Values(string row) =>
        $"{row}.\"GroupId\", {row}.\"SubjectId\", {row}.\"CategoryId\", COALESCE({row}.\"SubCategoryId\", 0), {row}.\"Type\", {row}.\"Level\", "
        + $"{row}.\"IsArchived\"::integer, COALESCE({row}.\"CreatedById\", '')";

    private static string FilterColumns(string table) => $"""
        "GroupId" integer NOT NULL, "SubjectId" integer NOT NULL, "CategoryId" integer NOT NULL, "SubCategoryId" integer NOT NULL,
        "Type" integer NOT NULL, "Level" integer NOT NULL, "IsArchived" integer NOT NULL, "CreatedById" text NOT NULL,
        "Count" integer NOT NULL, CONSTRAINT "PK_{table}" PRIMARY KEY
        """;

    /// <summary>The searchable text of a question; immutable (fixed dictionary and configuration), so an index can hold it.</summary>
    public const string SearchFunction = "eduloop_search_document";

    public static readonly string CreateSearch = $"""
        CREATE EXTENSION IF NOT EXISTS unaccent;
        CREATE FUNCTION {SearchFunction}(title text, stem text) RETURNS tsvector
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            RETURN to_tsvector('simple'::regconfig, public.unaccent('public.unaccent'::regdictionary, coalesce(title, '') || ' ' || coalesce(stem, '')));
        CREATE INDEX "IX_Questions_Search" ON "Questions" USING gin ({SearchFunction}("Title", "Stem"));
        """;

    public static readonly string DropSearch = $"""
        DROP INDEX "IX_Questions_Search";
        DROP FUNCTION {SearchFunction}(text, text);
        """;

    /// <summary>The ids of the questions whose title or text holds every word of <c>{0}</c> (a query from <see cref="MatchQuery"/>) as a prefix.</summary>
    public static readonly string SearchIds =
        $"SELECT \"Id\" AS \"Value\" FROM \"Questions\" WHERE {SearchFunction}(\"Title\", \"Stem\") @@ to_tsquery('simple'::regconfig, public.unaccent('public.unaccent'::regdictionary, {{0}}))";

    /// <summary>
    /// A user's words as a <c>tsquery</c>: every run of letters and digits must occur, each as a prefix
    /// (as the FTS5 query, whose tokenizer splits words at the same characters). Nothing of the
    /// input is syntax. Null when nothing is left.
    /// </summary>
    public static string? MatchQuery(string? text)
    {
        var runs = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var c in (text ?? "") + " ")
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                runs.Add(current.ToString());
                current.Clear();
            }
        }

        return runs.Count == 0 ? null : string.Join(" & ", runs.Distinct().Take(16).Select(r => r + ":*"));
    }

    public static readonly string CreateCounts = $"""
        CREATE TABLE "QuestionCounts" ({FilterColumns("QuestionCounts")} ({Filters}));
        INSERT INTO "QuestionCounts" ({Filters}, "Count") SELECT {Values("q")}, COUNT(*) FROM "Questions" AS q GROUP BY {Values("q")};

        CREATE FUNCTION eduloop_question_counts() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('DELETE', 'UPDATE') THEN
                UPDATE "QuestionCounts" SET "Count" = "Count" - 1 WHERE ({Filters}) = ({Values("OLD")});
                DELETE FROM "QuestionCounts" WHERE ({Filters}) = ({Values("OLD")}) AND "Count" = 0;
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                INSERT INTO "QuestionCounts" ({Filters}, "Count") VALUES ({Values("NEW")}, 1)
                    ON CONFLICT ({Filters}) DO UPDATE SET "Count" = "QuestionCounts"."Count" + 1;
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER "QuestionCounts_Insert" AFTER INSERT ON "Questions" FOR EACH ROW EXECUTE FUNCTION eduloop_question_counts();
        CREATE TRIGGER "QuestionCounts_Delete" AFTER DELETE ON "Questions" FOR EACH ROW EXECUTE FUNCTION eduloop_question_counts();
        CREATE TRIGGER "QuestionCounts_Update" AFTER UPDATE OF {Filters} ON "Questions" FOR EACH ROW
            WHEN (({Values("OLD")}) IS DISTINCT FROM ({Values("NEW")})) EXECUTE FUNCTION eduloop_question_counts();

        CREATE TABLE "QuestionTagCounts" ("TagId" integer NOT NULL, {FilterColumns("QuestionTagCounts")} ("TagId", {Filters}));
        INSERT INTO "QuestionTagCounts" ("TagId", {Filters}, "Count")
            SELECT t."TagId", {Values("q")}, COUNT(*) FROM "QuestionTags" AS t JOIN "Questions" AS q ON q."Id" = t."QuestionId"
            GROUP BY t."TagId", {Values("q")};

        -- A tag given or taken: counted under the filters of its question.
        CREATE FUNCTION eduloop_question_tag_counts() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO "QuestionTagCounts" ("TagId", {Filters}, "Count")
                    SELECT NEW."TagId", {Values("q")}, 1 FROM "Questions" AS q WHERE q."Id" = NEW."QuestionId"
                    ON CONFLICT ("TagId", {Filters}) DO UPDATE SET "Count" = "QuestionTagCounts"."Count" + 1;
            ELSE
                UPDATE "QuestionTagCounts" SET "Count" = "Count" - 1
                    WHERE "TagId" = OLD."TagId" AND ({Filters}) = (SELECT {Values("q")} FROM "Questions" AS q WHERE q."Id" = OLD."QuestionId");
                DELETE FROM "QuestionTagCounts" WHERE "TagId" = OLD."TagId" AND "Count" = 0;
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER "QuestionTagCounts_Insert" AFTER INSERT ON "QuestionTags" FOR EACH ROW EXECUTE FUNCTION eduloop_question_tag_counts();
        CREATE TRIGGER "QuestionTagCounts_Delete" AFTER DELETE ON "QuestionTags" FOR EACH ROW EXECUTE FUNCTION eduloop_question_tag_counts();

        -- A deleted question's tags are taken off first, while its row is there to say where they counted.
        CREATE FUNCTION eduloop_question_tags_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM "QuestionTags" WHERE "QuestionId" = OLD."Id";
            RETURN OLD;
        END $$;
        CREATE TRIGGER "QuestionTagCounts_QuestionDelete" BEFORE DELETE ON "Questions" FOR EACH ROW EXECUTE FUNCTION eduloop_question_tags_delete();

        -- A tagged question moved, retyped, archived: its tags leave the old filters for the new.
        CREATE FUNCTION eduloop_question_tags_move() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE "QuestionTagCounts" SET "Count" = "Count" - 1
                WHERE "TagId" IN (SELECT "TagId" FROM "QuestionTags" WHERE "QuestionId" = NEW."Id") AND ({Filters}) = ({Values("OLD")});
            DELETE FROM "QuestionTagCounts" WHERE ({Filters}) = ({Values("OLD")}) AND "Count" = 0;
            INSERT INTO "QuestionTagCounts" ("TagId", {Filters}, "Count")
                SELECT t."TagId", {Values("NEW")}, 1 FROM "QuestionTags" AS t WHERE t."QuestionId" = NEW."Id"
                ON CONFLICT ("TagId", {Filters}) DO UPDATE SET "Count" = "QuestionTagCounts"."Count" + 1;
            RETURN NULL;
        END $$;
        CREATE TRIGGER "QuestionTagCounts_QuestionUpdate" AFTER UPDATE OF {Filters} ON "Questions" FOR EACH ROW
            WHEN (({Values("OLD")}) IS DISTINCT FROM ({Values("NEW")})) EXECUTE FUNCTION eduloop_question_tags_move();
        """;

    public const string DropCounts = """
        DROP TRIGGER "QuestionTagCounts_QuestionUpdate" ON "Questions";
        DROP TRIGGER "QuestionTagCounts_QuestionDelete" ON "Questions";
        DROP TRIGGER "QuestionTagCounts_Delete" ON "QuestionTags";
        DROP TRIGGER "QuestionTagCounts_Insert" ON "QuestionTags";
        DROP TRIGGER "QuestionCounts_Update" ON "Questions";
        DROP TRIGGER "QuestionCounts_Delete" ON "Questions";
        DROP TRIGGER "QuestionCounts_Insert" ON "Questions";
        DROP FUNCTION eduloop_question_tags_move();
        DROP FUNCTION eduloop_question_tags_delete();
        DROP FUNCTION eduloop_question_tag_counts();
        DROP FUNCTION eduloop_question_counts();
        DROP TABLE "QuestionTagCounts";
        DROP TABLE "QuestionCounts";
        """;

    /// <summary>Counts every question and tagged question again; the bulk writer runs it after a load made without the count triggers.</summary>
    public static readonly string RebuildCounts = $"""
        DELETE FROM "QuestionCounts";
        INSERT INTO "QuestionCounts" ({Filters}, "Count") SELECT {Values("q")}, COUNT(*) FROM "Questions" AS q GROUP BY {Values("q")};
        DELETE FROM "QuestionTagCounts";
        INSERT INTO "QuestionTagCounts" ("TagId", {Filters}, "Count")
            SELECT t."TagId", {Values("q")}, COUNT(*) FROM "QuestionTags" AS t JOIN "Questions" AS q ON q."Id" = t."QuestionId"
            GROUP BY t."TagId", {Values("q")};
        """;
}
