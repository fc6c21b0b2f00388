using EduLoop.App.Hosting;
using EduLoop.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace EduLoop.Tests.Hosting;

public sealed class ImportCommandTests
{
    [Fact]
    public async Task RunAsync_GiftFile_ImportsIt()
    {
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "bank.gift");
        await File.WriteAllTextAsync(file, "$CATEGORY: A/B/C\n\nOne?{T}\n\nTwo?{=yes ~no}\n");

        Assert.Equal(0, await ImportCommand.RunAsync(["--gift", file, "--data-dir", directory.Path]));

        using var connection = new SqliteConnection($"Data Source={Path.Combine(directory.Path, "eduloop.db")};Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM Questions";
        Assert.Equal(2L, count.ExecuteScalar());
    }

    [Fact]
    public async Task RunAsync_FileWithAnError_ImportsNothingAndExitsOne()
    {
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "bank.gift");
        await File.WriteAllTextAsync(file, "One?{T}\n\nBroken {=a\n");

        Assert.Equal(1, await ImportCommand.RunAsync(["--gift", file, "--target", "A/B/C", "--data-dir", directory.Path]));
    }

    [Theory]
    [InlineData("--gift")]
    [InlineData("--gift", "/no/such/file.gift")]
    [InlineData("--target", "A/B")]
    [InlineData("--bogus")]
    public async Task RunAsync_BadArguments_ExitTwo(params string[] args)
    {
        using var directory = new TempDirectory();

        Assert.Equal(2, await ImportCommand.RunAsync(["--data-dir", directory.Path, .. args]));
        Assert.Empty(Directory.EnumerateFileSystemEntries(directory.Path));
    }
}
