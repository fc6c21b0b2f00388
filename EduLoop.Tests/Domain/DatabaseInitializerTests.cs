using EduLoop.Domain.Data;
using EduLoop.Tests.Infrastructure;

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Domain;

// The file, its backup copy and its pragmas; PostgreSQL's start-up is in PostgresDatabaseTests.
[SqliteOnly]
public sealed class DatabaseInitializerTests
{
    [Fact]
    public async Task InitializeAsync_EmptyFile_AppliesEveryMigrationWithoutBackup()
    {
        await using var database = await DomainDatabase.CreateAsync(initialize: false);
        await File.WriteAllBytesAsync(Path.Combine(database.Directory, "eduloop.db"), []);

        var result = await database.Get<DatabaseInitializer>().InitializeAsync();

        Assert.True(result.Created);
        Assert.NotEmpty(result.AppliedMigrations);
        Assert.Null(result.BackupPath);
        await using var db = database.CreateContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(0, await db.Questions.CountAsync());
    }

    [Fact]
    public async Task InitializeAsync_ExistingFileWithPendingMigrations_BacksUpTheOldFileFirst()
    {
        await using var database = await DomainDatabase.CreateAsync(initialize: false);
        var path = Path.Combine(database.Directory, "eduloop.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE Legacy (Id INTEGER PRIMARY KEY, Note TEXT); INSERT INTO Legacy (Note) VALUES ('kept');";
            await command.ExecuteNonQueryAsync();
        }

        var result = await database.Get<DatabaseInitializer>().InitializeAsync();

        Assert.False(result.Created);
        Assert.NotNull(result.BackupPath);
        Assert.StartsWith(Path.Combine(database.Directory, "backups", "eduloop-"), result.BackupPath);
        await using var backup = new SqliteConnection($"Data Source={result.BackupPath};Mode=ReadOnly;Pooling=False");
        await backup.OpenAsync();
        await using var query = backup.CreateCommand();
        query.CommandText = "SELECT Note FROM Legacy; ";
        Assert.Equal("kept", await query.ExecuteScalarAsync());
        query.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'Questions'";
        Assert.Equal(0L, await query.ExecuteScalarAsync());
    }

    [Fact]
    public async Task InitializeAsync_UpToDateDatabase_TakesNoBackup()
    {
        await using var database = await DomainDatabase.CreateAsync();

        var result = await database.Get<DatabaseInitializer>().InitializeAsync();

        Assert.False(result.Created);
        Assert.Empty(result.AppliedMigrations);
        Assert.Null(result.BackupPath);
        Assert.False(Directory.Exists(Path.Combine(database.Directory, "backups")));
    }

    [Fact]
    public async Task Connection_AfterInitialize_UsesWalForeignKeysAndFullSync()
    {
        await using var database = await DomainDatabase.CreateAsync();
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync();

        Assert.Equal("wal", await Pragma(db, "journal_mode"));
        Assert.Equal(1L, await Pragma(db, "foreign_keys"));
        Assert.Equal(2L, await Pragma(db, "synchronous")); // 2 = FULL
    }

    private static async Task<object?> Pragma(EduLoopDbContext db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return await command.ExecuteScalarAsync();
    }
}
