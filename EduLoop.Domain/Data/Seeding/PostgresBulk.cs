using EduLoop.Domain.Data.Configurations;
using EduLoop.Domain.QuestionBank;

using Microsoft.EntityFrameworkCore;

using Npgsql;

using NpgsqlTypes;

namespace EduLoop.Domain.Data.Seeding;

/// <summary>
/// The bulk load on PostgreSQL: the hierarchy row by row (a few hundred rows), then the questions and
/// their tags with binary COPY in batches whose ids are taken from the table's sequence first, all in
/// one transaction. The count triggers are off during the load and the counts summed once at the end;
/// the search index is kept by PostgreSQL as the rows arrive.
/// </summary>
internal static class PostgresBulk
{
    private const int Batch = 10_000;

    public static async Task<int> WriteAsync(
        EduLoopDbContext db, TaxonomyDraft taxonomy, IEnumerable<QuestionDraft> questions, string? createdById, DateTime now,
        IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Inside the transaction: a failed load leaves the triggers as they were.
        await ExecuteAsync(connection, """ALTER TABLE "Questions" DISABLE TRIGGER USER; ALTER TABLE "QuestionTags" DISABLE TRIGGER USER;""", cancellationToken);

        var model = db.Model;
        var groupIds = taxonomy.Groups.Select(g => BankWriter.Insert(connection, model, typeof(Group),
            ("Name", g.Name), ("Description", g.Description), ("CreatedAt", now))).ToList();
        var subjectIds = taxonomy.Subjects.Select(s => (Id: BankWriter.Insert(connection, model, typeof(Subject),
            ("GroupId", groupIds[s.Group]), ("Name", s.Name), ("Description", s.Description), ("CreatedAt", now)), Group: groupIds[s.Group])).ToList();
        var categoryIds = taxonomy.Categories.Select(c => (Id: BankWriter.Insert(connection, model, typeof(Category),
            ("SubjectId", subjectIds[c.Subject].Id), ("GroupId", subjectIds[c.Subject].Group), ("Name", c.Name), ("CreatedAt", now)),
            Subject: subjectIds[c.Subject].Id, subjectIds[c.Subject].Group)).ToList();
        var subCategoryIds = taxonomy.SubCategories.Select(s => (Id: BankWriter.Insert(connection, model, typeof(SubCategory),
            ("CategoryId", categoryIds[s.Category].Id), ("SubjectId", categoryIds[s.Category].Subject), ("GroupId", categoryIds[s.Category].Group),
            ("Name", s.Name), ("CreatedAt", now)), Category: categoryIds[s.Category].Id, categoryIds[s.Category].Subject, categoryIds[s.Category].Group)).ToList();

        var tagIds = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var count = 0;
        foreach (var chunk in questions.Chunk(Batch))
        {
            var ids = await ReserveIdsAsync(connection, "Questions", chunk.Length, cancellationToken);
            // New tags first: no other command may run on the connection while a COPY is open.
            foreach (var tag in chunk.SelectMany(d => d.Tags).Where(t => !tagIds.ContainsKey(t)).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                tagIds[tag] = (int)BankWriter.Insert(connection, model, typeof(Tag), ("Name", tag));
            }

            var links = new List<(int Question, int Tag)>();
            await using (var copy = await connection.BeginBinaryImportAsync(CopyQuestions, cancellationToken))
            {
                for (var i = 0; i < chunk.Length; i++)
                {
                    var draft = chunk[i];
                    var (subCategoryId, categoryId, subjectId, groupId) = subCategoryIds[draft.SubCategoryIndex];
                    // Spread creation times over the past year so "newest first" means something (as on SQLite).
                    var createdAt = now.AddSeconds(-(double)(count * 7919L % 31_536_000));
                    await WriteQuestionAsync(copy, ids[i], new Question
                    {
                        GroupId = (int)groupId,
                        SubjectId = (int)subjectId,
                        CategoryId = (int)categoryId,
                        SubCategoryId = (int)subCategoryId,
                        Level = draft.Level,
                        Type = draft.Type,
                        Title = QuestionText.TitleOf(draft.Stem),
                        Stem = draft.Stem,
                        Body = draft.Body,
                        CreatedAt = createdAt,
                        UpdatedAt = createdAt,
                        CreatedById = createdById,
                    }, cancellationToken);
                    links.AddRange(draft.Tags.Select(tag => (ids[i], tagIds[tag])));

                    count++;
                }

                await copy.CompleteAsync(cancellationToken);
            }

            await using (var copy = await connection.BeginBinaryImportAsync("""COPY "QuestionTags" ("QuestionId", "TagId") FROM STDIN (FORMAT BINARY)""", cancellationToken))
            {
                foreach (var (question, tag) in links.Distinct())
                {
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(question, NpgsqlDbType.Integer, cancellationToken);
                    await copy.WriteAsync(tag, NpgsqlDbType.Integer, cancellationToken);
                }

                await copy.CompleteAsync(cancellationToken);
            }

            if (count % 50_000 < Batch)
            {
                progress?.Report(count);
            }
        }

        await ExecuteAsync(connection, PostgresSql.RebuildCounts, cancellationToken);
        await ExecuteAsync(connection, """ALTER TABLE "Questions" ENABLE TRIGGER USER; ALTER TABLE "QuestionTags" ENABLE TRIGGER USER;""", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // Statistics for the planner, as on SQLite.
        await ExecuteAsync(connection, "ANALYZE;", cancellationToken);
        return count;
    }

    internal const string CopyQuestions = """
        COPY "Questions" ("Id", "GroupId", "SubjectId", "CategoryId", "SubCategoryId", "Level", "Type", "Title", "Stem", "Body",
            "Version", "IsArchived", "ConcurrencyStamp", "CreatedAt", "UpdatedAt", "CreatedById", "ContentHash") FROM STDIN (FORMAT BINARY)
        """;

    internal static async Task WriteQuestionAsync(NpgsqlBinaryImporter copy, int id, Question question, CancellationToken cancellationToken)
    {
        await copy.StartRowAsync(cancellationToken);
        await copy.WriteAsync(id, NpgsqlDbType.Integer, cancellationToken);
        await copy.WriteAsync(question.GroupId, NpgsqlDbType.Integer, cancellationToken);
        await copy.WriteAsync(question.SubjectId, NpgsqlDbType.Integer, cancellationToken);
        await copy.WriteAsync(question.CategoryId, NpgsqlDbType.Integer, cancellationToken);
        if (question.SubCategoryId is { } subCategory)
        {
            await copy.WriteAsync(subCategory, NpgsqlDbType.Integer, cancellationToken);
        }
        else
        {
            await copy.WriteNullAsync(cancellationToken);
        }

        await copy.WriteAsync((int)question.Level, NpgsqlDbType.Integer, cancellationToken);
        await copy.WriteAsync((int)question.Type, NpgsqlDbType.Integer, cancellationToken);
        await copy.WriteAsync(PostgresTextInterceptor.Clean(question.Title), NpgsqlDbType.Varchar, cancellationToken);
        await copy.WriteAsync(PostgresTextInterceptor.Clean(question.Stem), NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(QuestionBodyConversion.Serialize(question.Body), NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(question.Version, NpgsqlDbType.Integer, cancellationToken);
        await copy.WriteAsync(question.IsArchived, NpgsqlDbType.Boolean, cancellationToken);
        await copy.WriteAsync(question.ConcurrencyStamp, NpgsqlDbType.Uuid, cancellationToken);
        await copy.WriteAsync(BankWriter.Utc(question.CreatedAt), NpgsqlDbType.TimestampTz, cancellationToken);
        await copy.WriteAsync(BankWriter.Utc(question.UpdatedAt), NpgsqlDbType.TimestampTz, cancellationToken);
        if (question.CreatedById is { } author)
        {
            await copy.WriteAsync(author, NpgsqlDbType.Text, cancellationToken);
        }
        else
        {
            await copy.WriteNullAsync(cancellationToken);
        }

        await copy.WriteAsync(question.ContentHash != 0 ? question.ContentHash : QuestionHash.Of(question.Type, question.Stem, question.Body), NpgsqlDbType.Bigint, cancellationToken);
    }

    /// <summary>The next <paramref name="count"/> ids of a table's identity column, taken so no other writer gets them.</summary>
    internal static async Task<int[]> ReserveIdsAsync(NpgsqlConnection connection, string table, int count, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT nextval(pg_get_serial_sequence('\"{table}\"', 'Id'))::integer FROM generate_series(1, @count)", connection);
        command.Parameters.AddWithValue("count", count);
        var ids = new int[count];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        for (var i = 0; await reader.ReadAsync(cancellationToken); i++)
        {
            ids[i] = reader.GetInt32(0);
        }

        return ids;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// An import's questions on PostgreSQL, gathered and written by binary COPY a batch at a time (the
    /// row triggers keep the counts, the search index follows), then their tags.
    /// </summary>
    internal sealed class ImportBatch(NpgsqlConnection connection)
    {
        public const int Size = 1_000;

        private readonly List<(Question Question, IReadOnlyList<string> Tags)> _pending = [];

        public int Count => _pending.Count;

        public void Add(Question question, IReadOnlyList<string> tags) => _pending.Add((question, tags));

        /// <summary>Writes what is gathered, inside the connection's transaction; <paramref name="tagged"/> links each new id to its tags.</summary>
        public async Task FlushAsync(Action<long, IReadOnlyList<string>> tagged, CancellationToken cancellationToken)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            var ids = await ReserveIdsAsync(connection, "Questions", _pending.Count, cancellationToken);
            await using (var copy = await connection.BeginBinaryImportAsync(CopyQuestions, cancellationToken))
            {
                for (var i = 0; i < _pending.Count; i++)
                {
                    await WriteQuestionAsync(copy, ids[i], _pending[i].Question, cancellationToken);
                }

                await copy.CompleteAsync(cancellationToken);
            }

            for (var i = 0; i < _pending.Count; i++)
            {
                tagged(ids[i], _pending[i].Tags);
            }

            _pending.Clear();
        }
    }
}
