using System.Data.Common;
using System.Globalization;

using EduLoop.Domain.Moving;

using Microsoft.Data.Sqlite;

using Npgsql;

namespace EduLoop.App.Hosting;

/// <summary>
/// <c>migrate-from-django --database FILE|CONNECTION-STRING [--data-dir DIR]</c>: moves a school from the
/// original Django service's database (its SQLite file, or a PostgreSQL connection string such as
/// <c>Host=db;Database=school;Username=eduloop;Password=…</c>) into an empty EduLoop database, all or
/// nothing, and prints what it moved. Exit codes: 0 moved; 1 rows that cannot be moved (listed), nothing
/// written; 2 no readable source, or a target that is not empty.
/// </summary>
public static class MigrateFromDjangoCommand
{
    private const string Usage =
        "Usage: EduLoop.App migrate-from-django --database <the original's SQLite file | PostgreSQL connection string> [--data-dir DIR]";

    public static async Task<int> RunAsync(string[] args)
    {
        if (await CommandLine.ReadOptionsAsync(args, Usage, "--database", "--data-dir") is not { } options)
        {
            return 2;
        }

        if (options.GetValueOrDefault("--database") is not { } database)
        {
            await CommandLine.FailAsync("Give the original service's database with --database.", Usage);
            return 2;
        }

        await using var source = CreateSource(database, out var described);
        if (source is null)
        {
            await CommandLine.FailAsync(
                $"The source database \"{database}\" is neither a file nor a PostgreSQL connection string (Host=…;Database=…;Username=…).", Usage);
            return 2;
        }

        try
        {
            await source.OpenAsync();
        }
        catch (Exception e) when (e is DbException or ArgumentException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"Cannot open the source database {described}: {e.Message}");
            return 2;
        }

        if (await DjangoMigration.CheckSourceAsync(source) is { } problem)
        {
            await Console.Error.WriteLineAsync($"{described} is not the original service's database. {problem}");
            return 2;
        }

        var dataDirectory = options.GetValueOrDefault("--data-dir", "data");
        using var host = await CommandLine.OpenDatabaseAsync(dataDirectory);
        await using var scope = host.Services.CreateAsyncScope();
        DjangoMigrationResult result;
        try
        {
            result = await scope.ServiceProvider.GetRequiredService<DjangoMigration>().RunAsync(source);
        }
        catch (DbException e)
        {
            // Mostly the source failing while it is read (a dropped connection, a damaged file); the target's transaction is rolled back.
            await Console.Error.WriteLineAsync($"The migration from {described} stopped: {e.Message}{Environment.NewLine}Nothing was written.");
            return 2;
        }

        switch (result.Outcome)
        {
            case DjangoMigrationOutcome.TargetNotEmpty:
                await Console.Error.WriteLineAsync($"{result.Message} (data folder: {Path.GetFullPath(dataDirectory)})");
                return 2;
            case DjangoMigrationOutcome.RowsRejected:
                foreach (var row in result.RejectedRows)
                {
                    await Console.Error.WriteLineAsync($"{row.Table} id {row.Id}: {row.Reason}");
                }

                await Console.Error.WriteLineAsync(result.Message);
                return 1;
        }

        var c = result.Counts;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Moved from {described} in {result.Elapsed.TotalSeconds:0.00} s into {Path.GetFullPath(dataDirectory)}:{Environment.NewLine}" +
            $"  {c.Groups:N0} groups, {c.Subjects:N0} subjects, {c.Categories:N0} categories, {c.SubCategories:N0} subcategories, {c.Questions:N0} questions{Environment.NewLine}" +
            $"  {c.Accounts:N0} accounts ({c.Admins:N0} admins, {c.Teachers:N0} teachers, {c.Students:N0} students), " +
            $"{c.UnusablePasswords:N0} of them with a password hash EduLoop cannot check (they need a new password){Environment.NewLine}" +
            $"  {c.Tokens:N0} API tokens, {c.AccessKeys:N0} access keys ({c.InactiveAccessKeys:N0} inactive)"));
        foreach (var warning in result.Warnings)
        {
            Console.WriteLine($"  Note: {warning}");
        }

        return 0;
    }

    /// <summary>A connection to an existing file (read only), or to PostgreSQL; null when the value is neither.</summary>
    private static DbConnection? CreateSource(string database, out string described)
    {
        if (File.Exists(database))
        {
            described = Path.GetFullPath(database);
            return new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = described,
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false,
            }.ToString());
        }

        described = database;
        if (!database.Contains('=', StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(database);
            if (string.IsNullOrEmpty(builder.Host))
            {
                return null;
            }

            // Named without the password.
            described = $"PostgreSQL database {builder.Database} on {builder.Host}:{builder.Port}";
            return new NpgsqlConnection(builder.ConnectionString);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
