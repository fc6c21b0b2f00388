using System.Data.Common;
using System.Diagnostics;

using EduLoop.Domain.Data.Configurations;
using EduLoop.Domain.QuestionBank;

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace EduLoop.Domain.Data.Seeding;

/// <summary>A question to write, before it has an id.</summary>
public sealed record QuestionDraft(
    int SubCategoryIndex, QuestionType Type, QuestionLevel Level, string Stem, QuestionBody Body, IReadOnlyList<string> Tags);

/// <summary>A hierarchy to write: names only, parents by index.</summary>
public sealed record TaxonomyDraft(
    IReadOnlyList<(string Name, string Description)> Groups,
    IReadOnlyList<(int Group, string Name, string Description)> Subjects,
    IReadOnlyList<(int Subject, string Name)> Categories,
    IReadOnlyList<(int Category, string Name)> SubCategories);

/// <summary>
/// Writes a whole bank into an empty database in one transaction with prepared statements: the
/// seed verb writes a million questions this way in seconds, where one SaveChanges per row would
/// take minutes. On SQLite the indexes, the search index and the counts are built once at the end;
/// on PostgreSQL the questions and their tags stream in with binary COPY (<see cref="PostgresBulk"/>).
/// The statements are plain SQL with <c>@p</c> parameters, which both providers read.
/// </summary>
public sealed class BankWriter(IDbContextFactory<EduLoopDbContext> contextFactory, Caching.DataChanges changes, TimeProvider clock)
{
    public async Task<TimeSpan> WriteAsync(
        TaxonomyDraft taxonomy, IEnumerable<QuestionDraft> questions, string? createdById, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            var written = await PostgresBulk.WriteAsync(db, taxonomy, questions, createdById, clock.GetUtcNow().UtcDateTime, progress, cancellationToken);
            await changes.ChangedAsync(Caching.DataTags.Bank, Caching.DataTags.Pools, Caching.DataTags.Taxonomy);
            progress?.Report(written);
            return stopwatch.Elapsed;
        }

        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        // A large page cache keeps the index pages in memory while the rows stream in.
        Execute(connection, $"PRAGMA cache_size = -{CacheKibibytes};");
        var questionTable = db.Model.FindEntityType(typeof(Question))!.GetTableName()!;
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        // Inside the transaction: a failed load rolls the dropped indexes back too.
        var indexes = DropIndexes(connection, questionTable);
        // The full-text index too is built once at the end instead of row by row.
        var searchTrigger = DropTrigger(connection, QuestionSearchSql.InsertTriggerName);
        // And the counts, summed once at the end.
        var countTrigger = DropTrigger(connection, QuestionCountsSql.InsertTriggerName);
        var tagCountTrigger = DropTrigger(connection, QuestionTagCountsSql.InsertTriggerName);
        var now = clock.GetUtcNow().UtcDateTime;

        var groupIds = new List<long>();
        foreach (var (name, description) in taxonomy.Groups)
        {
            groupIds.Add(Insert(connection, db.Model, typeof(Group),
                ("Name", name), ("Description", description), ("CreatedAt", now)));
        }

        var subjectIds = new List<(long Id, long Group)>();
        foreach (var (group, name, description) in taxonomy.Subjects)
        {
            subjectIds.Add((Insert(connection, db.Model, typeof(Subject),
                ("GroupId", groupIds[group]), ("Name", name), ("Description", description), ("CreatedAt", now)), groupIds[group]));
        }

        var categoryIds = new List<(long Id, long Subject, long Group)>();
        foreach (var (subject, name) in taxonomy.Categories)
        {
            var (subjectId, groupId) = subjectIds[subject];
            categoryIds.Add((Insert(connection, db.Model, typeof(Category),
                ("SubjectId", subjectId), ("GroupId", groupId), ("Name", name), ("CreatedAt", now)), subjectId, groupId));
        }

        var subCategoryIds = new List<(long Id, long Category, long Subject, long Group)>();
        foreach (var (category, name) in taxonomy.SubCategories)
        {
            var (categoryId, subjectId, groupId) = categoryIds[category];
            subCategoryIds.Add((Insert(connection, db.Model, typeof(SubCategory),
                ("CategoryId", categoryId), ("SubjectId", subjectId), ("GroupId", groupId), ("Name", name), ("CreatedAt", now)),
                categoryId, subjectId, groupId));
        }

        var questionInsert = PrepareInsert(connection, db.Model, typeof(Question), QuestionColumns);
        var tagIds = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        var count = 0;
        foreach (var draft in questions)
        {
            var (subCategoryId, categoryId, subjectId, groupId) = subCategoryIds[draft.SubCategoryIndex];
            // Spread creation times over the past year so "newest first" means something.
            var createdAt = now.AddSeconds(-(double)(count * 7919L % 31_536_000));
            Bind(questionInsert, new Question
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
            });
            var questionId = Convert.ToInt64(questionInsert.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);

            foreach (var tag in draft.Tags)
            {
                if (!tagIds.TryGetValue(tag, out var tagId))
                {
                    tagId = Insert(connection, db.Model, typeof(Tag), ("Name", tag));
                    tagIds[tag] = tagId;
                }

                Insert(connection, db.Model, typeof(QuestionTag), returnsId: false, ("QuestionId", questionId), ("TagId", tagId));
            }

