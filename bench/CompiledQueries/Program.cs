using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CompiledQueries;

// bench/compiled-queries.sh runs this:
//   dotnet bench/CompiledQueries/bin/Release/net10.0/CompiledQueries.dll DATA_DIR [QUESTIONS] [--sql] [--interleaved] [-- BenchmarkDotNet options]
// 1. Makes DATA_DIR's database once (BenchData): the seed verb's synthetic bank of QUESTIONS (default
//    100,000), a quiz taken by 200 students, an API token, an access key and a practice session.
// 2. Checks that each read's two forms send the same SQL and return the same result (--sql prints the SQL).
// 3. Times both forms of each read with BenchmarkDotNet: a short run (3 warm-ups, 3 iterations) in this
//    process, as the machine is shared. With --interleaved, times them in alternating rounds instead
//    (Interleaved), which a busy machine skews less.
var split = Array.IndexOf(args, "--");
var (own, benchmarkArgs) = split < 0 ? (args, Array.Empty<string>()) : (args[..split], args[(split + 1)..]);
if (own.Length == 0)
{
    Console.Error.WriteLine("Usage: CompiledQueries DATA_DIR [QUESTIONS] [--sql] [--interleaved] [-- BenchmarkDotNet options]");
    return 2;
}

var dataDirectory = Path.GetFullPath(own[0]);
var questions = own.Length > 1 && !own[1].StartsWith("--", StringComparison.Ordinal) ? int.Parse(own[1], CultureInfo.InvariantCulture) : 100_000;
await BenchData.PrepareAsync(dataDirectory, questions);
HotReads.DataDirectory = dataDirectory;

if (!await SameQueries.CheckAsync(dataDirectory, print: own.Contains("--sql")))
{
    return 1;
}

if (own.Contains("--interleaved"))
{
    await Interleaved.RunAsync();
    return 0;
}

var config = ManualConfig.Create(DefaultConfig.Instance)
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .WithOptions(ConfigOptions.JoinSummary);
BenchmarkSwitcher.FromTypes([typeof(HotReads)]).Run(benchmarkArgs.Length == 0 ? ["--filter", "*"] : benchmarkArgs, config);
return 0;
