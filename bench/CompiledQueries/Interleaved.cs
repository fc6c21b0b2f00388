using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace CompiledQueries;

/// <summary>
/// The same pairs timed in alternation: rounds of a few hundred calls of one form, then of the other,
/// so that the load other programs put on a shared machine falls on both forms alike. Reports each
/// form's median round (time per call) and its allocations per call.
/// </summary>
public static class Interleaved
{
    private const int Rounds = 9;
    private const int CallsPerRound = 300;

    public static async Task RunAsync()
    {
        var reads = new HotReads();
        reads.Setup();
        try
        {
            var pairs = typeof(HotReads).GetMethods()
                .Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)
                .GroupBy(m => m.GetCustomAttribute<BenchmarkCategoryAttribute>()!.Categories[0]);
            Console.WriteLine($"Interleaved: {Rounds} rounds of {CallsPerRound} calls per form, medians of the rounds.");
            Console.WriteLine("| read | LINQ | compiled | ratio | saved per call | LINQ allocated | compiled allocated |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            foreach (var pair in pairs)
            {
                var forms = pair.OrderBy(m => m.Name.EndsWith("Compiled", StringComparison.Ordinal)).Select(m => m.CreateDelegate<Func<Task>>(reads)).ToArray();
                var times = forms.Select(_ => new List<double>()).ToArray();
                var bytes = new long[forms.Length];
                foreach (var form in forms)
                {
                    // Warm-up: compiles the compiled query and fills EF's query cache for the LINQ one.
                    for (var i = 0; i < 20; i++)
                    {
                        await form();
                    }
                }

                for (var round = 0; round < Rounds; round++)
                {
                    // Alternate which form goes first, so neither always follows the other.
                    foreach (var f in round % 2 == 0 ? Enumerable.Range(0, forms.Length) : Enumerable.Range(0, forms.Length).Reverse())
                    {
                        var allocated = GC.GetTotalAllocatedBytes(precise: true);
                        var watch = Stopwatch.StartNew();
                        for (var i = 0; i < CallsPerRound; i++)
                        {
                            await forms[f]();
                        }

                        times[f].Add(watch.Elapsed.TotalMicroseconds / CallsPerRound);
                        bytes[f] += GC.GetTotalAllocatedBytes(precise: true) - allocated;
                    }
                }

                var (linq, compiled) = (Median(times[0]), Median(times[1]));
                var perCall = bytes.Select(b => b / 1024.0 / (Rounds * CallsPerRound)).ToArray();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {pair.Key[2..]} | {linq:0.0} μs | {compiled:0.0} μs | {compiled / linq:0.00} | {linq - compiled:0.0} μs | {perCall[0]:0.0} KB | {perCall[1]:0.0} KB |"));
            }
        }
        finally
        {
            reads.Cleanup();
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
