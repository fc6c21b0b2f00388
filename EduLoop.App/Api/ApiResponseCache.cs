using System.Buffers;
using System.Buffers.Binary;
using System.ComponentModel;
using System.Text;

using EduLoop.Domain.Caching;

using Microsoft.Extensions.Caching.Hybrid;

namespace EduLoop.App.Api;

/// <summary>
/// Serialized API pages, keyed by the full URL and kept under the kinds of data they were read from
/// (<see cref="DataTags"/>): a write to one of those kinds makes them stale, so a read after a write
/// never sees data from before it, while writes to other kinds (a practice step, an answer, a
/// sign-in) leave them cached. With several servers, a page one server built serves the others
/// through Redis.
/// </summary>
public sealed class ApiResponseCache(TaggedCache cache)
{
    public async Task<CachedResponse> GetOrLoadAsync(
        string key, IReadOnlyList<string> tags, Func<CancellationToken, Task<CachedResponse>> load, CancellationToken cancellationToken) =>
        await cache.GetOrLoadSharedAsync("api|" + key, tags, async token => await load(token), cancellationToken);
}

/// <param name="Body">The JSON answer.</param>
/// <param name="ETag">A strong ETag of the body.</param>
[ImmutableObject(true)]
public sealed record CachedResponse(byte[] Body, string ETag);

/// <summary>A cached page as bytes for the distributed cache: the ETag's length and UTF-8, then the body.</summary>
public sealed class CachedResponseSerializer : IHybridCacheSerializer<CachedResponse>
{
    public CachedResponse Deserialize(ReadOnlySequence<byte> source)
    {
        var reader = new SequenceReader<byte>(source);
        if (!reader.TryReadLittleEndian(out int length) || length < 0 || length > reader.Remaining)
        {
            throw new InvalidDataException("A cached API page is cut short.");
        }

        var etag = Encoding.UTF8.GetString(source.Slice(4, length));
        return new CachedResponse(source.Slice(4 + length).ToArray(), etag);
    }

    public void Serialize(CachedResponse value, IBufferWriter<byte> target)
    {
        var etag = Encoding.UTF8.GetBytes(value.ETag);
        BinaryPrimitives.WriteInt32LittleEndian(target.GetSpan(4), etag.Length);
        target.Advance(4);
        target.Write(etag);
        target.Write(value.Body);
    }
}