            if (++count % 50_000 == 0)
            {
                progress?.Report(count);
            }
        }

        // Building each index once from sorted rows is far faster than updating it row by row.
        foreach (var createIndex in indexes)
        {
            Execute(connection, createIndex);
        }

        if (searchTrigger is not null)
        {
            Execute(connection, QuestionSearchSql.Rebuild);
            Execute(connection, searchTrigger);
        }

        if (countTrigger is not null)
        {
            Execute(connection, QuestionCountsSql.Rebuild);
            Execute(connection, countTrigger);
        }

        if (tagCountTrigger is not null)
        {
            Execute(connection, QuestionTagCountsSql.Rebuild);
            Execute(connection, tagCountTrigger);
        }

        await transaction.CommitAsync(cancellationToken);
        // Statistics for the query planner: with a million rows, the right index is the difference
        // between a millisecond and a second.
        Execute(connection, "ANALYZE;");
        await changes.ChangedAsync(Caching.DataTags.Bank, Caching.DataTags.Pools, Caching.DataTags.Taxonomy);
        progress?.Report(count);
        return stopwatch.Elapsed;
    }

    /// <summary>
    /// Adds questions whose place in the hierarchy is already known, in one transaction with a
    /// prepared statement: an import of ten thousand questions without ten thousand tracked entities.
    /// </summary>
    public async Task AppendQuestionsAsync(IReadOnlyList<Question> questions, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        using var insert = PrepareInsert(connection, db.Model, typeof(Question), QuestionColumns);
        insert.Transaction = transaction;
        foreach (var question in questions)
        {
            Bind(insert, question);
            insert.ExecuteNonQuery();
        }

        await transaction.CommitAsync(cancellationToken);
        await changes.ChangedAsync(Caching.DataTags.Bank, Caching.DataTags.Pools, Caching.DataTags.Taxonomy);
    }

    internal static readonly string[] QuestionColumns =
    [
        "GroupId", "SubjectId", "CategoryId", "SubCategoryId", "Level", "Type", "Title", "Stem", "Body",
        "Version", "IsArchived", "ConcurrencyStamp", "CreatedAt", "UpdatedAt", "CreatedById", "ContentHash",
    ];

    internal static void Bind(DbCommand insert, Question question)
    {
        var values = insert.Parameters;
        values[0].Value = question.GroupId;
        values[1].Value = question.SubjectId;
        values[2].Value = question.CategoryId;
        values[3].Value = (object?)question.SubCategoryId ?? DBNull.Value;
        values[4].Value = (int)question.Level;
        values[5].Value = (int)question.Type;
        values[6].Value = PostgresTextInterceptor.Clean(question.Title);
        values[7].Value = PostgresTextInterceptor.Clean(question.Stem);
        values[8].Value = QuestionBodyConversion.Serialize(question.Body);
        values[9].Value = question.Version;
        values[10].Value = question.IsArchived;
        values[11].Value = question.ConcurrencyStamp;
        values[12].Value = Utc(question.CreatedAt);
        values[13].Value = Utc(question.UpdatedAt);
        values[14].Value = (object?)question.CreatedById ?? DBNull.Value;
        values[15].Value = question.ContentHash != 0 ? question.ContentHash : QuestionHash.Of(question.Type, question.Stem, question.Body);
    }

    /// <summary>EduLoop's times are UTC; one without a kind (read back from SQLite) is marked so, as PostgreSQL requires.</summary>
    internal static DateTime Utc(DateTime value) => value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value.ToUniversalTime();

    private const int CacheKibibytes = 512 * 1024;

    /// <summary>Drops the table's secondary indexes and returns the statements that recreate them.</summary>
    private static List<string> DropIndexes(SqliteConnection connection, string table)
    {
        var statements = new List<(string Name, string Sql)>();
        using (var query = connection.CreateCommand())
        {
            query.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $table AND sql IS NOT NULL;";
            query.Parameters.AddWithValue("$table", table);
            using var reader = query.ExecuteReader();
            while (reader.Read())
            {
                statements.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in statements)
        {
            Execute(connection, $"DROP INDEX \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\";");
        }

        return statements.Select(s => s.Sql).ToList();
    }

    /// <summary>Drops a trigger and returns the statement that recreates it, or null when there is none.</summary>
    private static string? DropTrigger(SqliteConnection connection, string name)
    {
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = $name;";
        query.Parameters.AddWithValue("$name", name);
        if (query.ExecuteScalar() is not string sql)
        {
            return null;
        }

        Execute(connection, $"DROP TRIGGER \"{name}\";");
        return sql;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal static long Insert(DbConnection connection, IModel model, Type entity, params (string Property, object? Value)[] values) =>
        Insert(connection, model, entity, returnsId: true, values);

    internal static long Insert(
        DbConnection connection, IModel model, Type entity, bool returnsId, params (string Property, object? Value)[] values)
    {
        using var command = PrepareInsert(connection, model, entity, values.Select(v => v.Property).ToArray(), returnsId);
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i].Value is DateTime time ? Utc(time) : values[i].Value ?? DBNull.Value;
        }

        return returnsId ? Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) : command.ExecuteNonQuery();
    }

    private static DbCommand PrepareInsert(DbConnection connection, IModel model, Type entity, params string[] properties) =>
        PrepareInsert(connection, model, entity, properties, returnsId: true);

    /// <summary>An INSERT built from the EF model, so table and column names never drift from the migrations.</summary>
    internal static DbCommand PrepareInsert(
        DbConnection connection, IModel model, Type entity, string[] properties, bool returnsId)
    {
        var entityType = model.FindEntityType(entity)!;
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var columns = properties.Select(p => entityType.FindProperty(p)!.GetColumnName(table)!).ToArray();
        var command = connection.CreateCommand();
        command.CommandText =
            $"INSERT INTO \"{table.Name}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) " +
            $"VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})" +
            (returnsId ? " RETURNING \"Id\";" : ";");
        for (var i = 0; i < columns.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            command.Parameters.Add(parameter);
        }

        // SQLite compiles the statement once for every row; Npgsql needs the values' types first, so it prepares on first use.
        if (connection is SqliteConnection)
        {
            command.Prepare();
        }

        return command;
    }
}
