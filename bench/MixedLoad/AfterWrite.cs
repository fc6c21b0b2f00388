using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace MixedLoad;

/// <summary>
/// The first read of a list right after a bank write, alone on the server: a teacher saves a change
/// to a question, then one list of questions (a filter, a bank page, the dashboard's counts) is read,
/// timed from the save's acknowledgement. The save made every cached list and count of questions
/// stale, so each read loads its page and count again: enough iterations for a p99.
/// </summary>
internal static class AfterWrite
{
    public const string FilteredKind = "after a write: filtered staff list";
    public const string BankPageKind = "after a write: bank page";
    public const string CountsKind = "after a write: unfiltered list and dashboard counts";
    public const string AnyKind = "after a write: any of these";

    public static async Task<string> RunAsync(SchoolDay day, School school, int iterations)
    {
        var reads = School.FilteredLists.Select(p => (Path: p, Kind: FilteredKind))
            .Concat(school.BankPages.Select(p => (Path: p, Kind: BankPageKind)))
            .Concat([("/api/dashboard/recent-questions/", CountsKind), ("/api/dashboard/", CountsKind)])
            .ToList();
        var phase = new Phase("after-write", Stopwatch.GetTimestamp(), TimeSpan.Zero);
        var slowest = new List<(double Ms, string Path)>();
        for (var i = 0; i < iterations; i++)
        {
            var (path, kind) = reads[i % reads.Count];
            if (!await day.EditAsync(phase, Stopwatch.GetTimestamp(), readAfter: false))
            {
                continue;
            }

            var acknowledged = Stopwatch.GetTimestamp();
            var failedBefore = phase[kind].ErrorCount;
            await day.Read(phase, kind, acknowledged, path);
            var completed = Stopwatch.GetTimestamp();
            if (phase[kind].ErrorCount == failedBefore)
            {
                phase[AnyKind].Succeeded(acknowledged, completed);
            }
            else
            {
                phase[AnyKind].Failed(acknowledged, completed, "read failed", path);
            }

            slowest.Add((Clock.Milliseconds(Clock.Microseconds(completed - acknowledged)), path));
            // A teacher does not save twice in the same millisecond; the pause also lets each write's
            // background work (cache removal, WAL) finish before the next.
            await Task.Delay(50);
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## The first read after a bank write ({iterations} iterations, nothing else running)");
        text.AppendLine();
        text.AppendLine("| what | reads | p50 ms | p99 ms | max ms | errors |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var kind in new[] { FilteredKind, BankPageKind, CountsKind, AnyKind, SchoolDay.EditKind }.Where(phase.Has))
        {
            var f = Figures.Of(phase, kind);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {kind} | {f.Count} | {f.P50:0.00} | {f.P99:0.00} | {f.Max:0.0} | {f.Errors} |");
        }

        text.AppendLine();
        text.AppendLine("Slowest first reads: " + string.Join("; ", slowest.OrderByDescending(s => s.Ms).Take(8).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Path} {s.Ms:0.0} ms"))));
        foreach (var kind in new[] { FilteredKind, BankPageKind, CountsKind, SchoolDay.EditKind }.Where(phase.Has))
        {
            foreach (var sample in phase[kind].ErrorSamples)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  error sample, {kind}: {sample}");
            }
        }

        var any = Figures.Of(phase, AnyKind);
        var errors = new[] { FilteredKind, BankPageKind, CountsKind, SchoolDay.EditKind }.Where(phase.Has).Sum(k => phase[k].ErrorCount);
        text.AppendLine(Report.Verdict($"first read after a bank write: p99 {any.P99:0.00} ms (< {Report.AfterWriteP99TargetMs} ms), {errors} errors", any.P99 < Report.AfterWriteP99TargetMs && errors == 0));
        return text.ToString();
    }
}
