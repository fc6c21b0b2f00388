using System.Diagnostics;
using System.Text.Json;

using EduLoop.App.Hosting;
using EduLoop.Domain.Moving;
using EduLoop.Domain.QuestionBank;
using EduLoop.Tests.Infrastructure;

using Microsoft.EntityFrameworkCore;

using Npgsql;

using Xunit.Abstractions;

namespace EduLoop.Tests.Domain;

/// <summary>The original service's database in PostgreSQL (as it ran in production), read through the same migration.</summary>
[Collection(ConsoleOutput.Collection)]
public sealed class DjangoMigrationPostgresTests(PostgresServer server, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task RunAsync_OriginalSchoolInPostgres_MovesWhatTheSqliteFileMoves()
    {
        using var files = new TempDirectory();
        var sqlite = Path.Combine(files.Path, "school.db");
        await OriginalSchool.CreateSqliteAsync(sqlite);
        await using var fromSqlite = await DomainDatabase.CreateAsync();
        await using (var source = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={sqlite};Pooling=False"))
        {
            await source.OpenAsync();
            Assert.Equal(DjangoMigrationOutcome.Moved, (await fromSqlite.Get<DjangoMigration>().RunAsync(source)).Outcome);
        }

        await using var postgres = await CreateSchemaAsync();
        await OriginalSchool.CopySqliteAsync(sqlite, postgres, "::jsonb");
        await using var fromPostgres = await DomainDatabase.CreateAsync();
        var result = await fromPostgres.Get<DjangoMigration>().RunAsync(postgres);

        Assert.Equal(DjangoMigrationOutcome.Moved, result.Outcome);
        Assert.Equal((2, 2, 2, 1, 5, 2, 1, 2), (result.Counts.Groups, result.Counts.Subjects, result.Counts.Categories, result.Counts.SubCategories,
            result.Counts.Questions, result.Counts.Accounts, result.Counts.Tokens, result.Counts.AccessKeys));
        await using var expected = fromSqlite.CreateContext();
        await using var actual = fromPostgres.CreateContext();
        Assert.Equal(await QuestionsAsync(expected), await QuestionsAsync(actual));
        Assert.Equal(await UsersAsync(expected), await UsersAsync(actual));
        Assert.Equal(await expected.Groups.OrderBy(g => g.Id).Select(g => new { g.Id, g.Name, g.Description, g.CreatedAt }).ToListAsync(),
            await actual.Groups.OrderBy(g => g.Id).Select(g => new { g.Id, g.Name, g.Description, g.CreatedAt }).ToListAsync());
        Assert.Equal(
            await expected.AccessKeys.OrderBy(k => k.Key).Select(k => new { k.Key, k.Description, k.IsActive, k.CreatedAt }).ToListAsync(),
            await actual.AccessKeys.OrderBy(k => k.Key).Select(k => new { k.Key, k.Description, k.IsActive, k.CreatedAt }).ToListAsync());
        Assert.Equal(await expected.ApiTokens.Select(t => t.KeyHash).SingleAsync(), await actual.ApiTokens.Select(t => t.KeyHash).SingleAsync());
    }

    [Fact]
    public async Task RunAsync_LargeSchoolInPostgres_MovesEveryRow()
    {
        const int questions = 5_000, users = 300;
        await using var postgres = await CreateSchemaAsync();
        await OriginalSchool.WriteLargeSchoolAsync(postgres, questions, users, "::jsonb");
        await using var database = await DomainDatabase.CreateAsync();

        var stopwatch = Stopwatch.StartNew();
        var result = await database.Get<DjangoMigration>().RunAsync(postgres);
        output.WriteLine($"Moved {questions:N0} questions and {users} accounts from PostgreSQL in {stopwatch.Elapsed.TotalSeconds:0.00} s.");

        Assert.Equal(DjangoMigrationOutcome.Moved, result.Outcome);
        var counts = result.Counts;
        Assert.Equal((4, 20, 120, 480, questions), (counts.Groups, counts.Subjects, counts.Categories, counts.SubCategories, counts.Questions));
        Assert.Equal((users, 1, 30, 269, 6), (counts.Accounts, counts.Admins, counts.Teachers, counts.Students, counts.UnusablePasswords));
        Assert.Equal((31, 10, 4), (counts.Tokens, counts.AccessKeys, counts.InactiveAccessKeys));
        await using var db = database.CreateContext();
        Assert.Equal(questions, await db.Questions.CountAsync());
        Assert.Equal(12, await db.Users.CountAsync(u => !u.IsActive));
        var math = await db.Questions.SingleAsync(q => q.Id == 3);
        Assert.Equal((QuestionType.Math, 1.5), (math.Type, math.Body.NumericAnswers.Single().Value ?? 0));
    }

    [Fact]
    public async Task Command_PostgresConnectionString_MovesTheSchool()
    {
        using var files = new TempDirectory();
        var sqlite = Path.Combine(files.Path, "school.db");
        await OriginalSchool.CreateSqliteAsync(sqlite);
        await using var postgres = await CreateSchemaAsync();
        await OriginalSchool.CopySqliteAsync(sqlite, postgres, "::jsonb");
        var data = Path.Combine(files.Path, "data");

        var (exitCode, printed, error) = await ConsoleOutput.CaptureAsync(() =>
            MigrateFromDjangoCommand.RunAsync(["--database", postgres.ConnectionString, "--data-dir", data]));

        Assert.True(exitCode == 0, error);
        Assert.Contains($"Moved from PostgreSQL database {postgres.Database} on 127.0.0.1:{server.Port}", printed);
        Assert.Contains("5 questions", printed);
    }

    [Fact]
    public async Task Command_PostgresWithoutTheOriginalsTables_ExitsTwo()
    {
        var connectionString = await server.CreateDatabaseAsync();
        using var files = new TempDirectory();

        var (exitCode, _, error) = await ConsoleOutput.CaptureAsync(() =>
            MigrateFromDjangoCommand.RunAsync(["--database", connectionString, "--data-dir", Path.Combine(files.Path, "data")]));

        Assert.Equal(2, exitCode);
        Assert.Contains("is not the original service's database", error);
    }

    private async Task<NpgsqlConnection> CreateSchemaAsync()
    {
        var connection = new NpgsqlConnection(await server.CreateDatabaseAsync());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = OriginalSchool.PostgresSchema;
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    /// <summary>
    /// The questions as stored, but for the order of their metadata's keys: PostgreSQL's jsonb keeps keys
    /// in an order of its own, and the original served them in that order from PostgreSQL, so each
    /// source's order is the one to keep.
    /// </summary>
    private static async Task<List<string>> QuestionsAsync(EduLoop.Domain.Data.EduLoopDbContext db) =>
        (await db.Questions.OrderBy(q => q.Id).ToListAsync())
            .Select(q =>
            {
                q.Body.MetadataOrder = null;
                return JsonSerializer.Serialize(new { q.Id, q.GroupId, q.SubjectId, q.CategoryId, q.SubCategoryId, q.Level, q.Type, q.Stem, q.Body, q.ContentHash, q.CreatedAt, q.UpdatedAt });
            })
            .ToList();

    private static async Task<List<string>> UsersAsync(EduLoop.Domain.Data.EduLoopDbContext db) =>
        (await db.Users.OrderBy(u => u.Number).ToListAsync())
            .Select(u => JsonSerializer.Serialize(new { u.Number, u.UserName, u.Email, u.FirstName, u.LastName, u.IsActive, u.CreatedAt, u.PasswordHash }))
            .ToList();
}
