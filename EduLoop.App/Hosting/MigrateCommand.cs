using System.Globalization;

using EduLoop.Domain;
using EduLoop.Domain.Data;
using EduLoop.Domain.Moving;

using Npgsql;

namespace EduLoop.App.Hosting;

/// <summary>
/// <c>migrate --to postgresql --connection CONNECTION-STRING [--data-dir DIR]</c>: copies the school in
/// DIR's SQLite database into an empty PostgreSQL database, checks every table's rows and the
/// questions' checksum, and prints the settings that point EduLoop at it. Exit codes: 0 moved and
/// checked; 1 a check disagreed (do not switch); 2 bad arguments, no SQLite database, or a target that
/// is unreachable or not empty (nothing written).
/// </summary>
public static class MigrateCommand
{
    private const string Usage = "Usage: EduLoop.App migrate --to postgresql --connection \"Host=…;Database=…;Username=…;Password=…\" [--data-dir DIR]";

    public static async Task<int> RunAsync(string[] args)
    {
        if (await CommandLine.ReadOptionsAsync(args, Usage, "--to", "--connection", "--data-dir") is not { } options)
        {
            return 2;
        }

        if (!string.Equals(options.GetValueOrDefault("--to"), "postgresql", StringComparison.OrdinalIgnoreCase))
        {
            await CommandLine.FailAsync("The only target is PostgreSQL: give --to postgresql.", Usage);
            return 2;
        }

        DatabaseSettings target;
        try
        {
            target = DatabaseSettings.Parse("PostgreSQL", options.GetValueOrDefault("--connection"));
        }
        catch (DomainValidationException e)
        {
            await CommandLine.FailAsync(e.Message.Replace("ConnectionStrings:EduLoop", "--connection", StringComparison.Ordinal), Usage);
            return 2;
        }

        var dataDirectory = Path.GetFullPath(options.GetValueOrDefault("--data-dir", "data"));
        var file = Path.Combine(dataDirectory, EduLoopOptions.DatabaseFileName);
        if (!File.Exists(file) || new FileInfo(file).Length == 0)
        {
            await Console.Error.WriteLineAsync($"There is no school database at {file}; give the data folder of the school to move with --data-dir.");
            return 2;
        }

        // The source is the folder's SQLite file, whatever EduLoop is configured to use; it is brought up to date first.
        using var host = await CommandLine.OpenDatabaseAsync(dataDirectory, DatabaseSettings.Sqlite);
        await using var scope = host.Services.CreateAsyncScope();
        PostgresMoveResult result;
        try
        {
            result = await scope.ServiceProvider.GetRequiredService<PostgresMove>()
                .RunAsync(target.ConnectionString!, new Progress<string>(step => Console.WriteLine($"  {step}")));
        }
        catch (NpgsqlException e)
        {
            await Console.Error.WriteLineAsync($"PostgreSQL refused the move: {e.Message}{Environment.NewLine}Nothing was written.");
            return 2;
        }

        if (result.Outcome == PostgresMoveOutcome.Refused)
        {
            await Console.Error.WriteLineAsync($"{result.Problem} Nothing was written.");
            return 2;
        }

        foreach (var table in result.Tables)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {table.Table,-28} {table.Source,10:N0} → {table.Target,10:N0}{(table.Source == table.Target ? "" : "   DIFFERENT")}"));
        }

        Console.WriteLine($"  questions' checksum: {result.SourceChecksum} → {result.TargetChecksum}");
        if (result.Outcome == PostgresMoveOutcome.CheckFailed)
        {
            await Console.Error.WriteLineAsync($"The check failed: {result.Problem} Keep running on SQLite; drop the PostgreSQL database and try again.");
            return 1;
        }

        var safe = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Password = null };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            Moved {result.Tables.Sum(t => t.Target):N0} rows from {file} in {result.Elapsed.TotalSeconds:0.0} s; every table and the questions' checksum agree.
            To run on PostgreSQL from now on, stop EduLoop and start it with:
              EduLoop__Database__Provider=PostgreSQL
              ConnectionStrings__EduLoop="{safe.ConnectionString};Password=…"
              EduLoop__DataDirectory={dataDirectory}
            Uploaded images, backups and sign-in keys stay in the data folder: keep EduLoop:DataDirectory pointing at it
            (on several servers, a folder they share). The SQLite file is left as it was.
            """));
        return 0;
    }
}
