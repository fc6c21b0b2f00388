using System.Diagnostics;
using System.Globalization;

using EduLoop.Domain;
using EduLoop.Domain.Data;
using EduLoop.Domain.Data.Seeding;

using Microsoft.EntityFrameworkCore;

namespace EduLoop.App.Hosting;

/// <summary>
/// <c>seed --questions N [--mix synthetic|demo] --data-dir DIR</c>: fills a fresh database with a bank for
/// benchmarks and prints how long it took. The synthetic mix is single-choice questions over a large
/// hierarchy; the demo mix is the demo school's questions of all eight types, repeated with variations.
/// </summary>
public static class SeedCommand
{
    private const string Usage = "Usage: EduLoop.App seed --questions N [--mix synthetic|demo] [--data-dir DIR]";

    public static async Task<int> RunAsync(string[] args)
    {
        if (await CommandLine.ReadOptionsAsync(args, Usage, "--questions", "--mix", "--data-dir") is not { } options)
        {
            return 2;
        }

        var questions = 100_000;
        if (options.TryGetValue("--questions", out var count)
            && !(int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out questions) && questions is > 0 and <= 50_000_000))
        {
            await CommandLine.FailAsync($"--questions takes a number from 1 to 50,000,000, not \"{count}\".", Usage);
            return 2;
        }

        var mix = options.GetValueOrDefault("--mix", "synthetic");
        if (mix is not ("synthetic" or "demo"))
        {
            await CommandLine.FailAsync($"--mix is synthetic or demo, not \"{mix}\".", Usage);
            return 2;
        }

        var dataDirectory = options.GetValueOrDefault("--data-dir", "data");
        using var host = await CommandLine.OpenDatabaseAsync(dataDirectory);
        var services = host.Services;
        var contextFactory = services.GetRequiredService<IDbContextFactory<EduLoopDbContext>>();
        await using (var db = await contextFactory.CreateDbContextAsync())
        {
            if (await db.Groups.AnyAsync())
            {
                await Console.Error.WriteLineAsync($"The database in {Path.GetFullPath(dataDirectory)} already has a bank; seed needs an empty one.");
                return 1;
            }
        }

        var taxonomy = mix == "demo" ? DemoBank.Taxonomy() : SyntheticBank.Taxonomy();
        var total = Stopwatch.StartNew();
        await using var scope = services.CreateAsyncScope();
        var progress = new Progress<int>(n => Console.WriteLine($"  {n:N0} questions written"));
        var elapsed = await scope.ServiceProvider.GetRequiredService<BankWriter>()
            .WriteAsync(taxonomy, mix == "demo" ? DemoBank.Questions(questions) : SyntheticBank.Questions(questions, taxonomy.SubCategories.Count),
                createdById: null, progress);

        var location = services.GetRequiredService<DataLocation>();
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Seeded {questions:N0} questions ({taxonomy.Groups.Count} groups, {taxonomy.Subjects.Count} subjects, " +
            $"{taxonomy.Categories.Count} categories, {taxonomy.SubCategories.Count} subcategories) in {elapsed.TotalSeconds:0.0} s");
        if (!location.IsSqlite)
        {
            Console.WriteLine($"{summary}. Database: {location.Database.Describe(location.DatabasePath)}.");
            return 0;
        }

        await using (var db = await contextFactory.CreateDbContextAsync())
        {
            // Fold the write-ahead log into the file so its size is the real size.
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }

        var size = new FileInfo(location.DatabasePath).Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{summary} ({total.Elapsed.TotalSeconds:0.0} s with checkpoint). Database: {location.DatabasePath}, {size / 1024.0 / 1024.0:0.0} MiB."));
        return 0;
    }
}
