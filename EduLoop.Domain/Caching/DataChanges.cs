using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Hybrid;

namespace EduLoop.Domain.Caching;

/// <summary>
/// Where committed writes are announced, by the kinds of data they changed (<see cref="DataTags"/>).
/// Each kind has a generation that a change moves on; <see cref="TaggedCache"/> puts the generations
/// of the kinds a value reads into its key, so a read that starts after a change never shares an
/// entry, or a load still running, with reads from before it. The change is also passed to
/// <see cref="HybridCache.RemoveByTagAsync(string, CancellationToken)"/>, which drops the old entries.
/// </summary>
/// <remarks>
/// With several servers the generations are shared (<see cref="ISharedGenerations"/>): a write moves
/// them on before it is acknowledged, and every cached read asks for them, so a read through another
/// server right after a write never gets the value from before it. The other servers are also told
/// (<see cref="IOtherServers"/>) so they drop their old entries and reload what they keep in memory.
/// </remarks>
public sealed class DataChanges
{
    private const string Topic = "data-changes";

    private readonly HybridCache _cache;
    private readonly ISharedGenerations? _shared;
    private readonly IOtherServers _others;
    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);

    public DataChanges(HybridCache cache, IOtherServers? others = null, ISharedGenerations? shared = null)
    {
        _cache = cache;
        _shared = shared;
        _others = others ?? new NoOtherServers();
        _others.Listen(Topic, message => Apply(message.Split(',', StringSplitOptions.RemoveEmptyEntries)));
    }

    /// <summary>Raised after a change to data of these kinds, made here or, with several servers, by another one.</summary>
    public event Action<IReadOnlyCollection<string>>? Announced;

    /// <summary>How many times data of this kind has changed since this server started.</summary>
    public long GenerationOf(string tag) => _generations.GetValueOrDefault(tag);

    /// <summary>
    /// The generations of <paramref name="tags"/> as text for a cache key: this server's own, or the
    /// shared ones; null when the shared ones cannot be read (the value is then read without the cache).
    /// </summary>
    public ValueTask<string?> StampAsync(IReadOnlyList<string> tags, CancellationToken cancellationToken = default) =>
        _shared is null ? ValueTask.FromResult<string?>(LocalStamp(tags)) : _shared.StampAsync(tags, cancellationToken);

    /// <summary>Announces a committed change to data of these kinds.</summary>
    public void Changed(params IReadOnlyCollection<string> tags)
    {
        _shared?.MoveOn(tags);
        Apply(tags);
        _others.Tell(Topic, string.Join(',', tags));
    }

    /// <inheritdoc cref="Changed"/>
    public async Task ChangedAsync(params IReadOnlyCollection<string> tags)
    {
        if (_shared is not null)
        {
            await _shared.MoveOnAsync(tags);
        }

        Apply(tags);
        _others.Tell(Topic, string.Join(',', tags));
    }

    private void Apply(IReadOnlyCollection<string> tags)
    {
        foreach (var tag in tags)
        {
            _generations.AddOrUpdate(tag, 1, static (_, generation) => generation + 1);
            // Without a distributed cache the removal completes at once; with one, it must not hold
            // the writer up.
            _ = _cache.RemoveByTagAsync(tag).AsTask();
        }

        Announced?.Invoke(tags);
    }

    private string LocalStamp(IReadOnlyList<string> tags) => tags.Count switch
    {
        1 => GenerationOf(tags[0]).ToString(System.Globalization.CultureInfo.InvariantCulture),
        2 => $"{GenerationOf(tags[0])}.{GenerationOf(tags[1])}",
        _ => string.Join('.', tags.Select(GenerationOf)),
    };
}
