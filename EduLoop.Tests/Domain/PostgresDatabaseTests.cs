using EduLoop.Domain;
using EduLoop.Domain.Backups;
using EduLoop.Domain.Data;
using EduLoop.Tests.Infrastructure;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

using Npgsql;

namespace EduLoop.Tests.Domain;

/// <summary>
/// What only PostgreSQL does, on a throwaway server of its own (so these run in every pass): the
/// start-up migration and its pg_dump backup, backups as pg_dump archives, a restore refused.
/// </summary>
public sealed class PostgresDatabaseTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private async Task<DomainDatabase> NewDatabaseAsync(bool initialize) =>
        await DomainDatabase.CreateAsync(new DatabaseSettings(DatabaseProvider.PostgreSQL, await server.CreateDatabaseAsync()), initialize);

    [Fact]
    public async Task Initialize_AnEmptyDatabase_AppliesEveryMigrationWithoutBackup_AndASecondStartNothing()
    {
        await using var database = await NewDatabaseAsync(initialize: false);
        var initializer = database.Get<DatabaseInitializer>();

        var first = await initializer.InitializeAsync();
        var second = await initializer.InitializeAsync();

        await using var db = database.CreateContext();
        Assert.True(first.Created);
        Assert.Equal(db.Database.GetMigrations(), first.AppliedMigrations);
        Assert.Contains(first.AppliedMigrations, m => m.EndsWith("_SearchAndCounts", StringComparison.Ordinal));
        Assert.Null(first.BackupPath);
        // EF would read the missing history table first and log the failure as an error.
        Assert.Empty(database.Failures.Entries);
        Assert.False(second.Created);
        Assert.Empty(second.AppliedMigrations);
        Assert.Equal(0, await db.Database.SqlQueryRaw<long>("SELECT COUNT(*) AS \"Value\" FROM \"QuestionCounts\"").SingleAsync());
    }

    [Fact]
    public async Task EachProvidersMigrations_DescribeTheWholeModel()
    {
        await using var postgres = await NewDatabaseAsync(initialize: false);
        await using var sqlite = await DomainDatabase.CreateAsync(DatabaseSettings.Sqlite, initialize: false);
        await using var onPostgres = postgres.CreateContext();
        await using var onSqlite = sqlite.CreateContext();

        // A model change without a migration for one of the providers fails here.
        Assert.False(onPostgres.Database.HasPendingModelChanges());
        Assert.False(onSqlite.Database.HasPendingModelChanges());
        Assert.Equal(typeof(EduLoop.Data.PostgreSQL.Migrations.SearchAndCounts).Assembly, onPostgres.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrationsAssembly>().Assembly);
    }

    [Fact]
    public async Task Initialize_WithAPendingMigration_TakesAPgDumpBackupFirst()
    {
        await using var database = await NewDatabaseAsync(initialize: true);
        await using (var db = database.CreateContext())
        {
            // As a database one version behind: the last migration undone and not in the history.
            await db.Database.ExecuteSqlRawAsync(PostgresSql.DropCounts);
            await db.Database.ExecuteSqlRawAsync(PostgresSql.DropSearch);
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" LIKE '%_SearchAndCounts'");
        }

        var result = await database.Get<DatabaseInitializer>().InitializeAsync();

        Assert.False(result.Created);
        Assert.Single(result.AppliedMigrations, m => m.EndsWith("_SearchAndCounts", StringComparison.Ordinal));
        Assert.NotNull(result.BackupPath);
        Assert.EndsWith(".pgdump", result.BackupPath);
        Assert.Equal("PGDMP"u8.ToArray(), File.ReadAllBytes(result.BackupPath).Take(5).ToArray());
        await using var check = database.CreateContext();
        Assert.Equal(0, await check.Database.SqlQueryRaw<long>("SELECT COUNT(*) AS \"Value\" FROM \"QuestionTagCounts\"").SingleAsync());
    }

    [Fact]
    public async Task Backups_ArePgDumpArchivesInTheBackupFolder_AndARestoreIsLeftToPgRestore()
    {
        await using var database = await NewDatabaseAsync(initialize: true);
        var backups = database.Get<BackupService>();

        var taken = await backups.CreateAsync();
        var again = await backups.CreateAsync();

        Assert.EndsWith(".pgdump", taken.Name);
        Assert.NotEqual(taken.Name, again.Name);
        Assert.Equal(new[] { taken.Name, again.Name }.Order(StringComparer.Ordinal), backups.List().Select(b => b.Name).Order(StringComparer.Ordinal));
        Assert.True(new FileInfo(backups.PathOf(taken.Name)!).Length > 1_000);
        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => backups.StageRestoreAsync(taken.Name));
        Assert.Contains("pg_restore", refused.Message);
        Assert.Null(backups.PendingRestore);
    }

    [Fact]
    public async Task AConnectionStringWithAWrongPassword_FailsAtStart_WithPostgreSQLsMessage()
    {
        var connection = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync()) { Username = "nobody" }.ConnectionString;
        await using var database = await DomainDatabase.CreateAsync(new DatabaseSettings(DatabaseProvider.PostgreSQL, connection), initialize: false);

        var error = await Assert.ThrowsAsync<PostgresException>(() => database.Get<DatabaseInitializer>().InitializeAsync());

        Assert.Contains("nobody", error.MessageText);
    }
}
