namespace EduLoop.Tests.Infrastructure;

/// <summary>
/// What a command writes to the console. The console is the process's: tests that capture it run one
/// at a time (their collection), and tests elsewhere may add lines, so assertions look for lines, not
/// for the whole text.
/// </summary>
public static class ConsoleOutput
{
    public const string Collection = "Console output";

    private static readonly SemaphoreSlim _gate = new(1, 1);

    public static async Task<(int ExitCode, string Output, string Error)> CaptureAsync(Func<Task<int>> command)
    {
        await _gate.WaitAsync();
        var (output, error) = (Console.Out, Console.Error);
        using var outWriter = new StringWriter();
        using var errorWriter = new StringWriter();
        try
        {
            Console.SetOut(outWriter);
            Console.SetError(errorWriter);
            var exitCode = await command();
            return (exitCode, outWriter.ToString(), errorWriter.ToString());
        }
        finally
        {
            Console.SetOut(output);
            Console.SetError(error);
            _gate.Release();
        }
    }
}

[CollectionDefinition(ConsoleOutput.Collection)]
public sealed class ConsoleOutputCollection;
