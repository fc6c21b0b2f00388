using System.Collections.Concurrent;
using EduLoop.Domain.Data;

namespace EduLoop.Domain.Querying;

/// <summary>
/// Row counts of filtered lists, kept until the next write. Counting a million rows costs tens of
/// milliseconds; paging through one list asks for the same count on every page.
/// </summary>
public sealed class CountCache(DataVersion dataVersion)
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (long Version, int Count)> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Version, object Value)> _values = new(StringComparer.Ordinal);

    /// <summary>Any value computed from the data (per-node counts, for one), kept until the next write.</summary>
    public async Task<T> GetOrLoadAsync<T>(string key, Func<Task<T>> load) where T : class
    {
        var version = dataVersion.Current;
        if (_values.TryGetValue(key, out var entry) && entry.Version == version && entry.Value is T cached)
        {
            return cached;
        }

        var value = await load();
        if (_values.Count >= 100)
        {
            _values.Clear();
        }

        _values[key] = (version, value);
        return value;
    }

    public async Task<int> GetOrCountAsync(string key, Func<Task<int>> count)
    {
        var version = dataVersion.Current;
        if (_counts.TryGetValue(key, out var entry) && entry.Version == version)
        {
            return entry.Count;
        }

        var value = await count();
        if (_counts.Count >= MaxEntries)
        {
            _counts.Clear();
        }

        // Stamped with the version from before the count: a write during it leaves the entry stale.
        _counts[key] = (version, value);
        return value;
    }
}
