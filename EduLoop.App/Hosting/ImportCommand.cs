using System.Diagnostics;
using System.Globalization;
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
        if (await CommandLine.ReadOptionsAsync(args, Usage, "--gift", "--target", "--data-dir") is not { } options)
        {
            return 2;
        }

        if (options.GetValueOrDefault("--gift") is not { } file || !File.Exists(file))
        {
            await CommandLine.FailAsync("No GIFT file to import.", Usage);
            return 2;
        }

        var target = options.GetValueOrDefault("--target");

        var defaultTarget = target is null ? null : GiftImportService.FromPath(target);
        if (target is not null && defaultTarget is null)
        {
            await Console.Error.WriteLineAsync("--target needs at least Group/Subject/Category.");
            return 2;
        }

        using var host = await CommandLine.OpenDatabaseAsync(options.GetValueOrDefault("--data-dir", "data"));

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
