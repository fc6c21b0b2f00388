using EduLoop.Domain.Classes;
using EduLoop.Domain.Dashboard;
using EduLoop.Domain.Data;
using EduLoop.Domain.Data.Seeding;
using EduLoop.Domain.Identity;

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Domain;

public static class DependencyInjection
{
    /// <summary>
    /// Registers the database (a pooled context factory, plus a scoped context for the Identity
    /// stores) and the domain services.
    /// </summary>
    /// <param name="dataDirectory">An absolute path; the SQLite database, backups and media are kept in it.</param>
    /// <param name="database">The provider and its connection string; SQLite in the data directory when null.</param>
    public static IServiceCollection AddEduLoopDomain(this IServiceCollection services, string dataDirectory, DatabaseSettings? database = null)
    {
        database ??= DatabaseSettings.Sqlite;
        var connectionString = SqliteConnectionString(dataDirectory);
        services.AddSingleton(new DataLocation(dataDirectory, connectionString) { Database = database });
        services.AddMetrics();
        services.AddSingleton<EduLoopMetrics>();
        services.AddHybridCache(options => options.MaximumPayloadBytes = 64 * 1024 * 1024)
            .AddSerializerFactory<Caching.KeptValuesStayInProcess>();
        services.AddSingleton<Caching.DataChanges>();
        services.AddSingleton<Caching.TaggedCache>();
        services.AddSingleton<Caching.DataChangeInterceptor>();
        services.AddSingleton<Querying.CountCache>();
        services.AddPooledDbContextFactory<EduLoopDbContext>((provider, options) =>
        {
            if (database.Provider == DatabaseProvider.PostgreSQL)
            {
                options.UseNpgsql(database.ConnectionString, npgsql => npgsql.MigrationsAssembly(DatabaseSettings.PostgresMigrationsAssembly))
                    .AddInterceptors(new PostgresTextInterceptor());
            }
            else
            {
                options.UseSqlite(connectionString).AddInterceptors(new SqlitePragmaInterceptor());
            }

            options.AddInterceptors(provider.GetRequiredService<Caching.DataChangeInterceptor>());
        });
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<EduLoopDbContext>>().CreateDbContext());

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DatabaseInitializer>();
        services.AddSingleton<Backups.BackupService>();
        services.AddSingleton<Settings.SchoolSettingsService>();
        services.AddScoped<AccountSetup>();
        services.AddScoped<DemoDataSeeder>();
        services.AddScoped<BankWriter>();
        services.AddSingleton<AccessKeyGenerator>();
        services.AddScoped<ClassService>();
        services.AddScoped<QuestionBank.TaxonomyService>();
        services.AddScoped<QuestionBank.QuestionService>();
        services.AddScoped<QuestionBank.BankService>();
        services.AddScoped<Quizzes.QuizService>();
        services.AddScoped<Quizzes.AttemptService>();
        services.AddSingleton<Quizzes.AnswerWriter>();
        services.AddSingleton<Learning.ReviewRecorder>();
        services.AddSingleton<Live.LiveAnswerWriter>();
        services.AddSingleton<Live.LiveGameService>();
        services.AddSingleton<Live.LiveRooms>();
        services.AddScoped<Quizzes.GradingService>();
        services.AddScoped<Quizzes.QuizResultsService>();
        services.AddScoped<Quizzes.Statistics.QuizStatisticsService>();
        services.AddScoped<Practice.PracticeService>();
        services.AddScoped<Learning.LearningService>();
        services.AddScoped<Learning.QualityService>();
        services.AddSingleton<Media.MediaStore>();
        services.AddSingleton<Formats.QuestionFormats>();
        services.AddScoped<Formats.ImportService>();
        services.AddScoped<Formats.ExportService>();
        services.AddScoped<DashboardService>();
        services.AddScoped<UserAdminService>();
        services.AddScoped<UserPreferenceService>();
        services.AddScoped<ApiTokenService>();
        services.AddSingleton<AccountStamps>();
        services.AddScoped<PasswordCheck>();
        services.AddScoped<Moving.DjangoMigration>();
        services.AddScoped<Moving.PostgresMove>();
        return services;
    }

    public static string SqliteConnectionString(string dataDirectory) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(dataDirectory, EduLoopOptions.DatabaseFileName),
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();
}

/// <summary>Where the data lives, resolved once at start-up.</summary>
public sealed record DataLocation(string Directory, string ConnectionString)
{
    /// <summary>The provider in use; with PostgreSQL, <see cref="ConnectionString"/> and the paths of the file are not used.</summary>
    public DatabaseSettings Database { get; init; } = DatabaseSettings.Sqlite;

    public bool IsSqlite => Database.Provider == DatabaseProvider.Sqlite;

    public string DatabasePath => Path.Combine(Directory, EduLoopOptions.DatabaseFileName);
    public string BackupDirectory => Path.Combine(Directory, "backups");

    /// <summary>A backup staged to replace the database at the next start (see <see cref="Backups.BackupService"/>).</summary>
    public string PendingRestorePath => Path.Combine(Directory, "restore-pending.db");

    /// <summary>The database and the journal files SQLite keeps next to it in WAL mode.</summary>
    public IEnumerable<string> DatabaseFiles => [DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm"];
}
