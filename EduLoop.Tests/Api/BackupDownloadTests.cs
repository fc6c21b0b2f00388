using System.Net;

using EduLoop.Domain.Backups;
using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;

using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Api;

public sealed class BackupDownloadTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    // The download is checked to be a SQLite file.
    [SqliteOnly]
    [Fact]
    public async Task Download_Admin_StreamsTheBackupFile()
    {
        var backup = await app.Services.GetRequiredService<BackupService>().CreateAsync();

        var response = await app.CreateClientAs(Roles.Admin).GetAsync($"/admin/backups/download/{backup.Name}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(backup.SizeBytes, bytes.Length);
        Assert.Equal("SQLite format 3\0", System.Text.Encoding.ASCII.GetString(bytes, 0, 16));
        Assert.Equal(backup.Name, response.Content.Headers.ContentDisposition?.FileName);
    }

    [Theory]
    [InlineData(Roles.Teacher)]
    [InlineData(Roles.Student)]
    public async Task Download_NonAdmin_IsForbidden(string role)
    {
        var backup = await app.Services.GetRequiredService<BackupService>().CreateAsync();

        var response = await app.CreateClientAs(role).GetAsync($"/admin/backups/download/{backup.Name}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("..%2Feduloop.db")]
    [InlineData("..%2F..%2Fappsettings.json")]
    [InlineData("eduloop.db")]
    [InlineData("%2Fetc%2Fpasswd")]
    [InlineData("missing.db")]
    public async Task Download_NameOutsideTheBackupFolder_IsNotFound(string name)
    {
        await app.Services.GetRequiredService<BackupService>().CreateAsync();

        var response = await app.CreateClientAs(Roles.Admin).GetAsync($"/admin/backups/download/{name}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
