using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Domain;

/// <summary>The token lookup behind every API request with a token: whose a key is, and only while it works.</summary>
public sealed class ApiTokenServiceTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private DomainDatabase _database = null!;
    private ApiTokenService _tokens = null!;
    private string _user = null!;

    public async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        _tokens = new ApiTokenService(_database.CreateFactory(), _clock);
        await using var db = _database.CreateContext();
        var user = new ApplicationUser { UserName = "ana@school.test", Email = "ana@school.test", SecurityStamp = "stamp-1" };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        _user = user.Id;
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task FindAsync_TokenWithAnExpiry_WorksUntilThen_AndOneWithoutKeepsWorking()
    {
        var expiring = await _tokens.CreateAsync(_user, "Expiring", _clock.Now.UtcDateTime.AddHours(1));
        var lasting = await _tokens.CreateAsync(_user, "Lasting", null);

        Assert.Equal(new ApiTokenOwner(_user, "stamp-1", _clock.Now.UtcDateTime.AddHours(1)), await _tokens.FindAsync(expiring.Key));
        _clock.Now += TimeSpan.FromHours(1);

        Assert.Null(await _tokens.FindAsync(expiring.Key));
        Assert.Equal(new ApiTokenOwner(_user, "stamp-1", null), await _tokens.FindAsync(lasting.Key));
    }

    [Fact]
    public async Task FindAsync_RevokedUnknownOrOfADeactivatedAccount_IsNull()
    {
        var revoked = await _tokens.CreateAsync(_user, "Revoked", null);
        var kept = await _tokens.CreateAsync(_user, "Kept", null);

        Assert.True(await _tokens.RevokeAsync(_user, revoked.Token.Id));

        Assert.Null(await _tokens.FindAsync(revoked.Key));
        Assert.Null(await _tokens.FindAsync(new string('0', ApiToken.KeyLength)));
        Assert.Equal(_user, (await _tokens.FindAsync(kept.Key))?.UserId);

        await using (var db = _database.CreateContext())
        {
            await db.Users.Where(u => u.Id == _user).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsActive, false));
        }

        Assert.Null(await _tokens.FindAsync(kept.Key));
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
