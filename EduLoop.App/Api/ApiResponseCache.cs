using System.ComponentModel;
using EduLoop.Domain.Caching;

namespace EduLoop.App.Api;

/// <summary>
/// Serialized API pages, keyed by the full URL and kept under the kinds of data they were read from
/// (<see cref="DataTags"/>): a write to one of those kinds makes them stale, so a read after a write
/// never sees data from before it, while writes to other kinds (a practice step, an answer, a
/// sign-in) leave them cached.
/// </summary>
public sealed class ApiResponseCache(TaggedCache cache)
{
    public async Task<CachedResponse> GetOrLoadAsync(
        string key, IReadOnlyList<string> tags, Func<CancellationToken, Task<CachedResponse>> load, CancellationToken cancellationToken) =>
        await cache.GetOrLoadAsync("api|" + key, tags, async token => await load(token), cancellationToken);
}

/// <param name="Body">The JSON answer.</param>
/// <param name="ETag">A strong ETag of the body.</param>
[ImmutableObject(true)]
public sealed record CachedResponse(byte[] Body, string ETag);
