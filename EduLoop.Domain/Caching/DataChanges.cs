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
public sealed class DataChanges(HybridCache cache)
{
    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);

    /// <summary>How many times data of this kind has changed since the app started.</summary>
    public long GenerationOf(string tag) => _generations.GetValueOrDefault(tag);

    /// <summary>Announces a committed change to data of these kinds.</summary>
    public void Changed(params IEnumerable<string> tags)
    {
        foreach (var tag in tags)
        {
            _generations.AddOrUpdate(tag, 1, static (_, generation) => generation + 1);
            // Without a distributed cache the removal completes at once; with one, it must not hold
            // the writer up.
            _ = cache.RemoveByTagAsync(tag).AsTask();
        }
    }
}
