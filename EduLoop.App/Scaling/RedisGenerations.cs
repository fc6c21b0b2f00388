using System.Text;

using EduLoop.Domain.Caching;

using StackExchange.Redis;

namespace EduLoop.App.Scaling;

/// <summary>
/// The generations of the kinds of data in one Redis hash, with an epoch beside them: a cache key
/// holds the epoch and the generations of what its value read. A write moves its kinds on before it
/// is acknowledged; a cached read asks for them (one round trip), so no server serves a value from
/// before a write another server acknowledged.
/// </summary>
/// <remarks>
/// Should Redis lose the hash (a restart without persistence), the next reader starts a new epoch,
/// so generations that start again from nothing never meet the keys of before. While Redis cannot
/// be reached, reads go to the database without the cache; a write made meanwhile cannot move its
/// kinds on, so when Redis is back this server starts a new epoch, which makes every server's old
/// entries unreachable.
/// </remarks>
public sealed class RedisGenerations : ISharedGenerations
{
    private static readonly RedisKey Key = "eduloop:generations";
    private static readonly RedisValue EpochField = "epoch";

    private readonly IConnectionMultiplexer _redis;
    private readonly Outage _outage;
    private int _missedWrites;

    public RedisGenerations(IConnectionMultiplexer redis, ILogger<RedisGenerations> logger)
    {
        _redis = redis;
        _outage = new Outage(logger, "Redis cannot be reached: cached values are read from the database until it can");
        redis.ConnectionRestored += (_, _) => _ = NewEpochIfWritesWereMissedAsync();
    }

    public async ValueTask<string?> StampAsync(IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var fields = new RedisValue[tags.Count + 1];
        fields[0] = EpochField;
        for (var i = 0; i < tags.Count; i++)
        {
            fields[i + 1] = tags[i];
        }

        try
        {
            await NewEpochIfWritesWereMissedAsync();
            var database = _redis.GetDatabase();
            var values = await database.HashGetAsync(Key, fields);
            if (values[0].IsNull)
            {
                await database.HashSetAsync(Key, EpochField, Guid.NewGuid().ToString("N")[..12], When.NotExists);
                values = await database.HashGetAsync(Key, fields);
            }

            _outage.Over();
            var stamp = new StringBuilder(values[0].ToString());
            for (var i = 1; i < values.Length; i++)
            {
                stamp.Append(i == 1 ? ':' : '.').Append(values[i].IsNull ? 0 : (long)values[i]);
            }

            return stamp.ToString();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _outage.Began(e);
            return null;
        }
    }

    public void MoveOn(IReadOnlyCollection<string> tags)
    {
        try
        {
            var database = _redis.GetDatabase();
            foreach (var tag in tags)
            {
                database.HashIncrement(Key, tag);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Missed(e);
        }
    }

    public async Task MoveOnAsync(IReadOnlyCollection<string> tags)
    {
        try
        {
            var database = _redis.GetDatabase();
            await Task.WhenAll(tags.Select(tag => database.HashIncrementAsync(Key, tag)));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Missed(e);
        }
    }

    private void Missed(Exception e)
    {
        Interlocked.Exchange(ref _missedWrites, 1);
        _outage.Began(e);
    }

    private async Task NewEpochIfWritesWereMissedAsync()
    {
        if (Volatile.Read(ref _missedWrites) == 0)
        {
            return;
        }

        try
        {
            await _redis.GetDatabase().HashDeleteAsync(Key, EpochField);
            Interlocked.Exchange(ref _missedWrites, 0);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _outage.Began(e);
        }
    }
}
