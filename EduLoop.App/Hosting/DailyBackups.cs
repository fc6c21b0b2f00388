using EduLoop.Domain.Backups;
using EduLoop.Domain.Settings;

using Microsoft.EntityFrameworkCore;

namespace EduLoop.App.Hosting;

/// <summary>
/// Takes the day's backup at the hour the admin chose (server time) and then keeps only the newest
/// backups, as many as the schedule says. It looks every few minutes rather than sleeping until the
/// hour, so a server that was off at that hour backs up when it comes back, and a changed schedule
/// applies without a restart.
/// </summary>
/// <remarks>
/// With several servers on one database, the first to find the backup due claims the day's run in
/// the database (a conditional upsert that only one server's statement can win), so the school gets
/// one backup a day, not one per server. A backup that fails gives the claim back, to be tried again.
/// </remarks>
public sealed class DailyBackups(
    BackupService backups, SchoolSettingsService settings, IDbContextFactory<EduLoop.Domain.Data.EduLoopDbContext> contextFactory,
    TimeProvider clock, ILogger<DailyBackups> logger)
    : BackgroundService
{
    /// <summary>The settings row that holds the due time of the last run claimed.</summary>
    public const string ClaimKey = "Backups.LastClaimed";

    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await RunOnceAsync(clock.GetLocalNow(), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The daily backup failed; trying again in {Interval}", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>
    /// Backs up if the schedule is on, its hour has come today and no backup was taken since; then
    /// deletes the oldest beyond the count to keep. Returns the backup it took, if it took one.
    /// </summary>
    public async Task<BackupFile?> RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var schedule = settings.Current.Backups;
        if (!schedule.Daily)
        {
            return null;
        }

        BackupFile? taken = null;
        var due = new DateTimeOffset(now.Date.AddHours(schedule.Hour), now.Offset);
        if (now >= due && !backups.List().Any(b => b.CreatedAtUtc >= due.UtcDateTime) && await ClaimAsync(due, cancellationToken))
        {
            try
            {
                taken = await backups.CreateAsync(cancellationToken);
            }
            catch
            {
                await GiveBackAsync(due);
                throw;
            }

            logger.LogInformation("Took the daily backup {Backup}", taken.Name);
        }

        foreach (var name in backups.DeleteBeyond(schedule.Keep))
        {
            logger.LogInformation("Deleted backup {Backup}, beyond the {Keep} kept", name, schedule.Keep);
        }

        return taken;
    }

    /// <summary>True for the one server whose statement moved the claim to this due time.</summary>
    private async Task<bool> ClaimAsync(DateTimeOffset due, CancellationToken cancellationToken)
    {
        var value = Claim(due);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "SchoolSettings" ("Key", "Value") VALUES ({ClaimKey}, {value})
            ON CONFLICT ("Key") DO UPDATE SET "Value" = excluded."Value" WHERE "SchoolSettings"."Value" < excluded."Value"
            """, cancellationToken) == 1;
    }

    private async Task GiveBackAsync(DateTimeOffset due)
    {
        var value = Claim(due);
        await using var db = await contextFactory.CreateDbContextAsync();
        await db.Database.ExecuteSqlAsync($"""DELETE FROM "SchoolSettings" WHERE "Key" = {ClaimKey} AND "Value" = {value}""");
    }

    /// <summary>The due time in UTC, sortable as text.</summary>
    private static string Claim(DateTimeOffset due) =>
        due.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
