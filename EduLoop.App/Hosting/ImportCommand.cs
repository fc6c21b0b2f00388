using System.Diagnostics;
using System.Globalization;
using EduLoop.Domain.Formats;

namespace EduLoop.App.Hosting;

/// <summary>
/// <c>import --file FILE [--format gift|aiken|moodlexml|csv|json] [--target Group/Subject/Category[/Subcategory]]
/// [--duplicates skip|import] [--preview true] [--data-dir DIR]</c>: imports a file into the bank, all or
/// nothing, and prints the counts and time, or the errors by line. With <c>--preview true</c> it only
/// reads and checks the file, as the import page's preview does.
/// </summary>
public static class ImportCommand
{
    private const string Usage =
        "Usage: EduLoop.App import --file FILE [--format gift|aiken|moodlexml|csv|json] [--target Group/Subject/Category[/Subcategory]] [--duplicates skip|import] [--preview true] [--data-dir DIR]";

    public static async Task<int> RunAsync(string[] args)
    {
        if (await CommandLine.ReadOptionsAsync(args, Usage, "--file", "--gift", "--format", "--target", "--duplicates", "--preview", "--data-dir") is not { } options)
        {
            return 2;
        }

        var file = options.GetValueOrDefault("--file") ?? options.GetValueOrDefault("--gift");
        if (file is null || !File.Exists(file))
        {
            await CommandLine.FailAsync("No file to import.", Usage);
            return 2;
        }

        QuestionFormat? format = options.ContainsKey("--gift") ? QuestionFormat.Gift
            : options.GetValueOrDefault("--format") is { } name ? (QuestionFormats.TryParse(name, out var named) ? named : null)
            : QuestionFormats.FromFileName(file);
        if (format is null)
        {
            await CommandLine.FailAsync("Give the format with --format gift|aiken|moodlexml|csv|json.", Usage);
            return 2;
        }

        var target = options.GetValueOrDefault("--target");
        var defaultTarget = ImportTarget.FromPath(target);
        if (target is not null && defaultTarget is null)
        {
            await Console.Error.WriteLineAsync("--target needs at least Group/Subject/Category.");
            return 2;
        }

        var duplicates = options.GetValueOrDefault("--duplicates", "skip") == "import" ? DuplicateHandling.Import : DuplicateHandling.Skip;
        using var host = await CommandLine.OpenDatabaseAsync(options.GetValueOrDefault("--data-dir", "data"));
        await using var scope = host.Services.CreateAsyncScope();
        await using var stream = File.OpenRead(file);
        var importOptions = new ImportOptions { Target = defaultTarget, Duplicates = duplicates };
        var stopwatch = Stopwatch.StartNew();
        if (options.GetValueOrDefault("--preview") == "true")
        {
            var preview = await scope.ServiceProvider.GetRequiredService<ImportService>().PreviewAsync(format.Value, stream, importOptions);
            foreach (var error in preview.Errors)
            {
                await Console.Error.WriteLineAsync(Describe(error));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Previewed {preview.Questions.Count:N0} questions from {file} in {stopwatch.Elapsed.TotalSeconds:0.00} s ({preview.Errors.Count:N0} errors, {preview.DuplicateCount:N0} duplicates, {preview.NewNodes.Count:N0} new places)."));
            return preview.HasErrors ? 1 : 0;
        }

        var result = await scope.ServiceProvider.GetRequiredService<ImportService>().CommitAsync(format.Value, stream, importOptions, userId: null);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                await Console.Error.WriteLineAsync(Describe(error));
            }

            await Console.Error.WriteLineAsync("Nothing was imported.");
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Imported {result.Imported:N0} questions from {file} in {stopwatch.Elapsed.TotalSeconds:0.00} s ({result.SkippedDuplicates:N0} duplicates skipped, {result.NodesCreated:N0} new places)."));
        return 0;
    }

    private static string Describe(ImportError error) =>
        error.Column > 0 ? $"line {error.Line}, column {error.Column}: {error.Message}" : $"line {error.Line}: {error.Message}";
}
