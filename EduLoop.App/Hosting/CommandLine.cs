using EduLoop.Domain;
using EduLoop.Domain.Data;

namespace EduLoop.App.Hosting;

/// <summary>What the command-line verbs (<c>seed</c>, <c>import</c>) share: options and the database.</summary>
internal static class CommandLine
{
    /// <summary>
    /// Reads <c>--name value</c> pairs of the given names. Null, with the reason and the usage
    /// printed, when an argument is unknown or has no value.
    /// </summary>
    public static async Task<Dictionary<string, string>?> ReadOptionsAsync(string[] args, string usage, params string[] names)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            if (!names.Contains(args[i]) || string.IsNullOrWhiteSpace(value))
            {
                return await FailAsync($"Unknown or invalid argument \"{args[i]}\".", usage);
            }

            options[args[i]] = value;
        }

        return options;
    }

    public static async Task<Dictionary<string, string>?> FailAsync(string message, string usage)
    {
        await Console.Error.WriteLineAsync($"{message}{Environment.NewLine}{usage}");
        return null;
    }

    /// <summary>
    /// The database from <c>EduLoop:Database:Provider</c> and <c>ConnectionStrings:EduLoop</c> (appsettings,
    /// environment <c>EduLoop__Database__Provider</c> and <c>ConnectionStrings__EduLoop</c>, or the command line).
    /// </summary>
    /// <exception cref="DomainValidationException">The settings name no usable database; the message says what to fix.</exception>
    public static DatabaseSettings Database(IConfiguration configuration) =>
        DatabaseSettings.Parse(configuration[DatabaseSettings.ProviderKey], configuration.GetConnectionString(DatabaseSettings.ConnectionStringName));

    /// <summary>The domain services over the database in <paramref name="dataDirectory"/>, created or migrated as at start-up.</summary>
    /// <param name="database">The database to open; the configured one when null.</param>
    public static async Task<IHost> OpenDatabaseAsync(string dataDirectory, DatabaseSettings? database = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddEduLoopDomain(Path.GetFullPath(dataDirectory), database ?? Database(builder.Configuration));
        var host = builder.Build();
        await host.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return host;
    }
}
