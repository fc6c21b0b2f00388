using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

using Npgsql;

namespace EduLoop.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server for the tests that read from it: a new cluster in a temp folder
/// (<c>initdb</c>), started on a free loopback port with its socket in the same folder, stopped and
/// removed at the end. initdb refuses root, so as root the server runs as the <c>postgres</c> account.
/// Without PostgreSQL's programs the fixture fails: CI has them, and a skipped test would hide a gap.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "eduloop-pg-" + Guid.NewGuid().ToString("N"));
    private string _bin = "";
    private bool _started;

    public int Port { get; private set; }

    private string DataDirectory => Path.Combine(_root, "data");

    /// <summary>The superuser's connection string to a database of this server.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        Pooling = false,
    }.ConnectionString;

    /// <summary>A new, empty database; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "school_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE {name}";
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async Task InitializeAsync()
    {
        _bin = FindBinaries();
        Directory.CreateDirectory(_root);
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", "postgres:postgres", _root);
        }

        await RunPostgresAsync("initdb", "-D", DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync");
        Port = Deployed.FreePort();
        await RunPostgresAsync("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start");
        _started = true;
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_started)
            {
                await RunPostgresAsync("pg_ctl", "-D", DataDirectory, "-m", "fast", "-w", "stop");
            }
        }
        finally
        {
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, recursive: true);
            }
        }
    }

    /// <summary>The newest installed PostgreSQL's programs, as Debian lays them out.</summary>
    private static string FindBinaries()
    {
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var version) ? version : 0)
                .ToList()
            : [];
        return installed.FirstOrDefault() ?? throw new InvalidOperationException(
            "PostgreSQL's programs (initdb, pg_ctl) are not installed under /usr/lib/postgresql/<version>/bin. " +
            "The PostgreSQL tests need them: apt-get install postgresql.");
    }

    private Task RunPostgresAsync(string program, params string[] arguments) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, program), .. arguments])
            : RunAsync(Path.Combine(_bin, program), arguments);

    /// <summary>Runs one of the server's programs; its log in the exception when it fails.</summary>
    private async Task RunAsync(string program, params string[] arguments)
    {
        try
        {
            await Processes.RunAsync(program, Path.GetTempPath(), arguments);
        }
        catch (InvalidOperationException failed) when (File.Exists(Path.Combine(_root, "server.log")))
        {
            throw new InvalidOperationException(failed.Message + await File.ReadAllTextAsync(Path.Combine(_root, "server.log")), failed);
        }
    }
}
