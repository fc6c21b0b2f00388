namespace EduLoop.Domain.Caching;

/// <summary>
/// What one EduLoop server tells the others that share its database: a change they must not miss
/// in what they keep in memory (cached values, the school's settings, an account's stamp). A single
/// server has no others to tell (<see cref="NoOtherServers"/>); several share a Redis server.
/// </summary>
public interface IOtherServers
{
    /// <summary>Tells every other server; never the sender itself. Best effort: a server that cannot be told rebuilds what it keeps after a short time.</summary>
    void Tell(string topic, string message);

    /// <summary>Calls <paramref name="heard"/> with each message another server sends on <paramref name="topic"/>.</summary>
    void Listen(string topic, Action<string> heard);
}

/// <summary>One server alone: nothing to tell, nothing to hear.</summary>
public sealed class NoOtherServers : IOtherServers
{
    public void Tell(string topic, string message)
    {
    }

    public void Listen(string topic, Action<string> heard)
    {
    }
}

/// <summary>
/// The generations of the kinds of data (<see cref="DataTags"/>) kept where every server reads them,
/// so that a write through one server gives the next read on any server a new cache key.
/// </summary>
public interface ISharedGenerations
{
    /// <summary>
    /// The current generations of <paramref name="tags"/>, as text for a cache key; null when the
    /// shared store cannot be reached, and the value must then be read without the cache.
    /// </summary>
    ValueTask<string?> StampAsync(IReadOnlyList<string> tags, CancellationToken cancellationToken);

    /// <summary>Moves the generations of <paramref name="tags"/> on, before the write is acknowledged.</summary>
    void MoveOn(IReadOnlyCollection<string> tags);

    /// <inheritdoc cref="MoveOn"/>
    Task MoveOnAsync(IReadOnlyCollection<string> tags);
}
