using System.Security.Claims;
using System.Text.Encodings.Web;

using EduLoop.Domain.Data;
using EduLoop.Domain.Identity;

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EduLoop.Tests.Infrastructure;

/// <summary>
/// The whole app over its own SQLite file, with the demo school and known passwords. Requests that
/// carry <c>X-Test-Role</c> are signed in as the demo account of that role by <see cref="TestAuthHandler"/>;
/// all others go through the real Identity cookie.
/// </summary>
public class EduLoopAppFactory : WebApplicationFactory<Program>
{
    /// <summary>The app's own data folder, removed with it; null when the caller gave one (which outlives the app).</summary>
    private readonly TempDirectory? _data;

    public EduLoopAppFactory()
        : this(null)
    {
    }

    /// <summary>An app over <paramref name="dataDirectory"/> (as a restarted server is), or over a fresh folder of its own.</summary>
    protected EduLoopAppFactory(string? dataDirectory)
    {
        _data = dataDirectory is null ? new TempDirectory() : null;
        DataDirectory = dataDirectory ?? _data!.Path;
        // A restarted server (a given data folder) runs on SQLite: its data is the folder's file.
        Database = dataDirectory is null ? TestDatabase.Create() : null;
    }

    /// <summary>The app's PostgreSQL database in the PostgreSQL pass; null on SQLite.</summary>
    public DatabaseSettings? Database { get; }

    public string DataDirectory { get; }

    /// <summary>Every error the app logged (the console's <c>fail:</c> lines), for tests that must see none or one.</summary>
    public FailureLog Failures { get; } = new();

    protected virtual bool DemoData => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Serve _framework and _content from the build output, as Development does by default.
        builder.UseStaticWebAssets();
        builder.UseSetting("EduLoop:DataDirectory", DataDirectory);
        if (Database is { } database)
        {
            builder.UseSetting(DatabaseSettings.ProviderKey, database.Provider.ToString());
            builder.UseSetting("ConnectionStrings:" + DatabaseSettings.ConnectionStringName, database.ConnectionString);
        }

        builder.UseSetting("EduLoop:DemoData", DemoData ? "true" : "false");
        builder.UseSetting("EduLoop:Admin:Email", TestAccounts.AdminEmail);
        builder.UseSetting("EduLoop:Admin:Password", TestAccounts.AdminPassword);
        builder.UseSetting("EduLoop:Demo:TeacherPassword", TestAccounts.TeacherPassword);
        builder.UseSetting("EduLoop:Demo:StudentPassword", TestAccounts.StudentPassword);
        // Many tests share one app; the throttling tests turn budgets back on with tiny limits.
        builder.UseSetting("EduLoop:Api:Throttling:Enabled", "false");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(Failures));
        builder.ConfigureServices(services =>
        {
            services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, ClientAddress>();
            services.AddAuthentication()
                .AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, null)
                .AddPolicyScheme(TestAuthHandler.Selector, null, options => options.ForwardDefaultSelector = context =>
                    context.Request.Headers.ContainsKey(TestAuthHandler.RoleHeader)
                        ? TestAuthHandler.SchemeName
                        : IdentityConstants.ApplicationScheme);
            services.PostConfigure<AuthenticationOptions>(options => options.DefaultScheme = TestAuthHandler.Selector);
        });
    }

    public T GetService<T>() where T : notnull => Services.GetRequiredService<T>();

    public EduLoopDbContext CreateDbContext() => GetService<IDbContextFactory<EduLoopDbContext>>().CreateDbContext();

    /// <summary>A client signed in as the demo account of <paramref name="role"/>; no cookies, no redirects followed.</summary>
    public HttpClient CreateClientAs(string role)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(TestAuthHandler.RoleHeader, role);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            TestDatabase.Drop(Database);
            _data?.Dispose();
        }
    }
}

/// <summary>Signs the request in as the first account with the role named in <c>X-Test-Role</c>.</summary>
public sealed class TestAuthHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    UserManager<ApplicationUser> users,
    IUserClaimsPrincipalFactory<ApplicationUser> principals)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";
    public const string Selector = "TestOrCookie";
    public const string RoleHeader = "X-Test-Role";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var role = Request.Headers[RoleHeader].ToString();
        var user = (await users.GetUsersInRoleAsync(role)).OrderBy(u => u.CreatedAt).FirstOrDefault();
        if (user is null)
        {
            return AuthenticateResult.Fail($"No account has the role {role}.");
        }

        var principal = await principals.CreateAsync(user);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(principal.Identities), SchemeName));
    }
}

/// <summary>Keeps the app's log entries of level Error and above.</summary>
public sealed class FailureLog : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _entries = new();

    public IReadOnlyList<string> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                entries.Enqueue($"fail: {category}: {formatter(state, exception)} {exception?.GetType().Name} {exception?.Message}");
            }
        }
    }
}
