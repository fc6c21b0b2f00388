using EduLoop.Domain.Caching;

using StackExchange.Redis;

namespace EduLoop.App.Scaling;

/// <summary>
/// Messages between the servers over Redis publish/subscribe, one channel per topic. Each message
/// carries its sender, so a server does not act on its own. Redis delivers to the servers connected
/// at that moment: a server that misses one rebuilds what it keeps after a short time (see the callers).
/// </summary>
public sealed class RedisOtherServers : IOtherServers
{
    private readonly string _self = Guid.NewGuid().ToString("N");
    private readonly IConnectionMultiplexer redis;
    private readonly Outage _outage;

    /// <summary>Topics whose subscription failed (Redis was not there at the start): tried again when it is.</summary>
    private readonly List<(string Topic, Action<string> Heard)> _unheard = [];

    public RedisOtherServers(IConnectionMultiplexer redis, ILogger<RedisOtherServers> logger)
    {
        this.redis = redis;
        _outage = new Outage(logger, "Redis cannot be reached: changes made on this server are not told to the others until it can");
        redis.ConnectionRestored += (_, _) => ListenAgain();
    }

    public void Tell(string topic, string message)
    {
        try
        {
            redis.GetSubscriber().Publish(Channel(topic), $"{_self}|{message}", CommandFlags.FireAndForget);
            _outage.Over();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _outage.Began(e);
        }
    }

    public void Listen(string topic, Action<string> heard)
    {
        try
        {
            // The library subscribes again after a lost connection.
            redis.GetSubscriber().Subscribe(Channel(topic), (_, value) =>
            {
                var text = value.ToString();
                var bar = text.IndexOf('|', StringComparison.Ordinal);
                if (bar > 0 && !text.AsSpan(0, bar).SequenceEqual(_self))
                {
                    heard(text[(bar + 1)..]);
                }
            });
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _outage.Began(e);
            lock (_unheard)
            {
                _unheard.Add((topic, heard));
            }
        }
    }

    private void ListenAgain()
    {
        (string Topic, Action<string> Heard)[] again;
        lock (_unheard)
        {
            again = [.. _unheard];
            _unheard.Clear();
        }

        foreach (var (topic, heard) in again)
        {
            Listen(topic, heard);
        }
    }

    private static RedisChannel Channel(string topic) => RedisChannel.Literal("eduloop:" + topic);
}
