using System.Buffers;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Hybrid;

namespace EduLoop.Domain.Caching;

/// <summary>
/// Values built from the database, kept in <see cref="HybridCache"/> under the kinds of data they
/// read (<see cref="DataTags"/>) until a write changes one of those kinds. Concurrent readers of a
/// missing value wait for one load rather than each running it.
/// </summary>
public sealed class TaggedCache(HybridCache cache, DataChanges changes, EduLoopMetrics metrics)
{
    /// <summary>How long an unchanged value stays: it is rebuilt now and then even when nothing changes.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private static readonly HybridCacheEntryOptions Options = new()
    {
        Expiration = Lifetime,
        LocalCacheExpiration = Lifetime,
        // Values are live objects of this process; a distributed cache is for values that are
        // serialized on purpose.
        Flags = HybridCacheEntryFlags.DisableDistributedCache | HybridCacheEntryFlags.DisableCompression,
    };

    /// <summary>
    /// Values that every server may share through the distributed cache when there is one (several
    /// servers with Redis); they must have a serializer (<see cref="HybridCache"/>'s).
    /// </summary>
    private static readonly HybridCacheEntryOptions SharedOptions = new()
    {
        Expiration = Lifetime,
        LocalCacheExpiration = Lifetime,
        Flags = HybridCacheEntryFlags.DisableCompression,
    };

    /// <summary>
    /// The value for <paramref name="key"/> as of the current data of <paramref name="tags"/>, loaded
    /// by <paramref name="load"/> when it is missing. A load that fails is not kept. The value stays
    /// in this server's memory.
    /// </summary>
    public async ValueTask<T> GetOrLoadAsync<T>(
        string key, IReadOnlyList<string> tags, Func<CancellationToken, ValueTask<T>> load, CancellationToken cancellationToken = default) =>
        (await LoadThroughAsync(key, tags, async token => new Kept<T>(await load(token)), Options, cancellationToken)).Value;

    /// <summary>
    /// Like <see cref="GetOrLoadAsync{T}"/>, for a value that can be written out (a serialized API
    /// page): with several servers, one server's load serves the others through the distributed cache.
    /// The tags let a change drop this server's copies at once; other servers' copies are left behind
    /// by the generations in the key, and leave their memory with the lifetime.
    /// </summary>
    public ValueTask<T> GetOrLoadSharedAsync<T>(
        string key, IReadOnlyList<string> tags, Func<CancellationToken, ValueTask<T>> load, CancellationToken cancellationToken = default) =>
        LoadThroughAsync(key, tags, load, SharedOptions, cancellationToken);

    private async ValueTask<T> LoadThroughAsync<T>(
        string key, IReadOnlyList<string> tags, Func<CancellationToken, ValueTask<T>> load, HybridCacheEntryOptions options, CancellationToken cancellationToken)
    {
        var kind = Kind(tags);
        metrics.CacheRequested(kind);
        if (await KeyAtAsync(key, tags, cancellationToken) is not { } keyAt)
        {
            metrics.CacheMissed(kind);
            return await load(cancellationToken);
        }

        return await cache.GetOrCreateAsync(keyAt, (load, metrics, kind), static (state, token) =>
        {
            state.metrics.CacheMissed(state.kind);
            return state.load(token);
        }, options, tags, cancellationToken);
    }

    /// <summary>The kinds a value read, as one label: "bank", "bank+taxonomy".</summary>
    private static string Kind(IReadOnlyList<string> tags) => tags.Count == 1 ? tags[0] : string.Join('+', tags);

    /// <summary>
    /// Keys longer than this (a URL with a long query), or with characters other than printable ASCII, are
    /// kept by their hash: HybridCache refuses long keys and keys with control characters.
    /// </summary>
    private const int MaxKeyLength = 256;

    /// <summary>
    /// The key with the generations of its tags: a change to any of them gives a new key. Null when
    /// the shared generations cannot be read.
    /// </summary>
    private async ValueTask<string?> KeyAtAsync(string key, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        if (key.Length > MaxKeyLength || key.AsSpan().ContainsAnyExceptInRange(' ', '~'))
        {
            key = "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }

        return await changes.StampAsync(tags, cancellationToken) is { } stamp ? $"{key}#{stamp}" : null;
    }
}

/// <summary>
/// A value kept as it is, shared by every reader: HybridCache copies (serializes) a value on every
/// read unless its type says it is immutable. Cached values are never changed after their load.
/// </summary>
[ImmutableObject(true)]
internal sealed record Kept<T>(T Value);

/// <summary>
/// Kept values stay in this process (they are live objects: principals, records): HybridCache asks
/// for their bytes only to weigh them, so they are written as nothing, and never read back, since
/// they never go to a distributed cache.
/// </summary>
internal sealed class KeptValuesStayInProcess : IHybridCacheSerializerFactory
{
    public bool TryCreateSerializer<T>([NotNullWhen(true)] out IHybridCacheSerializer<T>? serializer)
    {
        serializer = typeof(T).IsGenericType && typeof(T).GetGenericTypeDefinition() == typeof(Kept<>) ? new NotSerialized<T>() : null;
        return serializer is not null;
    }

    private sealed class NotSerialized<T> : IHybridCacheSerializer<T>
    {
        public T Deserialize(ReadOnlySequence<byte> source) =>
            throw new NotSupportedException("A value kept in process is never read from a distributed cache.");

        public void Serialize(T value, IBufferWriter<byte> target)
        {
        }
    }
}
