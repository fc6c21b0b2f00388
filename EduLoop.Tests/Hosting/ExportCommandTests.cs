using EduLoop.App.Hosting;
using EduLoop.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace EduLoop.Tests.Hosting;

public sealed class ExportCommandTests
{
    [Fact]
    public async Task ExportThenImport_CsvOfTheWholeBank_GivesTheSameQuestions_AndPreviewChangesNothing()
    {
        using var directory = new TempDirectory();
        var source = Path.Combine(directory.Path, "source");
        var target = Path.Combine(directory.Path, "target");
        var gift = Path.Combine(directory.Path, "bank.gift");
        var csv = Path.Combine(directory.Path, "bank.csv");
        await File.WriteAllTextAsync(gift, "$CATEGORY: A/B/C/D\n\n::One::One?{T}\n\nTwo?{=yes ~no}\n\nThree?{#3:0.1}\n");
        Assert.Equal(0, await ImportCommand.RunAsync(["--file", gift, "--data-dir", source]));

        Assert.Equal(0, await ExportCommand.RunAsync(["--format", "csv", "--out", csv, "--data-dir", source]));
        Assert.Equal(0, await ImportCommand.RunAsync(["--file", csv, "--preview", "true", "--data-dir", target]));
        Assert.Equal(0L, Count(target));
        Assert.Equal(0, await ImportCommand.RunAsync(["--file", csv, "--data-dir", target]));

        Assert.Equal(3L, Count(target));
        Assert.Equal(Questions(source), Questions(target));
    }

    [Theory]
    [InlineData("--format", "pdf", "--out", "x.pdf")]
    [InlineData("--format", "csv")]
    [InlineData("--bogus", "1")]
    public async Task RunAsync_BadArguments_ExitTwo(params string[] args)
    {
        using var directory = new TempDirectory();

        Assert.Equal(2, await ExportCommand.RunAsync(["--data-dir", directory.Path, .. args]));
    }

    private static long Count(string directory) => (long)Query(directory, "SELECT count(*) FROM Questions")[0];

    private static List<object> Questions(string directory) =>
        Query(directory, "SELECT Type || '|' || Level || '|' || Title || '|' || Stem || '|' || Body || '|' || ContentHash FROM Questions ORDER BY Id");

    private static List<object> Query(string directory, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "eduloop.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object>();
        while (reader.Read())
        {
            rows.Add(reader.GetValue(0));
        }

        return rows;
    }
}
