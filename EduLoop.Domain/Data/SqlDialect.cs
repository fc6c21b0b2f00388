using System.Data;

using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Data;

/// <summary>
/// The one seam between EduLoop and its two databases: every query that EF cannot write for both
/// (full-text search, the answer writer's isolation) asks the dialect of its context.
/// The schema's counterparts are in the migrations (<see cref="PostgresSql"/>), the bulk load in
/// <see cref="Seeding.BankWriter"/>, start-up and backups in <see cref="DatabaseInitializer"/>.
/// </summary>
internal abstract class SqlDialect
{
    public static SqlDialect Of(DbContext db) => db.Database.IsNpgsql() ? Postgres : Sqlite;

    public static readonly SqlDialect Sqlite = new SqliteDialect();

    public static readonly SqlDialect Postgres = new PostgresDialect();

    /// <summary>The ids of the questions whose title or text holds every word of <paramref name="text"/> as a prefix; null when it has no words.</summary>
    public abstract IQueryable<int>? SearchIds(EduLoopDbContext db, string? text);

    /// <summary>The quality sums of the questions <paramref name="ids"/> (in order), locked for the transaction where the database has row locks.</summary>
    public abstract IQueryable<Learning.QuestionQuality> QualitiesForUpdate(EduLoopDbContext db, int[] ids);

    /// <summary>The isolation of the answer writer's transaction.</summary>
    public abstract IsolationLevel AnswerIsolation { get; }

    /// <summary>
    /// After rows were written with the ids they brought (a school moved from the original service):
    /// the next generated id of every table comes after them. SQLite's AUTOINCREMENT-free integer keys
    /// already take the largest id plus one.
    /// </summary>
    public virtual Task ContinueIdsAfterMovedRowsAsync(EduLoopDbContext db, CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed class SqliteDialect : SqlDialect
    {
        public override IQueryable<int>? SearchIds(EduLoopDbContext db, string? text) =>
            QuestionSearchSql.MatchQuery(text) is { } match
                ? db.Database.SqlQuery<int>($"SELECT rowid AS \"Value\" FROM \"QuestionSearch\" WHERE \"QuestionSearch\" MATCH {match}")
                : null;

        // The transaction holds the database's one write lock from its first write.
        public override IQueryable<Learning.QuestionQuality> QualitiesForUpdate(EduLoopDbContext db, int[] ids) =>
            db.QuestionQualities.Where(q => ids.Contains(q.QuestionId));

        // SQLite has one writer: a serializable transaction takes the database's write lock at its first write.
        public override IsolationLevel AnswerIsolation => IsolationLevel.Serializable;
    }

    private sealed class PostgresDialect : SqlDialect
    {
        public override IQueryable<int>? SearchIds(EduLoopDbContext db, string? text) =>
            PostgresSql.MatchQuery(text) is { } match
                ? db.Database.SqlQueryRaw<int>(PostgresSql.SearchIds, match)
                : null;

        public override IQueryable<Learning.QuestionQuality> QualitiesForUpdate(EduLoopDbContext db, int[] ids) =>
            db.QuestionQualities.FromSql($"SELECT * FROM \"QuestionQualities\" WHERE \"QuestionId\" = ANY({ids}) ORDER BY \"QuestionId\" FOR UPDATE");

        // Many writers: the attempts' rows are locked for the transaction instead (FOR UPDATE), so a
        // submit or the overdue service waits for the answers' commit, and the check sees what it committed.
        public override IsolationLevel AnswerIsolation => IsolationLevel.ReadCommitted;

        public override async Task ContinueIdsAfterMovedRowsAsync(EduLoopDbContext db, CancellationToken cancellationToken)
        {
            foreach (var entity in db.Model.GetEntityTypes())
            {
                var key = entity.FindPrimaryKey();
                if (key is not { Properties: [{ ClrType: var type, ValueGenerated: Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.OnAdd } id] }
                    || type != typeof(int) || entity.GetTableName() is not { } table)
                {
                    continue;
                }

                var column = id.GetColumnName();
                // Names from the model, not from input. An empty table starts again at 1.
                var sql = $"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), COALESCE(MAX(\"{column}\"), 0) + 1, false) FROM \"{table}\"";
                await db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
            }
        }
    }
}
