using System.Collections.Concurrent;

using EduLoop.Domain.Data;

using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Identity;

/// <summary>
/// Each account's current security stamp, read once and kept until the account changes, so that every
/// signed-in request, API call and open circuit can compare its credential's stamp with the account's
/// without a query. A role change, a deactivation, a new password or a deletion changes the stamp (or
/// removes the account): the next request with an old cookie or token is refused, and open circuits of
/// that account are told at once.
/// </summary>
/// <remarks>
/// Changes saved by this process reach the cache at once (<see cref="EduLoopUserManager"/> reports
/// them). With several servers, the server that saved the change tells the others (<see cref="Caching.IOtherServers"/>);
/// should that message be lost, the change is seen here once the entry is older than <see cref="MaxAge"/>.
/// </remarks>
public sealed class AccountStamps
{
    private const string Topic = "account-saved";

    private readonly IDbContextFactory<EduLoopDbContext> contextFactory;
    private readonly TimeProvider clock;
    private readonly Caching.IOtherServers others;

    public AccountStamps(IDbContextFactory<EduLoopDbContext> contextFactory, TimeProvider clock, Caching.IOtherServers? others = null)
    {
        this.contextFactory = contextFactory;
        this.clock = clock;
        this.others = others ?? new Caching.NoOtherServers();
        // Another server saved the account: what this one knows of it may be old.
        this.others.Listen(Topic, Forget);
    }

    /// <summary>How long an entry is trusted without a change seen by this process.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private const int MaxEntries = 50_000;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<AccountWatch, byte>> _watches = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>The stamp of an active account; null when the account is deactivated or does not exist.</summary>
    public async ValueTask<string?> CurrentAsync(string userId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(userId, out var entry) && now - entry.ReadAt < MaxAge)
        {
            return entry.Stamp;
        }

        var generation = Interlocked.Read(ref _generation);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var stamp = await db.Users.Where(u => u.Id == userId && u.IsActive).Select(u => u.SecurityStamp).FirstOrDefaultAsync(cancellationToken);
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[userId] = new Entry(stamp, now);
        // A change saved while the row was read may have been reported before the entry was written:
        // then the entry may hold the old stamp, and is dropped.
        if (Interlocked.Read(ref _generation) != generation)
        {
            _entries.TryRemove(userId, out _);
        }

        return stamp;
    }

    /// <summary>
    /// Reports an account as saved with <paramref name="currentStamp"/> (null: deactivated or deleted).
    /// When that differs from what is known, the entry is dropped and the account's open sessions are told.
    /// </summary>
    public void Saved(string userId, string? currentStamp)
    {
        if (_entries.TryGetValue(userId, out var entry) && entry.Stamp == currentStamp)
        {
            return;
        }

        others.Tell(Topic, userId);
        Forget(userId);
    }

    /// <summary>Drops what is known of the account and tells its open sessions to check it again.</summary>
    private void Forget(string userId)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(userId, out _);
        if (_watches.TryGetValue(userId, out var watches))
        {
            foreach (var watch in watches.Keys)
            {
                watch.Notify();
            }
        }
    }

    /// <summary>Calls <paramref name="changed"/> whenever the account's stamp may have changed, until disposed.</summary>
    public IDisposable Watch(string userId, Action changed)
    {
        var watch = new AccountWatch(this, userId, changed);
        _watches.GetOrAdd(userId, _ => new ConcurrentDictionary<AccountWatch, byte>())[watch] = 0;
        return watch;
    }

    private void Unwatch(AccountWatch watch)
    {
        // The account's (empty) set stays: one per account that ever had a session open, and no race
        // with a watch being added to it.
        if (_watches.TryGetValue(watch.UserId, out var watches))
        {
            watches.TryRemove(watch, out _);
        }
    }

    private sealed record Entry(string? Stamp, DateTimeOffset ReadAt);

    private sealed class AccountWatch(AccountStamps owner, string userId, Action changed) : IDisposable
    {
        public string UserId => userId;

        public void Notify() => changed();

        public void Dispose() => owner.Unwatch(this);
    }
}
