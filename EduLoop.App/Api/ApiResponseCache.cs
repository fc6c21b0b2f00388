using System.Collections.Concurrent;
using EduLoop.Domain.Data;

namespace EduLoop.App.Api;

/// <summary>
/// Serialized API pages kept in memory, keyed by the full URL. An entry is valid only for the
/// <see cref="DataVersion"/> it was made at: any write makes every older entry stale, so a read after
/// a write never sees data from before it.
/// </summary>
public sealed class ApiResponseCache(DataVersion dataVersion)
{
    private const int MaxEntries = 20_000;
    private const long MaxBytes = 128L * 1024 * 1024;
    private readonly ConcurrentDictionary<string, CachedResponse> _entries = new(StringComparer.Ordinal);
    private long _bytes;

    public long Version => dataVersion.Current;

    public bool TryGet(string key, out CachedResponse response)
    {
        if (_entries.TryGetValue(key, out response!) && response.Version == dataVersion.Current)
        {
            return true;
        }

        response = null!;
        return false;
    }

    public void Set(string key, CachedResponse response)
    {
        if (_entries.Count >= MaxEntries || Interlocked.Read(ref _bytes) + response.Body.Length > MaxBytes)
        {
            // Rare, and cheap to rebuild: start over rather than track recency on the hot path.
            _entries.Clear();
            Interlocked.Exchange(ref _bytes, 0);
        }

        _entries[key] = response;
        Interlocked.Add(ref _bytes, response.Body.Length);
    }
}

/// <param name="Version">The data version the body was read at.</param>
public sealed record CachedResponse(long Version, byte[] Body, string ETag);
