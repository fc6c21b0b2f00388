using EduLoop.App.Hosting;
using EduLoop.Tests.Infrastructure;

using Microsoft.Data.Sqlite;

namespace EduLoop.Tests.Hosting;

public sealed class SeedCommandTests
{
    [Fact]
    public async Task RunAsync_FreshDirectory_FillsTheBankAndExitsZero()
    {
        using var directory = new TempDirectory();

        var exitCode = await SeedCommand.RunAsync(["--questions", "3000", "--data-dir", directory.Path]);

        Assert.Equal(0, exitCode);
        Assert.Equal(3000L, Scalar(directory.Path, "SELECT count(*) FROM Questions"));
        Assert.Equal(1000L, Scalar(directory.Path, "SELECT count(*) FROM SubCategories"));
    }

    [Fact]
    public async Task RunAsync_DatabaseWithABank_RefusesAndChangesNothing()
    {
        using var directory = new TempDirectory();
        Assert.Equal(0, await SeedCommand.RunAsync(["--questions", "100", "--data-dir", directory.Path]));

        var exitCode = await SeedCommand.RunAsync(["--questions", "100", "--data-dir", directory.Path]);

        Assert.Equal(1, exitCode);
        Assert.Equal(100L, Scalar(directory.Path, "SELECT count(*) FROM Questions"));
    }

    [Theory]
    [InlineData("--questions")]
    [InlineData("--questions", "-5")]
    [InlineData("--questions", "lots")]
    [InlineData("--questions", "99999999999")]
    [InlineData("--data-dir")]
    [InlineData("--questions", "0")]
    [InlineData("--bogus")]
    public async Task RunAsync_BadArguments_ExitsTwoWithoutADatabase(params string[] args)
    {
        using var directory = new TempDirectory();

        Assert.Equal(2, await SeedCommand.RunAsync(["--data-dir", directory.Path, .. args]));
        Assert.Empty(Directory.EnumerateFileSystemEntries(directory.Path));
    }

    private static object? Scalar(string directory, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "eduloop.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
