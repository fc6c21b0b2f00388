using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;

namespace EduLoop.Domain.Data;

/// <summary>
/// Creates the database or brings it up to the current schema. Before a migration touches an
/// existing file it takes a timestamped backup next to it, so a failed upgrade loses nothing.
/// </summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<EduLoopDbContext> contextFactory,
    DataLocation location,
    TimeProvider clock,
    ILogger<DatabaseInitializer> logger)
{
    public async Task<DatabaseInitialization> InitializeAsync(CancellationToken cancellationToken = default)
    {
        PrivateFiles.CreateDirectory(location.Directory);
        if (!location.IsSqlite)
        {
            return await InitializePostgresAsync(cancellationToken);
        }

        var restored = ApplyPendingRestore();
        var existed = File.Exists(location.DatabasePath) && new FileInfo(location.DatabasePath).Length > 0;
        PrivateFiles.CreateFile(location.DatabasePath);
        PrivateFiles.Restrict(location.DatabaseFiles);

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();

        string? backupPath = null;
        if (existed && pending.Count > 0)
        {
            backupPath = Backup();
            logger.LogInformation(
                "Backed up {Database} to {Backup} before applying {Count} migrations",
                location.DatabasePath, backupPath, pending.Count);
        }

        if (pending.Count > 0)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        await LogContentHashesAsync(db, cancellationToken);

        // WAL is stored in the file: readers never wait for the writer. PRAGMA optimize refreshes the
        // planner's statistics where the data changed enough to matter (cheap when nothing did).
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA optimize=0x10002;", cancellationToken);
        return new DatabaseInitialization(Created: !existed, AppliedMigrations: pending, BackupPath: backupPath, Restored: restored);
    }

    /// <summary>
    /// PostgreSQL: the database must exist (its owner creates it); its tables are created or
    /// migrated here. Before a migration changes existing tables, <c>pg_dump</c> writes a backup into
    /// the backup folder when it is installed; without it the log says to take one. EF takes a
    /// database-wide lock while it migrates, so of several servers starting at once one migrates and
    /// the others wait, then find nothing to do.
    /// </summary>
    private async Task<DatabaseInitialization> InitializePostgresAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Asked first: on a new database EF would otherwise query the missing history table and log each failure as an error.
        var history = db.GetService<Microsoft.EntityFrameworkCore.Migrations.IHistoryRepository>();
        List<string> applied = [];
        var exists = await db.Database.SqlQueryRaw<bool>("SELECT to_regclass('\"__EFMigrationsHistory\"') IS NOT NULL AS \"Value\"").SingleAsync(cancellationToken);
        if (exists)
        {
            applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        }
        else
        {
            // Migrate too reads the history before it creates it; an empty one is read without an error.
            var create = history.GetCreateIfNotExistsScript();
            await db.Database.ExecuteSqlRawAsync(create, cancellationToken);
        }

        var pending = db.Database.GetMigrations().Except(applied, StringComparer.Ordinal).ToList();
        string? backupPath = null;
        if (applied.Count > 0 && pending.Count > 0)
        {
            backupPath = await PostgresBackup.DumpAsync(location, clock, logger, cancellationToken);
            if (backupPath is null)
            {
                logger.LogWarning(
                    "pg_dump was not found, so no backup was taken before applying {Count} migrations to {Database}: back the database up yourself before upgrading",
                    pending.Count, location.Database.Describe(location.DatabasePath));
            }
            else
            {
                logger.LogInformation("Backed up {Database} to {Backup} before applying {Count} migrations",
                    location.Database.Describe(location.DatabasePath), backupPath, pending.Count);
            }
        }

        if (pending.Count > 0)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        await LogContentHashesAsync(db, cancellationToken);
        return new DatabaseInitialization(Created: applied.Count == 0, AppliedMigrations: pending, BackupPath: backupPath);
    }

    private async Task LogContentHashesAsync(EduLoopDbContext db, CancellationToken cancellationToken)
    {
        var hashed = await FillContentHashesAsync(db, cancellationToken);
        if (hashed > 0)
        {
            logger.LogInformation("Computed the content fingerprint of {Count} existing questions", hashed);
        }
    }

    /// <summary>
    /// Swaps in a backup an admin staged for restore, before anything opens the database: the
    /// current database is backed up first (with what its journal holds), then the journal files are
    /// removed so SQLite cannot replay them onto the restored file.
    /// </summary>
    private RestoredBackup? ApplyPendingRestore()
    {
        var staged = location.PendingRestorePath;
        if (!File.Exists(staged))
        {
            return null;
        }

        var name = File.Exists(staged + ".name") ? File.ReadAllText(staged + ".name") : Path.GetFileName(staged);
        using (var pooled = new SqliteConnection(location.ConnectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }

        string? previous = null;
        if (File.Exists(location.DatabasePath) && new FileInfo(location.DatabasePath).Length > 0)
        {
            previous = Backup();
            using var pooled = new SqliteConnection(location.ConnectionString);
            SqliteConnection.ClearPool(pooled);
        }

        File.Delete(location.DatabasePath + "-wal");
        File.Delete(location.DatabasePath + "-shm");
        File.Move(staged, location.DatabasePath, overwrite: true);
        File.Delete(staged + ".name");
        PrivateFiles.Restrict(location.DatabaseFiles);
        logger.LogWarning("Restored the database from backup {Backup}; the database before it is kept as {Previous}", name, previous);
        return new RestoredBackup(name, previous);
    }

    /// <summary>Fingerprints questions saved before <see cref="QuestionBank.Question.ContentHash"/> existed, in batches.</summary>
    private static async Task<int> FillContentHashesAsync(EduLoopDbContext db, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var batch = await db.Questions.Where(q => q.ContentHash == 0).OrderBy(q => q.Id).Take(5_000)
                .Select(q => new { q.Id, q.Type, q.Stem, q.Body }).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return total;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var question in batch)
            {
                var hash = QuestionBank.QuestionHash.Of(question.Type, question.Stem, question.Body);
                await db.Questions.Where(q => q.Id == question.Id).ExecuteUpdateAsync(u => u.SetProperty(q => q.ContentHash, hash), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            total += batch.Count;
        }
    }

    /// <summary>A backup in the backup folder, taken while the database is in use: SQLite's online backup, or pg_dump.</summary>
    /// <exception cref="InvalidOperationException">On PostgreSQL without pg_dump, or when pg_dump fails.</exception>
    public async Task<string> BackupAsync(CancellationToken cancellationToken = default) => location.IsSqlite
        ? await Task.Run(Backup, cancellationToken)
        : await PostgresBackup.DumpAsync(location, clock, logger, cancellationToken)
            ?? throw new InvalidOperationException("pg_dump is not installed on this server, so EduLoop cannot back up its PostgreSQL database: install it (apt-get install postgresql-client) or back up with your own tools.");

    /// <summary>Copies the live database with SQLite's online backup, which is safe while it is in use.</summary>
    public string Backup()
    {
        PrivateFiles.CreateDirectory(location.BackupDirectory);
        var stamp = clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var path = Path.Combine(location.BackupDirectory, $"eduloop-{stamp}.db");
        for (var n = 2; File.Exists(path); n++)
        {
            path = Path.Combine(location.BackupDirectory, $"eduloop-{stamp}-{n}.db");
        }

        PrivateFiles.CreateFile(path);
        using var source = new SqliteConnection(location.ConnectionString);
        using var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        source.Open();
        source.BackupDatabase(destination);
        return path;
    }
}

public sealed record DatabaseInitialization(
    bool Created, IReadOnlyList<string> AppliedMigrations, string? BackupPath, RestoredBackup? Restored = null);

/// <summary>The backup that replaced the database at start-up, and where the replaced one was kept.</summary>
public sealed record RestoredBackup(string Name, string? PreviousKeptAs);
