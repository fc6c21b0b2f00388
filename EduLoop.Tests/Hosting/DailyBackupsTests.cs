using EduLoop.App.Hosting;
using EduLoop.Domain.Backups;
using EduLoop.Domain.Settings;
using EduLoop.Tests.Infrastructure;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace EduLoop.Tests.Hosting;

public sealed class DailyBackupsTests
{
    [Fact]
    public async Task RunOnceAsync_ScheduleOff_TakesNoBackup()
    {
        await using var database = await DomainDatabase.CreateAsync();

        var taken = await Scheduler(database).RunOnceAsync(DateTimeOffset.Now);

        Assert.Null(taken);
        Assert.Empty(database.Get<BackupService>().List());
    }

    [Fact]
    public async Task RunOnceAsync_AfterTheHour_TakesTheDaysBackupOnce()
    {
        await using var database = await DomainDatabase.CreateAsync();
        await database.Get<SchoolSettingsService>().SaveAsync(new SchoolSettings { Backups = new BackupSchedule(true, 0, 7) });
        var scheduler = Scheduler(database);

        var first = await scheduler.RunOnceAsync(DateTimeOffset.Now);
        var second = await scheduler.RunOnceAsync(DateTimeOffset.Now);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal([first.Name], database.Get<BackupService>().List().Select(b => b.Name));
    }

    [Fact]
    public async Task RunOnceAsync_BeforeTheHour_WaitsForIt()
    {
        await using var database = await DomainDatabase.CreateAsync();
        await database.Get<SchoolSettingsService>().SaveAsync(new SchoolSettings { Backups = new BackupSchedule(true, 23, 7) });
        var now = DateTimeOffset.Now;
        var beforeTheHour = new DateTimeOffset(now.Date.AddHours(22), now.Offset);

        Assert.Null(await Scheduler(database).RunOnceAsync(beforeTheHour));
    }

    [Fact]
    public async Task RunOnceAsync_BeyondTheCountToKeep_DeletesTheOldest()
    {
        await using var database = await DomainDatabase.CreateAsync();
        var backups = database.Get<BackupService>();
        var old = new List<string>();
        for (var day = 1; day <= 3; day++)
        {
            var backup = await backups.CreateAsync();
            File.SetLastWriteTimeUtc(backups.PathOf(backup.Name)!, DateTime.UtcNow.AddDays(-10 + day));
            old.Add(backup.Name);
        }

        await database.Get<SchoolSettingsService>().SaveAsync(new SchoolSettings { Backups = new BackupSchedule(true, 0, 2) });

        var taken = await Scheduler(database).RunOnceAsync(DateTimeOffset.Now);

        Assert.NotNull(taken);
        Assert.Equal([taken.Name, old[2]], backups.List().Select(b => b.Name));
    }

    [Fact]
    public async Task RunOnceAsync_TwoServersOnOneDatabase_TakeOneBackupBetweenThem()
    {
        await using var database = await DomainDatabase.CreateAsync();
        await database.Get<SchoolSettingsService>().SaveAsync(new SchoolSettings { Backups = new BackupSchedule(true, 0, 7) });
        var now = DateTimeOffset.Now;

        var first = await Scheduler(database).RunOnceAsync(now);
        // The other server keeps its own backup folder, where the first one's backup is not.
        File.Delete(database.Get<BackupService>().PathOf(first!.Name)!);
        var second = await Scheduler(database).RunOnceAsync(now);
        var tomorrow = await Scheduler(database).RunOnceAsync(now.AddDays(1));

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.NotNull(tomorrow);
    }

    private static DailyBackups Scheduler(DomainDatabase database) => new(
        database.Get<BackupService>(), database.Get<SchoolSettingsService>(), database.Get<IDbContextFactory<EduLoop.Domain.Data.EduLoopDbContext>>(),
        TimeProvider.System, NullLogger<DailyBackups>.Instance);
}
