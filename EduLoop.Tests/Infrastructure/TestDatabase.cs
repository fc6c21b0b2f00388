using EduLoop.Domain.Data;

using Microsoft.EntityFrameworkCore;

using Npgsql;

namespace EduLoop.Tests.Infrastructure;

/// <summary>
/// Which database the domain and API tests run on: SQLite files by default, or, with
/// <c>EDULOOP_TEST_DATABASE=PostgreSQL</c>, a fresh database per test fixture on the server named by
/// <c>EDULOOP_TEST_POSTGRES</c> (a superuser's connection string; <c>.ci/run</c> starts a throwaway
/// server and sets both for its second pass). The same tests run on both; a test that is about one
/// provider only says so with <see cref="SqliteOnlyAttribute"/> and is left out of the PostgreSQL pass.
/// </summary>
public static class TestDatabase
{
    public const string ProviderVariable = "EDULOOP_TEST_DATABASE";
    public const string ServerVariable = "EDULOOP_TEST_POSTGRES";

    private static readonly SemaphoreSlim _templateLock = new(1, 1);
    private static string? _template;

    public static bool IsPostgres =>
        string.Equals(Environment.GetEnvironmentVariable(ProviderVariable), "PostgreSQL", StringComparison.OrdinalIgnoreCase);

    private static string Server => Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server
        ? server
        : throw new InvalidOperationException($"{ProviderVariable}=PostgreSQL needs {ServerVariable}, a superuser's connection string to a running server.");

    /// <summary>The settings for a new fixture: SQLite in its data folder, or a new PostgreSQL database, migrated from a template made once per run.</summary>
    public static DatabaseSettings? Create()
    {
        if (!IsPostgres)
        {
            return null;
        }

        return Task.Run(CreatePostgresAsync).GetAwaiter().GetResult();
    }

    /// <summary>Drops a database made by <see cref="Create"/>, closing what still holds it.</summary>
    public static void Drop(DatabaseSettings? settings)
    {
        if (settings is not { Provider: DatabaseProvider.PostgreSQL, ConnectionString: { } connectionString })
        {
            return;
        }

        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        using (var pooled = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        Execute(Admin("postgres"), $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    private static async Task<DatabaseSettings> CreatePostgresAsync()
    {
        var template = await TemplateAsync();
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        Execute(Admin("postgres"), $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
        var connection = new NpgsqlConnectionStringBuilder(Server) { Database = name, Pooling = true, MaxPoolSize = 30 }.ConnectionString;
        return new DatabaseSettings(DatabaseProvider.PostgreSQL, connection);
    }

    /// <summary>An empty, migrated database to copy: CREATE DATABASE … TEMPLATE is far faster than migrating each one.</summary>
    private static async Task<string> TemplateAsync()
    {
        await _templateLock.WaitAsync();
        try
        {
            if (_template is not null)
            {
                return _template;
            }

            var name = $"template_{Environment.ProcessId}_{Guid.NewGuid().ToString("N")[..6]}";
            Execute(Admin("postgres"), $"CREATE DATABASE \"{name}\"");
            // Without pooling: no connection may be left open on a template when it is copied.
            var options = new DbContextOptionsBuilder<EduLoopDbContext>()
                .UseNpgsql(Admin(name), npgsql => npgsql.MigrationsAssembly(DatabaseSettings.PostgresMigrationsAssembly)).Options;
            await using (var db = new EduLoopDbContext(options))
            {
                await db.Database.MigrateAsync();
            }

            _template = name;
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try
                {
                    Execute(Admin("postgres"), $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                }
                catch (NpgsqlException)
                {
                    // The server may already be stopped at the end of the run; its folder goes with it.
                }
            };
            return name;
        }
        finally
        {
            _templateLock.Release();
        }
    }

    private static string Admin(string database) =>
        new NpgsqlConnectionStringBuilder(Server) { Database = database, Pooling = false }.ConnectionString;

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}

/// <summary>
/// A test of something only SQLite has (its file, its pragmas, its backup files, its write lock):
/// run on SQLite, left out of the PostgreSQL pass by the filter <c>Provider!=Sqlite</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
[Xunit.Sdk.TraitDiscoverer("EduLoop.Tests.Infrastructure.SqliteOnlyDiscoverer", "EduLoop.Tests")]
public sealed class SqliteOnlyAttribute : Attribute, Xunit.Sdk.ITraitAttribute
{
}

public sealed class SqliteOnlyDiscoverer : Xunit.Sdk.ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(Xunit.Abstractions.IAttributeInfo traitAttribute) =>
        [new("Provider", "Sqlite")];
}
