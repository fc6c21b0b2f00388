using System.Diagnostics;
using System.Globalization;
using EduLoop.Domain.Formats;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.App.Hosting;

/// <summary>
/// <c>export --format gift|aiken|moodlexml|csv|json --out FILE [--data-dir DIR]</c>: writes the whole
/// bank to a file and prints the count and time.
/// </summary>
public static class ExportCommand
{
    private const string Usage = "Usage: EduLoop.App export --format gift|aiken|moodlexml|csv|json --out FILE [--data-dir DIR]";

    public static async Task<int> RunAsync(string[] args)
    {
        if (await CommandLine.ReadOptionsAsync(args, Usage, "--format", "--out", "--data-dir") is not { } options)
        {
            return 2;
        }

        if (!QuestionFormats.TryParse(options.GetValueOrDefault("--format"), out var format) || options.GetValueOrDefault("--out") is not { } file)
        {
            await CommandLine.FailAsync("Give the format and the file to write.", Usage);
            return 2;
        }

        using var host = await CommandLine.OpenDatabaseAsync(options.GetValueOrDefault("--data-dir", "data"));
        await using var scope = host.Services.CreateAsyncScope();
        var stopwatch = Stopwatch.StartNew();
        ExportResult result;
        await using (var stream = File.Create(file))
        {
            result = await scope.ServiceProvider.GetRequiredService<ExportService>().ExportAsync(format, new BankSelection(new BankQuery()), stream);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Exported {result.Written:N0} questions to {file} in {stopwatch.Elapsed.TotalSeconds:0.00} s ({result.Skipped:N0} the format cannot hold)."));
        return 0;
    }
}
