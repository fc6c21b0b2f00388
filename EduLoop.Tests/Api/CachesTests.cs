using System.Security.Claims;
using EduLoop.App.Api;
using EduLoop.Domain.Caching;
using EduLoop.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Api;

/// <summary>The caches never answer with data from before a write to what they read, and keep what other writes do not touch.</summary>
public sealed class CachesTests : IAsyncLifetime
{
    private DomainDatabase _database = null!;
    private TaggedCache _cache = null!;
    private DataChanges _changes = null!;

    public async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync(initialize: false);
        _cache = _database.Get<TaggedCache>();
        _changes = _database.Get<DataChanges>();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private static readonly string[] Bank = [DataTags.Bank, DataTags.Taxonomy];

    [Fact]
    public async Task AValue_IsLoadedOnce_UntilAKindItReadsChanges()
    {
        var loads = 0;
        ValueTask<int> Load(CancellationToken _) => ValueTask.FromResult(++loads * 10);

        Assert.Equal(10, await _cache.GetOrLoadAsync("q", Bank, Load));
        Assert.Equal(10, await _cache.GetOrLoadAsync("q", Bank, Load));
        _changes.Changed(DataTags.Practice, DataTags.Attempts, DataTags.Accounts);
        Assert.Equal(10, await _cache.GetOrLoadAsync("q", Bank, Load));
        _changes.Changed(DataTags.Taxonomy);
        Assert.Equal(20, await _cache.GetOrLoadAsync("q", Bank, Load));
        Assert.Equal(2, loads);
    }

    [Fact]
    public async Task AValueReadBeforeAChange_IsNeverServedAfterIt()
    {
        var release = new TaskCompletionSource();
        var loads = 0;
        async ValueTask<string> Load(CancellationToken _)
        {
            var n = ++loads;
            if (n == 1)
            {
                await release.Task; // a write lands while the first load is still reading
            }

            return $"read {n}";
        }

        var first = _cache.GetOrLoadAsync("k", Bank, Load).AsTask();
        _changes.Changed(DataTags.Bank);
        // A read that starts after the change neither waits for nor shares the older load.
        Assert.Equal("read 2", await _cache.GetOrLoadAsync("k", Bank, Load));
        release.SetResult();
        Assert.Equal("read 1", await first);
        Assert.Equal("read 2", await _cache.GetOrLoadAsync("k", Bank, Load));
    }

    [Fact]
    public async Task ConcurrentReadersOfAMissingValue_ShareOneLoad()
    {
        var release = new TaskCompletionSource();
        var loads = 0;
        async ValueTask<int> Load(CancellationToken _)
        {
            Interlocked.Increment(ref loads);
            await release.Task;
            return 42;
        }

        var readers = Enumerable.Range(0, 20).Select(_ => _cache.GetOrLoadAsync("shared", Bank, Load).AsTask()).ToList();
        release.SetResult();

        Assert.All(await Task.WhenAll(readers), value => Assert.Equal(42, value));
        Assert.Equal(1, loads);
    }

    [Fact]
    public async Task AVeryLongKey_IsKeptToo()
    {
        var loads = 0;
        var key = "http://x /api/subjects/?search=" + new string('a', 5_000);
        ValueTask<int> Load(CancellationToken _) => ValueTask.FromResult(++loads);

        Assert.Equal(1, await _cache.GetOrLoadAsync(key, Bank, Load));
        Assert.Equal(1, await _cache.GetOrLoadAsync(key, Bank, Load));
        Assert.Equal(2, await _cache.GetOrLoadAsync(key + "b", Bank, Load));
    }

    [Theory]
    [InlineData("http://x /api/subjects/?search=\u0000\u001b[31m")]
    [InlineData("http://x /api/subjects/?search=\ud800")]
    [InlineData("http://x /api/subjects/?search=Straße")]
    public async Task AKeyWithControlOrNonAsciiCharacters_IsKeptToo(string key)
    {
        var loads = 0;
        ValueTask<int> Load(CancellationToken _) => ValueTask.FromResult(++loads);

        Assert.Equal(1, await _cache.GetOrLoadAsync(key, Bank, Load));
        Assert.Equal(1, await _cache.GetOrLoadAsync(key, Bank, Load));
    }

