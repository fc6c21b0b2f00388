using System.Diagnostics;
using System.Globalization;
using EduLoop.Domain;
using EduLoop.Domain.Data;
using EduLoop.Domain.Formats.Gift;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.App.Hosting;

/// <summary>
/// <c>import --gift FILE [--target Group/Subject/Category[/Subcategory]] [--data-dir DIR]</c>: imports a
/// GIFT file into the bank, all or nothing, and prints the time or the errors by line.
/// </summary>
public static class ImportCommand
{
    private const string Usage = "Usage: EduLoop.App import --gift FILE [--target Group/Subject/Category[/Subcategory]] [--data-dir DIR]";

    public static async Task<int> RunAsync(string[] args)
    {
        string? file = null;
        string? target = null;
        var dataDirectory = "data";
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--gift" when !string.IsNullOrWhiteSpace(value):
                    file = value;
                    i++;
                    break;
                case "--target" when !string.IsNullOrWhiteSpace(value):
                    target = value;
                    i++;
                    break;
                case "--data-dir" when !string.IsNullOrWhiteSpace(value):
                    dataDirectory = value;
                    i++;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown or invalid argument \"{args[i]}\".{Environment.NewLine}{Usage}");
                    return 2;
            }
        }

        if (file is null || !File.Exists(file))
        {
            await Console.Error.WriteLineAsync($"No GIFT file to import.{Environment.NewLine}{Usage}");
            return 2;
        }

        var defaultTarget = target is null ? null : GiftImportService.FromPath(target);
        if (target is not null && defaultTarget is null)
        {
            await Console.Error.WriteLineAsync("--target needs at least Group/Subject/Category.");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddEduLoopDomain(Path.GetFullPath(dataDirectory));
        using var host = builder.Build();
        await host.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();

        var text = await File.ReadAllTextAsync(file);
        await using var scope = host.Services.CreateAsyncScope();
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var count = await scope.ServiceProvider.GetRequiredService<GiftImportService>().ImportAsync(text, defaultTarget, userId: null);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Imported {count:N0} questions from {file} in {stopwatch.Elapsed.TotalSeconds:0.00} s."));
            return 0;
        }
        catch (ValidationErrors errors)
        {
            foreach (var (where, messages) in errors.Fields)
            {
                await Console.Error.WriteLineAsync($"{where}: {string.Join(" ", messages)}");
            }

            await Console.Error.WriteLineAsync("Nothing was imported.");
            return 1;
        }
    }
}
