using EduLoop.Domain;
using EduLoop.Domain.Backups;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Data;
using EduLoop.Tests.Infrastructure;

using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Domain;

public sealed class BackupServiceTests
{
    [Fact]
    public async Task List_WithoutBackups_IsEmpty()
    {
        await using var database = await DomainDatabase.CreateAsync();

        Assert.Empty(database.Get<BackupService>().List());
    }

    // A SQLite file checked with its own integrity check; pg_dump's backups are in PostgresDatabaseTests.
    [SqliteOnly]
    [Fact]
    public async Task CreateAsync_WhileAnotherConnectionWrites_CopiesAConsistentDatabase()
    {
        await using var database = await DomainDatabase.CreateAsync();
        var backups = database.Get<BackupService>();
        using var stop = new CancellationTokenSource();
        var written = 0;
        var writer = Task.Run(async () =>
        {
            await using var scope = database.Get<IServiceScopeFactory>().CreateAsyncScope();
            var classes = scope.ServiceProvider.GetRequiredService<ClassService>();
            while (!stop.IsCancellationRequested)
            {
                await classes.CreateAsync($"Class {written}", "");
                Interlocked.Increment(ref written);
            }
        });

        while (Volatile.Read(ref written) < 5)
        {
            await Task.Delay(10);
        }

        var made = new List<BackupFile>();
        for (var i = 0; i < 3; i++)
        {
            made.Add(await backups.CreateAsync());
        }

        await stop.CancelAsync();
        await writer;

        Assert.Equal(3, backups.List().Count);
        foreach (var backup in made)
        {
            var count = await CountClassesAsync(backups.PathOf(backup.Name)!);
            Assert.InRange(count, 5, written);
            Assert.Equal("ok", await ScalarAsync(backups.PathOf(backup.Name)!, "PRAGMA integrity_check"));
        }
    }

    [Fact]
    public async Task DeleteBeyond_KeepsTheNewest_AndDeletesTheOldest()
    {
        await using var database = await DomainDatabase.CreateAsync();
        var backups = database.Get<BackupService>();
        var names = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var backup = await backups.CreateAsync();
            File.SetLastWriteTimeUtc(backups.PathOf(backup.Name)!, new DateTime(2026, 1, 1 + i, 2, 0, 0, DateTimeKind.Utc));
            names.Add(backup.Name);
        }

        var deleted = backups.DeleteBeyond(2);

        Assert.Equal([names[1], names[0]], deleted);
        Assert.Equal([names[3], names[2]], backups.List().Select(b => b.Name));
    }

    [Theory]
    [InlineData("../eduloop.db")]
    [InlineData("eduloop.db")]
    [InlineData("/etc/passwd")]
    [InlineData("..")]
    [InlineData("")]
    public async Task PathOf_ANameNotInTheBackupFolder_IsNull(string name)
    {
        await using var database = await DomainDatabase.CreateAsync();
        var backups = database.Get<BackupService>();
        await backups.CreateAsync();

        Assert.Null(backups.PathOf(name));
    }

    // A staged restore swaps SQLite files; on PostgreSQL it is refused (PostgresDatabaseTests).
    [SqliteOnly]
    [Fact]
    public async Task StageRestoreAsync_ThenRestart_RestoresTheBackupsRows_AndKeepsTheReplacedDatabase()
    {
        await using var database = await DomainDatabase.CreateAsync();
        var classes = database.Get<ClassService>();
        var backups = database.Get<BackupService>();
        await classes.CreateAsync("7a", "");
        await classes.CreateAsync("7b", "");
        var backup = await backups.CreateAsync();
        await classes.CreateAsync("7c", "");

        await backups.StageRestoreAsync(backup.Name);
        Assert.Equal(backup.Name, backups.PendingRestore);
        Assert.Equal(3, (await classes.ListAsync()).Count);
        var result = await database.Get<DatabaseInitializer>().InitializeAsync();

        Assert.Equal(backup.Name, result.Restored?.Name);
        Assert.Null(backups.PendingRestore);
        var location = database.Get<DataLocation>();
        Assert.Equal(2, await CountClassesAsync(location.DatabasePath));
        Assert.Equal(2, (await database.Get<ClassService>().ListAsync()).Count);
        Assert.Equal(3, await CountClassesAsync(result.Restored!.PreviousKeptAs!));
    }

    // A staged restore swaps SQLite files; on PostgreSQL it is refused (PostgresDatabaseTests).
    [SqliteOnly]
    [Fact]
    public async Task StageRestoreAsync_AFileThatIsNoDatabase_IsRefused()
    {
        await using var database = await DomainDatabase.CreateAsync();
        var backups = database.Get<BackupService>();
        var location = database.Get<DataLocation>();
        Directory.CreateDirectory(location.BackupDirectory);
        await File.WriteAllTextAsync(Path.Combine(location.BackupDirectory, "broken.db"), "not a database");

        await Assert.ThrowsAsync<DomainValidationException>(() => backups.StageRestoreAsync("broken.db"));
        await Assert.ThrowsAsync<NotFoundException>(() => backups.StageRestoreAsync("../eduloop.db"));
        Assert.Null(backups.PendingRestore);
    }

    private static async Task<long> CountClassesAsync(string path) => (long)(await ScalarAsync(path, "SELECT count(*) FROM SchoolClasses"))!;

    private static async Task<object?> ScalarAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
