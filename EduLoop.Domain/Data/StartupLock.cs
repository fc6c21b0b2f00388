using Npgsql;

namespace EduLoop.Domain.Data;

/// <summary>
/// Several servers starting at once on one PostgreSQL database take turns through their start-up
/// (migrations, the first admin, the demo school): the first holds a session advisory lock while it
/// works, the others wait for it and then find the work done. One SQLite file has one server.
/// </summary>
public static class StartupLock
{
    /// <summary>The lock's number, the same for every EduLoop server ("EduL" in ASCII).</summary>
    private const long Key = 0x4564_754C;

    /// <summary>Waits for the lock and holds it until disposed; nothing on SQLite, or when the server cannot be reached (the start then fails with the initializer's message).</summary>
    public static async Task<IAsyncDisposable> TakeAsync(DatabaseSettings settings, CancellationToken cancellationToken = default)
    {
        if (settings is not { Provider: DatabaseProvider.PostgreSQL, ConnectionString: { } connectionString })
        {
            return NoLock.Instance;
        }

        // A connection of its own, outside the pool: the lock belongs to its session.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({Key})", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch (NpgsqlException)
        {
            await connection.DisposeAsync();
            return NoLock.Instance;
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