    [Fact]
    public async Task AFailedLoad_IsNotKept()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await _cache.GetOrLoadAsync<int>("fails", Bank, _ => throw new InvalidOperationException("database gone")));

        Assert.Equal(7, await _cache.GetOrLoadAsync("fails", Bank, _ => ValueTask.FromResult(7)));
    }

    [Fact]
    public async Task ResponseCache_AfterAWriteToWhatItRead_LoadsAgain_AndNotAfterOtherWrites()
    {
        var responses = new ApiResponseCache(_cache);
        var loads = 0;
        Task<CachedResponse> Load(CancellationToken _) => Task.FromResult(new CachedResponse([(byte)++loads], "\"e\""));

        Assert.Equal([1], (await responses.GetOrLoadAsync("http://x /api/groups/", [DataTags.Taxonomy], Load, default)).Body);
        _changes.Changed(DataTags.Bank, DataTags.Practice);
        Assert.Equal([1], (await responses.GetOrLoadAsync("http://x /api/groups/", [DataTags.Taxonomy], Load, default)).Body);
        _changes.Changed(DataTags.Taxonomy);
        Assert.Equal([2], (await responses.GetOrLoadAsync("http://x /api/groups/", [DataTags.Taxonomy], Load, default)).Body);
    }

    [Fact]
    public async Task CredentialCache_AfterAnAccountOrKeyChange_ChecksAgain()
    {
        var credentials = new CredentialCache(_cache, _database.Get<IServiceScopeFactory>(), TimeProvider.System);
        var checks = 0;
        Task<(ClaimsPrincipal?, DateTime?)> Check(IServiceProvider services, CancellationToken _) => Task.FromResult<(ClaimsPrincipal?, DateTime?)>((++checks == 1 ? new ClaimsPrincipal() : null, null));

        Assert.NotNull(await credentials.GetOrCheckAsync("Token abc", Check, default));
        _changes.Changed(DataTags.Bank, DataTags.Attempts);
        Assert.NotNull(await credentials.GetOrCheckAsync("Token abc", Check, default));
        _changes.Changed(DataTags.Classes); // an access key deactivated
        Assert.Null(await credentials.GetOrCheckAsync("Token abc", Check, default));
        Assert.Equal(2, checks);
    }

    [Fact]
    public async Task CredentialCache_ExpiredToken_IsNoOne()
    {
        var credentials = new CredentialCache(_cache, _database.Get<IServiceScopeFactory>(), TimeProvider.System);
        var principal = new ClaimsPrincipal();

        Assert.Same(principal, await credentials.GetOrCheckAsync("Token fresh", (_, _) => Task.FromResult<(ClaimsPrincipal?, DateTime?)>((principal, DateTime.UtcNow.AddMinutes(1))), default));
        Assert.Null(await credentials.GetOrCheckAsync("Token expired", (_, _) => Task.FromResult<(ClaimsPrincipal?, DateTime?)>((principal, DateTime.UtcNow.AddSeconds(-1))), default));
    }

    [Fact]
    public async Task CredentialCache_RequestThatStartedTheCheckGoesAway_TheOthersStillGetTheirPrincipal()
    {
        var services = new ServiceCollection().AddScoped<ScopeProbe>().BuildServiceProvider();
        var credentials = new CredentialCache(_cache, services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System);
        var principal = new ClaimsPrincipal();
        var release = new TaskCompletionSource();
        var checks = 0;
        async Task<(ClaimsPrincipal?, DateTime?)> Check(IServiceProvider scope, CancellationToken cancellationToken)
        {
            checks++;
            var probe = scope.GetRequiredService<ScopeProbe>();
            await release.Task;
            // The check reads on after its first caller has gone: through a scope and a token of its own.
            Assert.False(probe.Disposed);
            cancellationToken.ThrowIfCancellationRequested();
            return (principal, null);
        }

        using var firstGone = new CancellationTokenSource();
        var first = credentials.GetOrCheckAsync("Token shared", Check, firstGone.Token);
        var second = credentials.GetOrCheckAsync("Token shared", Check, CancellationToken.None);
        // The first caller gives up while the check still runs; it alone is cancelled.
        await firstGone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(TimeSpan.FromSeconds(10)));
        release.SetResult();

        Assert.Same(principal, await second);
        Assert.Equal(1, checks);
    }

    [Fact]
    public async Task ApiPage_RequestThatStartedTheLoadGoesAway_TheOthersStillGetThePageWithItsLinks()
    {
        var services = new ServiceCollection()
            .AddSingleton(new ApiResponseCache(_cache))
            .AddSingleton<ApiLinks>()
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(new EduLoop.Domain.EduLoopOptions()))
            .BuildServiceProvider();
        var release = new TaskCompletionSource();
        var loads = 0;
        async Task<EduLoop.Domain.Querying.PageResult<int>> Load(
            EduLoop.App.Api.Compatible.ListRequest list, EduLoop.Domain.Querying.PageRequest page, CancellationToken cancellationToken)
        {
            loads++;
            await release.Task;
            cancellationToken.ThrowIfCancellationRequested();
            return new EduLoop.Domain.Querying.PageResult<int>(3, 2, 1, [42]);
        }

        HttpContext Request(CancellationToken aborted)
        {
            var context = new DefaultHttpContext { RequestServices = services, RequestAborted = aborted };
            context.Request.Scheme = "http";
            context.Request.Host = new HostString("school.example");
            context.Request.Path = "/api/groups/";
            context.Request.QueryString = new QueryString("?page=2&page_size=1");
            return context;
        }

        using var firstGone = new CancellationTokenSource();
        var firstContext = Request(firstGone.Token);
        var first = ApiResponses.PageAsync(firstContext, [DataTags.Taxonomy], Load, n => n, PageOfNumbers);
        var second = ApiResponses.PageAsync(Request(CancellationToken.None), [DataTags.Taxonomy], Load, n => n, PageOfNumbers);
        // The first request ends: its token is cancelled and its context given back to the server.
        await firstGone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(TimeSpan.FromSeconds(10)));
        ((DefaultHttpContext)firstContext).Uninitialize();
        release.SetResult();

        var page = Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.FileContentHttpResult>(await second);
        var json = System.Text.Json.JsonDocument.Parse(page.FileContents).RootElement;
        Assert.Equal("http://school.example/api/groups/?page=3&page_size=1", json.GetProperty("next").GetString());
        Assert.Equal("http://school.example/api/groups/?page_size=1", json.GetProperty("previous").GetString());
        Assert.Equal(1, loads);
    }

    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo<Page<int>> PageOfNumbers =
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<Page<int>>)new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)
        {
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        }.GetTypeInfo(typeof(Page<int>));

    private sealed class ScopeProbe : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
