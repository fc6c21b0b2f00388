using System.Globalization;

using EduLoop.Domain.Data;

using Microsoft.Data.Sqlite;

namespace EduLoop.Domain.Backups;

/// <summary>A backup file in the backup folder.</summary>
public sealed record BackupFile(string Name, long SizeBytes, DateTime CreatedAtUtc);

/// <summary>
/// The backups in the data folder's backup directory: list, take one now, find one by its exact
/// name, keep only the newest few, and stage one to replace the database.
/// </summary>
/// <remarks>
/// A restore is staged, not applied: the chosen backup is checked and copied next to the database,
/// and <see cref="DatabaseInitializer"/> swaps it in at the next start, before anything opens the
/// database. Swapping the file under a running app would leave pooled connections, caches and
/// open circuits on the old data; a restart is the one moment nothing holds the file.
/// </remarks>
public sealed class BackupService(DatabaseInitializer initializer, DataLocation location)
{
    private readonly SemaphoreSlim _backingUp = new(1, 1);

    /// <summary>The backups, newest first.</summary>
    public IReadOnlyList<BackupFile> List()
    {
        if (!Directory.Exists(location.BackupDirectory))
        {
            return [];
        }

        return new DirectoryInfo(location.BackupDirectory).EnumerateFiles(Pattern)
            .Select(f => new BackupFile(f.Name, f.Length, f.LastWriteTimeUtc))
            .OrderByDescending(b => b.CreatedAtUtc).ThenByDescending(b => b.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Backups of SQLite are database files; of PostgreSQL, <c>pg_dump</c> archives for <c>pg_restore</c>.</summary>
    private string Pattern => location.IsSqlite ? "*.db" : "*.pgdump";

    /// <summary>Takes a backup with SQLite's online backup or pg_dump (both safe while others write); one at a time.</summary>
    public async Task<BackupFile> CreateAsync(CancellationToken cancellationToken = default)
    {
        await _backingUp.WaitAsync(cancellationToken);
        try
        {
            var path = await initializer.BackupAsync(cancellationToken);
            var file = new FileInfo(path);
            return new BackupFile(file.Name, file.Length, file.LastWriteTimeUtc);
        }
        finally
        {
            _backingUp.Release();
        }
    }

    /// <summary>
    /// The full path of the backup of exactly this name, or null. The name is compared with the
    /// folder's listing, never combined into a path, so no name reaches a file outside the folder.
    /// </summary>
    public string? PathOf(string name)
    {
        if (!Directory.Exists(location.BackupDirectory))
        {
            return null;
        }

        return Directory.EnumerateFiles(location.BackupDirectory, Pattern)
            .FirstOrDefault(path => string.Equals(Path.GetFileName(path), name, StringComparison.Ordinal));
    }

    /// <summary>Deletes the oldest backups beyond the newest <paramref name="keep"/>; returns their names.</summary>
    public IReadOnlyList<string> DeleteBeyond(int keep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var deleted = List().Skip(keep).Select(b => b.Name).ToList();
        foreach (var name in deleted)
        {
            File.Delete(Path.Combine(location.BackupDirectory, name));
        }

        return deleted;
    }

    /// <summary>The backup staged to replace the database at the next start, if any.</summary>
    public string? PendingRestore =>
        File.Exists(location.PendingRestorePath) && File.Exists(location.PendingRestorePath + ".name")
            ? File.ReadAllText(location.PendingRestorePath + ".name")
            : null;

    /// <summary>
    /// Checks that the backup is an EduLoop database and stages a copy of it; the database is
    /// replaced at the next start, after the current one is backed up.
    /// </summary>
    /// <exception cref="DomainValidationException">On PostgreSQL, which is restored with pg_restore by its administrator.</exception>
    public async Task StageRestoreAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!location.IsSqlite)
        {
            throw new DomainValidationException(null,
                "On PostgreSQL a backup is restored by the database's administrator with pg_restore, with every EduLoop server stopped (docs/scale-out.md).");
        }

        var path = PathOf(name) ?? throw new NotFoundException($"There is no backup named {name}.");
        await Task.Run(() => Check(path), cancellationToken);
        var staging = location.PendingRestorePath + ".tmp";
        PrivateFiles.CreateFile(staging);
        File.Copy(path, staging, overwrite: true);
        File.Move(staging, location.PendingRestorePath, overwrite: true);
        await File.WriteAllTextAsync(location.PendingRestorePath + ".name", name, cancellationToken);
    }

    /// <summary>Withdraws a staged restore.</summary>
    public void CancelRestore()
    {
        File.Delete(location.PendingRestorePath);
        File.Delete(location.PendingRestorePath + ".name");
    }

    private static void Check(string path)
    {
        try
        {
            using var connection = new SqliteConnection(
                new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA quick_check; ";
            var result = command.ExecuteScalar() as string;
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory'";
            var hasHistory = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 1;
            if (result != "ok" || !hasHistory)
            {
                throw new DomainValidationException(null, $"{Path.GetFileName(path)} is not a readable EduLoop database.");
            }
        }
        catch (SqliteException e)
        {
            throw new DomainValidationException(null, $"{Path.GetFileName(path)} is not a readable EduLoop database: {e.Message}");
        }
    }
}
