using System.Net;
using System.Security.Cryptography;

using EduLoop.Domain.Data;
using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EduLoop.Tests.Security;

/// <summary>A database from before tokens were hashed: its clear keys keep working and are hashed at the first start.</summary>
public sealed class ApiTokenUpgradeTests
{
    /// <summary>The last migration before tokens were hashed.</summary>
    private const string BeforeHashing = "20261127131457_Grading";

    [Fact]
    public async Task ClearKeyFromBeforeHashing_KeepsWorkingAndIsHashedAtStart()
    {
        using var data = new TempDirectory();
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        var otherKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        await using (var db = new EduLoopDbContext(new DbContextOptionsBuilder<EduLoopDbContext>()
            .UseSqlite(EduLoop.Domain.DependencyInjection.SqliteConnectionString(data.Path)).Options))
        {
            await db.GetService<IMigrator>().MigrateAsync(BeforeHashing);
            await db.Database.ExecuteSqlRawAsync(
                """
                INSERT INTO AspNetUsers (Id, DisplayName, IsActive, CreatedAt, UserName, NormalizedUserName, Email, NormalizedEmail,
                    EmailConfirmed, SecurityStamp, ConcurrencyStamp, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount)
                VALUES ('old-user', 'Old Client', 1, '2026-11-01 00:00:00', 'old@school.test', 'OLD@SCHOOL.TEST', 'old@school.test',
                    'OLD@SCHOOL.TEST', 1, 'OLDSTAMP', 'x', 0, 0, 1, 0),
                    ('other-user', 'Other Client', 1, '2026-11-01 00:00:00', 'other@school.test', 'OTHER@SCHOOL.TEST', 'other@school.test',
                    'OTHER@SCHOOL.TEST', 1, 'OTHERSTAMP', 'y', 0, 0, 1, 0);
                INSERT INTO ApiTokens (Key, UserId, CreatedAt) VALUES ({0}, 'old-user', '2026-11-01 00:00:00'), ({1}, 'other-user', '2026-11-01 00:00:00');
                """, key, otherKey);
        }

        await using var app = new UpgradedApp(data.Path);
        var response = await app.CreateClient().WithAuthorization("Token", key).GetAsync("/api/current-user/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("old@school.test", (await response.JsonAsync()).GetProperty("email").GetString());
        var other = await app.CreateClient().WithAuthorization("Token", otherKey).GetAsync("/api/current-user/");
        Assert.Equal("other@school.test", (await other.JsonAsync()).GetProperty("email").GetString());
        await using var check = app.CreateDbContext();
        var stored = await check.ApiTokens.Where(t => t.UserId == "old-user").Select(t => t.KeyHash).SingleAsync();
        Assert.Equal(ApiTokenService.Hash(key), stored);
    }

    private sealed class UpgradedApp(string dataDirectory) : EduLoopAppFactory(dataDirectory)
    {
        protected override bool DemoData => false;
    }
}
