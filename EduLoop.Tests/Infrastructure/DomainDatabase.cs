using EduLoop.Domain;
using EduLoop.Domain.Data;
using EduLoop.Domain.Identity;

using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EduLoop.Tests.Infrastructure;

/// <summary>
/// The domain services over a real SQLite file in a temp folder (or a PostgreSQL database of its own,
/// see <see cref="TestDatabase"/>), migrated as the app does at start-up. Identity's user and role managers are registered as the app registers them.
/// </summary>
public sealed class DomainDatabase : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ServiceProvider _services;
    private readonly DatabaseSettings? _database;

    /// <summary>Whether this fixture made its database (and drops it), or was given one.</summary>
    private readonly bool _ownsDatabase;

    private DomainDatabase(DatabaseSettings? given = null)
    {
        _ownsDatabase = given is null;
        _database = given ?? TestDatabase.Create();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(Failures));
        services.AddEduLoopDomain(_directory.Path, _database);
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddIdentityCore<ApplicationUser>(options =>
            {
                options.Password.RequiredLength = 8;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.User.RequireUniqueEmail = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<EduLoopDbContext>()
            .AddDefaultTokenProviders();
        _services = services.BuildServiceProvider();
        Scope = _services.CreateAsyncScope();
    }

    public string Directory => _directory.Path;

    /// <summary>Every error the services logged.</summary>
    public FailureLog Failures { get; } = new();

    public AsyncServiceScope Scope { get; }

    public IServiceProvider Services => Scope.ServiceProvider;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public EduLoopDbContext CreateContext() => Get<IDbContextFactory<EduLoopDbContext>>().CreateDbContext();

    public IDbContextFactory<EduLoopDbContext> CreateFactory() => Get<IDbContextFactory<EduLoopDbContext>>();

    /// <summary>A migrated, empty database.</summary>
    public static Task<DomainDatabase> CreateAsync(bool initialize = true) => CreateAsync(null, initialize);

    /// <summary>The domain services over a given database (a PostgreSQL database of a test's own server), migrated unless told not to.</summary>
    public static async Task<DomainDatabase> CreateAsync(DatabaseSettings? settings, bool initialize = true)
    {
        var database = new DomainDatabase(settings);
        if (initialize)
        {
            await database.Get<DatabaseInitializer>().InitializeAsync();
        }

        return database;
    }

    public async ValueTask DisposeAsync()
    {
        await Scope.DisposeAsync();
        await _services.DisposeAsync();
        if (_ownsDatabase)
        {
            TestDatabase.Drop(_database);
        }
        _directory.Dispose();
    }
}
