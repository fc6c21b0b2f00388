using System.Data.Common;
using Npgsql;

namespace EduLoop.Domain.Data;

/// <summary>The database a school runs on: one SQLite file in the data directory (the default), or a PostgreSQL server.</summary>
public enum DatabaseProvider
{
    Sqlite,
    PostgreSQL,
}

/// <summary>
/// <c>EduLoop:Database:Provider</c> and the connection string <c>ConnectionStrings:EduLoop</c>. SQLite
/// needs no connection string (its file is in the data directory); PostgreSQL needs one.
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string? ConnectionString = null)
{
    public const string ProviderKey = "EduLoop:Database:Provider";
    public const string ConnectionStringName = "EduLoop";

    /// <summary>The assembly that holds the PostgreSQL migrations (SQLite's are in EduLoop.Domain).</summary>
    public const string PostgresMigrationsAssembly = "EduLoop.Data.PostgreSQL";

    public static DatabaseSettings Sqlite { get; } = new(DatabaseProvider.Sqlite);

    /// <summary>The settings from configuration values, or a message that says what is wrong with them.</summary>
    /// <exception cref="DomainValidationException">An unknown provider, or PostgreSQL without a usable connection string.</exception>
    public static DatabaseSettings Parse(string? provider, string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(provider) || provider.Trim().Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return Sqlite;
        }

        if (!provider.Trim().Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase) && !provider.Trim().Equals("Postgres", StringComparison.OrdinalIgnoreCase))
        {
            throw new DomainValidationException(ProviderKey, $"{ProviderKey} is \"{provider}\"; it must be Sqlite or PostgreSQL.");
        }

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new DomainValidationException(
                ConnectionStringName, $"{ProviderKey} is PostgreSQL but ConnectionStrings:{ConnectionStringName} is empty; give it, for example " +
                "\"Host=127.0.0.1;Database=eduloop;Username=eduloop;Password=…\".");
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new DomainValidationException(ConnectionStringName, $"ConnectionStrings:{ConnectionStringName} is not a PostgreSQL connection string: {e.Message}");
        }

        // Defaults for what the connection string does not set itself (bench/RESULTS.md, the school
        // day on PostgreSQL): the statements EF sends again and again are prepared once per
        // connection, so the database stops parsing and planning each of them anew; and a connection
        // going back to the pool is not reset, which took seven statements per request. EduLoop
        // leaves no session state on a pooled connection (no SET, no session lock, no LISTEN, no
        // temporary table; the start-up lock has a connection of its own).
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()).ToHashSet();
        if (!given.Contains("MAXAUTOPREPARE"))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        if (!given.Contains("NORESETONCLOSE"))
        {
            builder.NoResetOnClose = true;
        }

        connectionString = builder.ConnectionString;
        return new DatabaseSettings(DatabaseProvider.PostgreSQL, connectionString);
    }

    /// <summary>How many statements each PostgreSQL connection prepares when the connection string does not say.</summary>
    public const int DefaultMaxAutoPrepare = 100;

    /// <summary>Where the data is, for the log: the file, or the server and database without the password.</summary>
    public string Describe(string sqliteFile)
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            return sqliteFile;
        }

        var server = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"PostgreSQL {server.Host}:{server.Port}/{server.Database}";
    }
}
