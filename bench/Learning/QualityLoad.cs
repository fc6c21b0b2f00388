using System.Diagnostics;
using EduLoop.Domain.Data;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Querying;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Learning;

/// <summary>
/// Question quality at the bank's full size: every question already has its sums (40 answers each, one
/// in a hundred flagged too easy), then graded answers spread over the whole bank go through the
/// recorder, each moving its question's sums and flags on, and the bank's "Needs review" is read.
/// </summary>
public static class QualityLoad
{
    public const int FlaggedEvery = 100;

    public static async Task RunAsync(string dataDirectory)
    {
        await using var services = LearningData.Services(dataDirectory);
        var contexts = services.GetRequiredService<IDbContextFactory<EduLoopDbContext>>();
        // A database made before the sums existed gets their table first.
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            if (!await db.QuestionQualities.AnyAsync())
            {
                var started = Stopwatch.StartNew();
                await db.Database.ExecuteSqlRawAsync($"""
                    INSERT INTO "QuestionQualities" ("QuestionId", "ContentHash", "Responses", "ScoreSum", "QuizShown", "QuizBlank", "Pairs",
                        "SumX", "SumY", "SumXX", "SumYY", "SumXY", "Picks", "PickResponses", "Flags", "Dismissed", "OpenFlags", "UpdatedAt")
                    SELECT "Id", "ContentHash", 40, CASE WHEN "Id" % {FlaggedEvery} = 0 THEN 39.5 ELSE 24 END, 0, 0, 0, 0, 0, 0, 0, 0, '[]', 0,
                        CASE WHEN "Id" % {FlaggedEvery} = 0 THEN 4 ELSE 0 END, 0, CASE WHEN "Id" % {FlaggedEvery} = 0 THEN 4 ELSE 0 END, '2026-01-01 00:00:00'
                    FROM "Questions"
                    """);
                await db.Database.ExecuteSqlRawAsync("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);");
                Console.WriteLine($"Gave {await db.QuestionQualities.CountAsync():N0} questions their sums in {started.Elapsed.TotalSeconds:0.0} s.");
            }
        }

        await RecorderLoad.RunAsync(dataDirectory, 64, TimeSpan.FromSeconds(15), wholeBank: true);

        await using var scope = services.CreateAsyncScope();
        var bank = scope.ServiceProvider.GetRequiredService<BankService>();
        var view = new BankQuery(NeedsReview: true);
        var count = await bank.CountAsync(new BankSelection(view));
        await TimeAsync($"needs-review count ({count:N0} listed)", () => bank.CountAsync(new BankSelection(view)));
        await TimeAsync("needs-review first page of 20", () => bank.BrowseAsync(view, new PageRequest(1, 20)));
        await TimeAsync("needs-review page 250 of 20", () => bank.BrowseAsync(view, new PageRequest(250, 20)));
        await TimeAsync("needs-review first window of 50 (one list)", () => bank.WindowAsync(new BankScroll(view), 0, 50));
        await TimeAsync("needs-review in one subject, first page", () => bank.BrowseAsync(view with { SubjectId = 1 }, new PageRequest(1, 20)));
    }

    private static async Task TimeAsync<T>(string name, Func<Task<T>> read)
    {
        for (var i = 0; i < 3; i++)
        {
            await read();
        }

        var times = new List<double>();
        for (var i = 0; i < 21; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await read();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine(FormattableString.Invariant($"RESULT {name}: median_ms={times[times.Count / 2]:0.00} max_ms={times[^1]:0.00}"));
    }
}
