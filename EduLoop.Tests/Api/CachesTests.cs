using EduLoop.App.Api;
using EduLoop.Domain.Data;
using EduLoop.Domain.Querying;

namespace EduLoop.Tests.Api;

/// <summary>The in-memory caches never answer with data from before a write.</summary>
public sealed class CachesTests
{
    [Fact]
    public void ResponseCache_AfterAWrite_MissesUntilRefilled()
    {
        var version = new DataVersion();
        var cache = new ApiResponseCache(version);
        cache.Set("http://x/api/groups/", new CachedResponse(version.Current, [1, 2, 3], "\"a\""));
        Assert.True(cache.TryGet("http://x/api/groups/", out _));

        version.Bump();

        Assert.False(cache.TryGet("http://x/api/groups/", out _));
    }

    [Fact]
    public void ResponseCache_EntryReadBeforeAWrite_IsNeverServedAfterIt()
    {
        var version = new DataVersion();
        var cache = new ApiResponseCache(version);
        var readAt = version.Current;
        version.Bump(); // a write lands while the page is being read

        cache.Set("k", new CachedResponse(readAt, [1], "\"a\""));

        Assert.False(cache.TryGet("k", out _));
    }

    [Fact]
    public async Task CountCache_CountsOncePerVersion()
    {
        var version = new DataVersion();
        var counts = new CountCache(version);
        var calls = 0;
        Task<int> Count() => Task.FromResult(++calls * 10);

        Assert.Equal(10, await counts.GetOrCountAsync("q", Count));
        Assert.Equal(10, await counts.GetOrCountAsync("q", Count));
        version.Bump();
        Assert.Equal(20, await counts.GetOrCountAsync("q", Count));
        Assert.Equal(2, calls);
    }

    [Fact]
    public void CredentialCache_AfterAWrite_ChecksAgain()
    {
        var version = new DataVersion();
        var cache = new CredentialCache(version, TimeProvider.System);
        cache.Set("Token abc", cache.Version, principal: null, expiresAt: null);
        Assert.True(cache.TryGet("Token abc", out var principal));
        Assert.Null(principal);

        version.Bump();

        Assert.False(cache.TryGet("Token abc", out _));
    }

    [Fact]
    public void CredentialCache_ExpiredToken_ChecksAgain()
    {
        var cache = new CredentialCache(new DataVersion(), TimeProvider.System);
        var principal = new System.Security.Claims.ClaimsPrincipal();
        cache.Set("Token fresh", cache.Version, principal, DateTime.UtcNow.AddMinutes(1));
        cache.Set("Token expired", cache.Version, principal, DateTime.UtcNow.AddSeconds(-1));

        Assert.True(cache.TryGet("Token fresh", out _));
        Assert.False(cache.TryGet("Token expired", out _));
    }
}
