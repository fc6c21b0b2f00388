using EduLoop.Domain.Backups;
using EduLoop.Domain.Settings;

namespace EduLoop.App.Hosting;

/// <summary>
/// Takes the day's backup at the hour the admin chose (server time) and then keeps only the newest
/// backups, as many as the schedule says. It looks every few minutes rather than sleeping until the
/// hour, so a server that was off at that hour backs up when it comes back, and a changed schedule
/// applies without a restart.
/// </summary>
public sealed class DailyBackups(BackupService backups, SchoolSettingsService settings, TimeProvider clock, ILogger<DailyBackups> logger)
    : BackgroundService
{
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
        if (now >= due && !backups.List().Any(b => b.CreatedAtUtc >= due.UtcDateTime))
        {
            taken = await backups.CreateAsync(cancellationToken);
            logger.LogInformation("Took the daily backup {Backup}", taken.Name);
        }

        foreach (var name in backups.DeleteBeyond(schedule.Keep))
        {
            logger.LogInformation("Deleted backup {Backup}, beyond the {Keep} kept", name, schedule.Keep);
        }

        return taken;
    }
}
