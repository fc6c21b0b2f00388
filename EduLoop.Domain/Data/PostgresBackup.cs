using System.Diagnostics;
using System.Globalization;

using Microsoft.Extensions.Logging;

using Npgsql;

namespace EduLoop.Domain.Data;

/// <summary>A PostgreSQL database copied with <c>pg_dump</c> (custom format, for <c>pg_restore</c>) into the backup folder.</summary>
internal static class PostgresBackup
{
    /// <summary>The backup's path, or null when <c>pg_dump</c> is not installed.</summary>
    /// <exception cref="InvalidOperationException">pg_dump ran and failed; its message says why.</exception>
    public static async Task<string?> DumpAsync(DataLocation location, TimeProvider clock, ILogger logger, CancellationToken cancellationToken)
    {
        if (FindPgDump() is not { } pgDump)
        {
            return null;
        }

        PrivateFiles.CreateDirectory(location.BackupDirectory);
        var stamp = clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var path = Path.Combine(location.BackupDirectory, $"eduloop-{stamp}.pgdump");
        for (var n = 2; File.Exists(path); n++)
        {
            path = Path.Combine(location.BackupDirectory, $"eduloop-{stamp}-{n}.pgdump");
        }

        PrivateFiles.CreateFile(path);

        var connection = new NpgsqlConnectionStringBuilder(location.Database.ConnectionString);
        var start = new ProcessStartInfo(pgDump) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "--format=custom", "--no-owner", "--file", path, "--host", connection.Host ?? "localhost",
            "--port", connection.Port.ToString(CultureInfo.InvariantCulture), "--username", connection.Username ?? "postgres", "--dbname", connection.Database ?? "postgres" })
        {
            start.ArgumentList.Add(argument);
        }

        // The password goes by the environment, never on the command line where other accounts could read it.
        if (!string.IsNullOrEmpty(connection.Password))
        {
            start.Environment["PGPASSWORD"] = connection.Password;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("pg_dump could not be started.");
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            File.Delete(path);
            throw new InvalidOperationException($"pg_dump failed ({process.ExitCode}), so the database was not migrated: {(await error).Trim()}");
        }

        logger.LogDebug("pg_dump wrote {Backup}", path);
        return path;
    }

    /// <summary>pg_dump on the PATH, or the newest under Debian's /usr/lib/postgresql.</summary>
    private static string? FindPgDump()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "pg_dump")).FirstOrDefault(File.Exists);
        if (onPath is not null)
        {
            return onPath;
        }

        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_dump")).Where(File.Exists)
                .OrderByDescending(p => p, StringComparer.Ordinal).FirstOrDefault()
            : null;
    }
}
