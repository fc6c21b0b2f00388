using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

using EduLoop.Domain.Data;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

using Npgsql;

namespace EduLoop.Domain.Moving;

public enum PostgresMoveOutcome
{
    /// <summary>Every row is in the target and every check agreed.</summary>
    Moved,

    /// <summary>The target is not empty, or not reachable; nothing was written.</summary>
    Refused,

    /// <summary>The copy was written but a check disagreed; the target must not be used.</summary>
    CheckFailed,
}

/// <summary>One table's rows in the SQLite database and in the PostgreSQL one after the move.</summary>
public sealed record MovedTable(string Table, long Source, long Target);

public sealed record PostgresMoveResult(
    PostgresMoveOutcome Outcome, string? Problem, IReadOnlyList<MovedTable> Tables, string? SourceChecksum, string? TargetChecksum, TimeSpan Elapsed);

/// <summary>
/// Moves a school from its SQLite database into an empty PostgreSQL database: the bank with its
/// history, accounts with their password hashes, classes and keys, quizzes, attempts and answers,
/// practice, tokens and settings. The target's tables are created by its migrations; every table of
/// the model is then copied with binary COPY in one transaction, parents before children, with the
/// values converted as the PostgreSQL model stores them. Afterwards each table's rows are counted on
/// both sides and the questions are compared by a checksum over their ids, fingerprints, titles,
/// texts and bodies. A target with any row beyond those its migrations write is refused. Media files
/// are not in the database.
/// </summary>
public sealed class PostgresMove(IDbContextFactory<EduLoopDbContext> sourceFactory)
{
    public async Task<PostgresMoveResult> RunAsync(string targetConnectionString, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var source = await sourceFactory.CreateDbContextAsync(cancellationToken);
        if (!source.Database.IsSqlite())
        {
            return Refused("The source must be the school's SQLite database.", stopwatch);
        }

        var options = new DbContextOptionsBuilder<EduLoopDbContext>()
            .UseNpgsql(targetConnectionString, npgsql => npgsql.MigrationsAssembly(DatabaseSettings.PostgresMigrationsAssembly))
            .AddInterceptors(new PostgresTextInterceptor())
            .Options;
        await using var target = new EduLoopDbContext(options);
        progress?.Report("Creating the tables in the target");
        await target.Database.MigrateAsync(cancellationToken);

        var tables = Ordered(source.Model);
        // The rows the migrations themselves write (the roles), by table; only the design-time model keeps them.
        var seeded = source.GetService<Microsoft.EntityFrameworkCore.Metadata.IDesignTimeModel>().Model.GetEntityTypes()
            .Where(e => e.GetTableName() is not null)
            .ToDictionary(e => e.GetTableName()!, e => e.GetSeedData().Count(), StringComparer.Ordinal);
        foreach (var entity in tables)
        {
            // The migrations' own rows do not make a database "not empty".
            if (await CountAsync(target, entity.GetTableName()!, cancellationToken) is var rows && rows > seeded.GetValueOrDefault(entity.GetTableName()!))
            {
                return Refused($"The target already holds {rows} rows in \"{entity.GetTableName()}\"; the move needs an empty database.", stopwatch);
            }
        }

        var connection = (NpgsqlConnection)target.Database.GetDbConnection();
        await target.Database.OpenConnectionAsync(cancellationToken);
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            // The kept counts are summed once at the end instead of row by row.
            await ExecuteAsync(connection, """ALTER TABLE "Questions" DISABLE TRIGGER USER; ALTER TABLE "QuestionTags" DISABLE TRIGGER USER;""", cancellationToken);
            // The source has the migrations' rows too, with whatever changed in them since.
            foreach (var entity in tables.Where(e => seeded.GetValueOrDefault(e.GetTableName()!) > 0).Reverse())
            {
                await ExecuteAsync(connection, $"DELETE FROM \"{entity.GetTableName()}\"", cancellationToken);
            }

            foreach (var entity in tables)
            {
                progress?.Report($"Copying {entity.GetTableName()}");
                var copy = _copy.MakeGenericMethod(entity.ClrType);
                await (Task)copy.Invoke(null, [source, target.Model, connection, entity, cancellationToken])!;
            }

            await ExecuteAsync(connection, PostgresSql.RebuildCounts, cancellationToken);
            await ExecuteAsync(connection, """ALTER TABLE "Questions" ENABLE TRIGGER USER; ALTER TABLE "QuestionTags" ENABLE TRIGGER USER;""", cancellationToken);
            await SqlDialect.Postgres.ContinueIdsAfterMovedRowsAsync(target, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await ExecuteAsync(connection, "ANALYZE;", cancellationToken);
        progress?.Report("Checking");
        var counted = new List<MovedTable>();
        foreach (var entity in tables)
        {
            var table = entity.GetTableName()!;
            counted.Add(new MovedTable(table, await CountAsync(source, table, cancellationToken), await CountAsync(target, table, cancellationToken)));
        }

        var sourceChecksum = await ChecksumAsync(source, cancellationToken);
        var targetChecksum = await ChecksumAsync(target, cancellationToken);
        var mismatch = counted.FirstOrDefault(t => t.Source != t.Target);
        var problem = mismatch is not null
            ? $"\"{mismatch.Table}\" has {mismatch.Source} rows in the source and {mismatch.Target} in the target."
            : sourceChecksum != targetChecksum ? "The questions' checksums differ." : null;
        return new PostgresMoveResult(
            problem is null ? PostgresMoveOutcome.Moved : PostgresMoveOutcome.CheckFailed, problem, counted, sourceChecksum, targetChecksum, stopwatch.Elapsed);
    }

    private static PostgresMoveResult Refused(string problem, Stopwatch stopwatch) =>
        new(PostgresMoveOutcome.Refused, problem, [], null, null, stopwatch.Elapsed);

    /// <summary>The model's tables, every table after the ones its foreign keys point to.</summary>
    internal static List<IEntityType> Ordered(IModel model)
    {
        var pending = model.GetEntityTypes().Where(e => e.GetTableName() is not null && e.FindPrimaryKey() is not null)
            .OrderBy(e => e.GetTableName(), StringComparer.Ordinal).ToList();
        var ordered = new List<IEntityType>();
        while (pending.Count > 0)
        {
            var ready = pending.FirstOrDefault(e => e.GetForeignKeys().All(fk => fk.PrincipalEntityType == e || ordered.Contains(fk.PrincipalEntityType)))
                ?? throw new InvalidOperationException("The model's foreign keys form a cycle: " + string.Join(", ", pending.Select(e => e.GetTableName())));
            ordered.Add(ready);
            pending.Remove(ready);
        }

        return ordered;
    }

    private static readonly MethodInfo _copy = typeof(PostgresMove).GetMethod(nameof(CopyAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Streams one table from SQLite through EF (which reads SQLite's stored forms back into values) into PostgreSQL's binary COPY.</summary>
    private static async Task CopyAsync<TEntity>(
        EduLoopDbContext source, IModel targetModel, NpgsqlConnection target, IEntityType entity, CancellationToken cancellationToken)
        where TEntity : class
    {
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var targetEntity = targetModel.FindEntityType(entity.Name)!;
        var columns = entity.GetProperties().Select(p =>
        {
            if (p.IsShadowProperty())
            {
                throw new InvalidOperationException($"{entity.Name}.{p.Name} is a shadow property; the move reads properties from entities.");
            }

            var onTarget = targetEntity.FindProperty(p.Name)!;
            return (Getter: p.GetGetter(), Column: p.GetColumnName(table)!, Type: StoreType(onTarget.GetColumnType()),
                Converter: onTarget.GetTypeMapping().Converter);
        }).ToList();

        var copy = $"COPY \"{table.Name}\" ({string.Join(", ", columns.Select(c => $"\"{c.Column}\""))}) FROM STDIN (FORMAT BINARY)";
        await using var writer = await target.BeginBinaryImportAsync(copy, cancellationToken);
        await foreach (var row in source.Set<TEntity>().AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            await writer.StartRowAsync(cancellationToken);
            foreach (var (getter, _, type, converter) in columns)
            {
                var value = getter.GetClrValueUsingContainingEntity(row);
                if (value is not null && converter is not null)
                {
                    value = converter.ConvertToProvider(value);
                }

                if (value is null)
                {
                    await writer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await writer.WriteAsync(value is string text ? PostgresTextInterceptor.Clean(text) : value, type, cancellationToken);
                }
            }
        }

        await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>A column type as Npgsql names it for COPY: "character varying(300)" is "character varying".</summary>
    private static string StoreType(string columnType) => Regex.Replace(columnType, @"\s*\([0-9, ]*\)", "");

    private static async Task<long> CountAsync(EduLoopDbContext db, string table, CancellationToken cancellationToken)
    {
        var sql = $"SELECT COUNT(*) AS \"Value\" FROM \"{table}\"";
        return await db.Database.SqlQueryRaw<long>(sql).SingleAsync(cancellationToken);
    }

    /// <summary>
    /// SHA-256 over every question's id, fingerprint, title, text and body in id order. A text is
    /// compared as PostgreSQL stores it (U+0000 as U+FFFD; see <see cref="PostgresTextInterceptor"/>).
    /// </summary>
    private static async Task<string> ChecksumAsync(EduLoopDbContext db, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await foreach (var q in db.Questions.AsNoTracking().OrderBy(q => q.Id)
            .Select(q => new { q.Id, q.ContentHash, q.Title, q.Stem, q.Body }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{q.Id}\t{q.ContentHash}\t{PostgresTextInterceptor.Clean(q.Title)}\t{PostgresTextInterceptor.Clean(q.Stem)}\t{Data.Configurations.QuestionBodyConversion.Serialize(q.Body)}\n");
            hash.AppendData(Encoding.UTF8.GetBytes(line));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
