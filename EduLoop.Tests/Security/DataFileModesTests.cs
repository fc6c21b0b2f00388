using EduLoop.Domain.Data;
using EduLoop.Tests.Infrastructure;

using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Security;

/// <summary>On Linux the data directory and what EduLoop writes into it are readable by EduLoop's account only.</summary>
public sealed class DataFileModesTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task Start_FreshDataDirectory_KeepsDatabaseAndKeysPrivate()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var parent = new TempDirectory();
        var data = Path.Combine(parent.Path, "school", "data");
        await using (var app = new AppOverDirectory(data))
        {
            // A page with a form: the antiforgery token needs a data-protection key.
            Assert.Contains("__RequestVerificationToken", await app.CreateClient().GetStringAsync("/Account/Login"));
            var backup = app.Services.GetRequiredService<DatabaseInitializer>().Backup();

            Assert.Equal(Private, ModeOf(data));
            Assert.Equal(Private, ModeOf(Path.Combine(data, "keys")));
            Assert.Equal(Private, ModeOf(Path.Combine(data, "backups")));
            Assert.Equal(PrivateFile, ModeOf(backup));
            var database = Path.Combine(data, "eduloop.db");
            Assert.True(File.Exists(database + "-wal"));
            foreach (var file in new[] { database, database + "-wal", database + "-shm" }.Where(File.Exists))
            {
                Assert.Equal(PrivateFile, ModeOf(file));
            }

            var keys = Directory.GetFiles(Path.Combine(data, "keys"), "*.xml");
            Assert.NotEmpty(keys);
            Assert.All(keys, key => Assert.Equal(PrivateFile, ModeOf(key)));
        }
    }

    [Fact]
    public async Task Start_FilesLeftReadableByOthers_MakesThemPrivate()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var data = new TempDirectory();
        var keys = Path.Combine(data.Path, "keys");
        await using (var first = new AppOverDirectory(data.Path))
        {
            await first.CreateClient().GetStringAsync("/Account/Login");
        }

        // As an older version (or a copy made by hand) left them.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var loose = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        var database = Path.Combine(data.Path, "eduloop.db");
        File.SetUnixFileMode(database, loose);
        foreach (var key in Directory.GetFiles(keys, "*.xml"))
        {
            File.SetUnixFileMode(key, loose);
        }

        await using (var second = new AppOverDirectory(data.Path))
        {
            await second.CreateClient().GetStringAsync("/Account/Login");

            Assert.Equal(PrivateFile, ModeOf(database));
            Assert.All(Directory.GetFiles(keys, "*.xml"), key => Assert.Equal(PrivateFile, ModeOf(key)));
        }
    }

    private static UnixFileMode ModeOf(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException();
        }

        return File.GetUnixFileMode(path);
    }

    private sealed class AppOverDirectory(string dataDirectory) : EduLoopAppFactory(dataDirectory)
    {
        protected override bool DemoData => false;
    }
}
