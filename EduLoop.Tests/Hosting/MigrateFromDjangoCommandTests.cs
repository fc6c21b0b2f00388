using EduLoop.App.Hosting;
using EduLoop.Tests.Infrastructure;

using Microsoft.Data.Sqlite;

namespace EduLoop.Tests.Hosting;

[Collection(ConsoleOutput.Collection)]
public sealed class MigrateFromDjangoCommandTests
{
    [Fact]
    public async Task RunAsync_OriginalSchoolFile_MovesItAndPrintsTheCounts()
    {
        using var directory = new TempDirectory();
        var source = Path.Combine(directory.Path, "school.db");
        await OriginalSchool.CreateSqliteAsync(source);
        var data = Path.Combine(directory.Path, "data");

        var (exitCode, output, _) = await ConsoleOutput.CaptureAsync(() => MigrateFromDjangoCommand.RunAsync(["--database", source, "--data-dir", data]));

        Assert.Equal(0, exitCode);
        Assert.Contains("2 groups, 2 subjects, 2 categories, 1 subcategories, 5 questions", output);
        Assert.Contains("2 accounts (0 admins, 1 teachers, 1 students)", output);
        Assert.Contains("1 API tokens, 2 access keys (1 inactive)", output);
        Assert.Equal(5L, Scalar(data, "SELECT count(*) FROM Questions"));
    }

    [Fact]
    public async Task RunAsync_TargetNotEmpty_ExitsTwoAndLeavesItAsItWas()
    {
        using var directory = new TempDirectory();
        var source = Path.Combine(directory.Path, "school.db");
        await OriginalSchool.CreateSqliteAsync(source);
        var data = Path.Combine(directory.Path, "data");
        Assert.Equal(0, await MigrateFromDjangoCommand.RunAsync(["--database", source, "--data-dir", data]));
        await OriginalSchool.ExecuteAsync(source, "UPDATE questions_group SET name = 'Geändert' WHERE id = 1");

        var (exitCode, _, error) = await ConsoleOutput.CaptureAsync(() => MigrateFromDjangoCommand.RunAsync(["--database", source, "--data-dir", data]));

        Assert.Equal(2, exitCode);
        Assert.Contains("already holds 2 accounts, 2 account numbers given out, 2 groups", error);
        Assert.Equal("Mathematik", Scalar(data, "SELECT Name FROM Groups WHERE Id = 1"));
        Assert.Equal(5L, Scalar(data, "SELECT count(*) FROM Questions"));
    }

    [Fact]
    public async Task RunAsync_BadMetadata_ExitsOneNamingTheRow_AndWritesNothing()
    {
        using var directory = new TempDirectory();
        var source = Path.Combine(directory.Path, "school.db");
        await OriginalSchool.CreateSqliteAsync(source);
        await OriginalSchool.ExecuteAsync(source, """UPDATE questions_question SET metadata = '{"question": "Löse", "options": ["a"], "answer": "a"}' WHERE id = 1""");
        var data = Path.Combine(directory.Path, "data");

        var (exitCode, _, error) = await ConsoleOutput.CaptureAsync(() => MigrateFromDjangoCommand.RunAsync(["--database", source, "--data-dir", data]));

        Assert.Equal(1, exitCode);
        Assert.Contains("questions_question id 1: metadata: \"options\" must list at least two non-empty texts.", error);
        Assert.Contains("nothing was written", error);
        Assert.Equal(0L, Scalar(data, "SELECT count(*) FROM Questions"));
        Assert.Equal(0L, Scalar(data, "SELECT count(*) FROM AspNetUsers"));
    }

    [Theory]
    [InlineData("The source database \"/no/such/school.db\" is neither a file nor a PostgreSQL connection string", "--database", "/no/such/school.db")]
    [InlineData("Give the original service's database with --database.")]
    [InlineData("Unknown or invalid argument \"--database\"", "--database")]
    [InlineData("Unknown or invalid argument \"--bogus\"", "--bogus", "x")]
    public async Task RunAsync_NoSource_ExitsTwoWithAMessage_AndCreatesNothing(string message, params string[] args)
    {
        using var directory = new TempDirectory();
        var data = Path.Combine(directory.Path, "data");

        var (exitCode, _, error) = await ConsoleOutput.CaptureAsync(() => MigrateFromDjangoCommand.RunAsync(["--data-dir", data, .. args]));

        Assert.Equal(2, exitCode);
        Assert.Contains(message, error);
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public async Task RunAsync_FileThatIsNotTheOriginalsDatabase_ExitsTwo()
    {
        using var directory = new TempDirectory();
        var source = Path.Combine(directory.Path, "notes.txt");
        await File.WriteAllTextAsync(source, "not a database, just words, more than a hundred bytes long so that SQLite reads a header and finds it wrong.");
        var data = Path.Combine(directory.Path, "data");

        var (exitCode, _, error) = await ConsoleOutput.CaptureAsync(() => MigrateFromDjangoCommand.RunAsync(["--database", source, "--data-dir", data]));

        Assert.Equal(2, exitCode);
        Assert.Contains("is not the original service's database", error);
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public async Task Main_MigrateFromDjango_RunsTheCommand()
    {
        using var directory = new TempDirectory();
        var data = Path.Combine(directory.Path, "data");

        var entryPoint = typeof(Program).Assembly.EntryPoint!;
        var (exitCode, _, error) = await ConsoleOutput.CaptureAsync(() =>
            Task.FromResult((int)entryPoint.Invoke(null, [new[] { "migrate-from-django", "--database", "/no/such/school.db", "--data-dir", data }])!));

        Assert.Equal(2, exitCode);
        Assert.Contains("is neither a file nor a PostgreSQL connection string", error);
    }

    private static object? Scalar(string dataDirectory, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "eduloop.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
