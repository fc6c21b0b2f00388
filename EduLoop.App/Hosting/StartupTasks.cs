using EduLoop.Domain;
using EduLoop.Domain.Data;
using EduLoop.Domain.Data.Seeding;
using EduLoop.Domain.Identity;

using Microsoft.Extensions.Options;

namespace EduLoop.App.Hosting;

public static class StartupTasks
{
    /// <summary>
    /// Creates or migrates the database (backing up an existing file first), makes sure an admin
    /// exists, and loads the demo school into an empty bank unless <c>EduLoop:DemoData=false</c>.
    /// New accounts' credentials are printed once. With several servers on one PostgreSQL database,
    /// one does this at a time (<see cref="StartupLock"/>).
    /// </summary>
    public static async Task InitializeEduLoopAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var options = services.GetRequiredService<IOptions<EduLoopOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupTasks));

        // Servers that start together on one database take turns: one migrates and seeds, the others find it done.
        await using var turn = await StartupLock.TakeAsync(services.GetRequiredService<DataLocation>().Database);
        var database = await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        logger.LogInformation(
            "Database {Path} {State}", services.GetRequiredService<DataLocation>() is var location ? location.Database.Describe(location.DatabasePath) : "",
            database.Created ? "created" : database.AppliedMigrations.Count > 0 ? "migrated" : "up to date");

        if (database.Restored is { } restored)
        {
            logger.LogWarning("Restored backup {Backup}; the database it replaced is kept as {Previous}", restored.Name, restored.PreviousKeptAs);
        }

        await services.GetRequiredService<Domain.Settings.SchoolSettingsService>().LoadAsync();

        // Before the server takes requests: no key stays readable, and the old ones work as hashes.
        if (await services.GetRequiredService<ApiTokenService>().HashClearKeysAsync() is > 0 and var hashed)
        {
            logger.LogInformation("Hashed {Count} API tokens stored in clear by an earlier version", hashed);
        }

        var created = new List<CreatedAccount>();
        if (await services.GetRequiredService<AccountSetup>().EnsureAdminAsync(options.Admin) is { } admin)
        {
            created.Add(admin);
        }

        DemoSchool? demo = null;
        if (options.DemoData)
        {
            demo = await services.GetRequiredService<DemoDataSeeder>().SeedAsync(options.Demo);
            created.AddRange(demo?.Accounts ?? []);
        }

        if (created.Count > 0 || demo is not null)
        {
            PrintWelcome(created, demo);
        }

        // The bank's per-node counts and its total take a second on a million questions: count them
        // once the server is listening, so the first teacher does not wait for them.
        app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(() => WarmUpAsync(app.Services, logger)));
    }

    private static async Task WarmUpAsync(IServiceProvider root, ILogger logger)
    {
        try
        {
            await using var scope = root.CreateAsyncScope();
            var bank = scope.ServiceProvider.GetRequiredService<Domain.QuestionBank.BankService>();
            await bank.TreeAsync(root.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
            await bank.BrowseAsync(new Domain.QuestionBank.BankQuery(), Domain.Querying.PageRequest.First);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // Stopping before it finished: nothing to warm.
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Counting the bank at start-up failed; the first page that needs the counts will count them");
        }
    }

    private static void PrintWelcome(IReadOnlyList<CreatedAccount> accounts, DemoSchool? demo)
    {
        // Straight to the console, not the log: an admin reads this once and must not miss it.
        var lines = new List<string> { "", "=== EduLoop first run ===" };
        foreach (var account in accounts)
        {
            var password = account.PasswordWasGenerated ? account.Password : "(the configured password)";
            lines.Add($"  {account.Role,-8} {account.Email,-28} password: {password}");
        }

        if (demo is not null)
        {
            lines.Add($"  Demo bank: {demo.Questions} questions. Demo class \"{demo.ClassName}\", access key {demo.AccessKey}.");
        }

        if (accounts.Any(a => a.PasswordWasGenerated))
        {
            lines.Add("  Generated passwords are shown only now. Change them under Account > Password.");
        }

        lines.Add("");
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }
}
