using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Learning;

// bench/learning.sh runs this:
//   dotnet bench/Learning/bin/Release/net10.0/Learning.dll DATA_DIR [QUESTIONS] [--recorder | --quality] [-- BenchmarkDotNet options]
// 1. Makes DATA_DIR's database once (LearningData).
// 2. Times the learning reads with BenchmarkDotNet's short run in this process (the machine is shared),
//    or, with --recorder, loads the graded-answer writer from 64 students for 15 s, or, with --quality,
//    gives every question quality sums, loads the writer with answers over the whole bank and times
//    the bank's "Needs review" (QualityLoad).
var split = Array.IndexOf(args, "--");
var (own, benchmarkArgs) = split < 0 ? (args, Array.Empty<string>()) : (args[..split], args[(split + 1)..]);
if (own.Length == 0)
{
    Console.Error.WriteLine("Usage: Learning DATA_DIR [QUESTIONS] [--recorder] [-- BenchmarkDotNet options]");
    return 2;
}

var dataDirectory = Path.GetFullPath(own[0]);
var questions = own.Length > 1 && !own[1].StartsWith("--", StringComparison.Ordinal) ? int.Parse(own[1], CultureInfo.InvariantCulture) : 100_000;
await LearningData.PrepareAsync(dataDirectory, questions);
if (own.Contains("--quality"))
{
    await QualityLoad.RunAsync(dataDirectory);
    return 0;
}

if (own.Contains("--recorder"))
{
    await RecorderLoad.RunAsync(dataDirectory, 64, TimeSpan.FromSeconds(15));
    return 0;
}

LearningReads.DataDirectory = dataDirectory;
var config = ManualConfig.Create(DefaultConfig.Instance)
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .WithOptions(ConfigOptions.JoinSummary);
BenchmarkSwitcher.FromTypes([typeof(LearningReads)]).Run(benchmarkArgs.Length == 0 ? ["--filter", "*"] : benchmarkArgs, config);
return 0;
