using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging;

namespace CompiledQueries;

/// <summary>
/// Before anything is timed: each read's LINQ and compiled forms must send the same SQL and return the
/// same result, or the comparison would time two different reads.
/// </summary>
public static partial class SameQueries
{
    private static readonly JsonSerializerOptions Json = new() { ReferenceHandler = ReferenceHandler.IgnoreCycles };

    public static async Task<bool> CheckAsync(string dataDirectory, bool print)
    {
        var sql = new SqlCapture();
        HotReads.SqlLogger = sql;
        var reads = new HotReads();
        reads.Setup();
        var same = true;
        try
        {
            var pairs = typeof(HotReads).GetMethods()
                .Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)
                .GroupBy(m => m.GetCustomAttribute<BenchmarkCategoryAttribute>()!.Categories[0]);
            foreach (var pair in pairs)
            {
                var runs = new List<(string Name, string Sql, string Result, int Translations)>();
                var translatedFirst = true;
                foreach (var method in pair)
                {
                    // The second call is the one compared: the first translates the query (either form).
                    sql.Translations = 0;
                    await RunAsync(reads, method);
                    translatedFirst &= sql.Translations > 0;
                    sql.Commands.Clear();
                    sql.Translations = 0;
                    var result = await RunAsync(reads, method);
                    runs.Add((method.Name, string.Join("\n", sql.Commands), JsonSerializer.Serialize(result, Json), sql.Translations));
                }

                // A parameter is named after the variable it came from, which the two forms may name differently.
                var sqlSame = runs.All(r => Parameter().Replace(r.Sql, "@p") == Parameter().Replace(runs[0].Sql, "@p"));
                var resultSame = runs.All(r => r.Result == runs[0].Result);
                same &= sqlSame && resultSame;
                var shown = runs[0].Result.Length <= 20 ? runs[0].Result : $"{runs[0].Result.Length:N0} characters of JSON";
                // Neither form may be translated again on a later call: the LINQ one is found in EF's query cache.
                var cached = translatedFirst && runs.All(r => r.Translations == 0);
                same &= cached;
                Console.WriteLine($"{pair.Key}: SQL {(sqlSame ? "same" : "DIFFERS")}, result {(resultSame ? "same" : "DIFFERS")} ({shown}), "
                    + (cached ? "each translated on its first call only" : $"TRANSLATIONS: first calls {translatedFirst}, then " + string.Join(", ", runs.Select(r => $"{r.Name} {r.Translations}"))));
                if (print || !sqlSame)
                {
                    foreach (var run in runs)
                    {
                        Console.WriteLine($"  {run.Name}:\n    {run.Sql.Replace("\n", "\n    ", StringComparison.Ordinal)}");
                    }
                }
            }
        }
        finally
        {
            reads.Cleanup();
            HotReads.SqlLogger = null;
        }

        return same;
    }

    [GeneratedRegex(@"@\w+")]
    private static partial Regex Parameter();

    private static async Task<object?> RunAsync(HotReads reads, MethodInfo method)
    {
        var task = (Task)method.Invoke(reads, null)!;
        await task;
        return task.GetType().GetProperty(nameof(Task<object>.Result))!.GetValue(task);
    }

    /// <summary>The text of every command EF sends, without the line that times it.</summary>
    private sealed class SqlCapture : ILoggerProvider, ILogger
    {
        public List<string> Commands { get; } = [];

        /// <summary>How many times EF translated a query since this was last set to 0.</summary>
        public int Translations { get; set; }

        public ILogger CreateLogger(string categoryName) => this;

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name == "Microsoft.EntityFrameworkCore.Query.QueryCompilationStarting")
            {
                Translations++;
            }

            var message = formatter(state, exception);
            if (eventId.Name == "Microsoft.EntityFrameworkCore.Database.Command.CommandExecuted")
            {
                lock (Commands)
                {
                    Commands.Add(message[(message.IndexOf('\n', StringComparison.Ordinal) + 1)..]);
                }
            }
        }
    }
}
