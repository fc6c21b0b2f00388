using System.Globalization;
using System.Text;
using HdrHistogram;

namespace MixedLoad;

/// <summary>The figures of one kind in one phase.</summary>
internal sealed record Figures(double Throughput, double P50, double P99, double Max, long Errors, long Count)
{
    public static Figures Of(Phase phase, string kind)
    {
        var stats = phase[kind];
        var latency = stats.Latency;
        return new Figures(phase.Throughput(kind),
            Clock.PercentileMs(latency, 50), Clock.PercentileMs(latency, 99),
            Clock.Milliseconds(latency.GetMaxValue()), stats.ErrorCount, latency.TotalCount);
    }
}

/// <summary>Markdown tables: each round, then the median of the rounds per figure, and the budgets met or missed.</summary>
internal sealed class Report(Rates rates, TimeSpan seconds, bool timeline)
{
    /// <summary>The budgets of DESIGN.md for a school's mixed day.</summary>
    public const double ReadRatioTarget = 0.8, ReadP99TargetMs = 20, AnswerP99TargetMs = 50, AfterWriteP99TargetMs = 10;

    private static readonly string[] MixedKinds =
    [
        .. SchoolDay.ReadKinds, SchoolDay.PracticeStartKind, SchoolDay.PracticeNextKind, SchoolDay.PracticeAnswerKind, SchoolDay.AnswerKind, SchoolDay.EditKind, SchoolDay.AfterWriteKind,
    ];

    private readonly List<(int Round, Phase Mixed, Phase Alone)> _rounds = [];
    private readonly Dictionary<int, string> _notes = [];

    public void AddRound(int round, bool mixedFirst, Phase mixed, Phase alone, string mixedCpu, string aloneCpu)
    {
        _rounds.Add((round, mixed, alone));
        _notes[round] = $"{(mixedFirst ? "mixed first" : "reads alone first")}. CPU, mixed: {mixedCpu}; alone: {aloneCpu}.";
    }

    private double Rate(string kind) => kind switch
    {
        SchoolDay.FiveListsKind => rates.FiveLists,
        SchoolDay.FilteredKind => rates.Filtered,
        SchoolDay.BankPagesKind => rates.BankPages,
        SchoolDay.PracticeStartKind => rates.PracticeSteps / rates.StepsPerSession,
        SchoolDay.PracticeNextKind => rates.PracticeSteps * (rates.StepsPerSession - 1) / rates.StepsPerSession,
        SchoolDay.PracticeAnswerKind => rates.PracticeAnswers,
        SchoolDay.AnswerKind => rates.AnswerSaves,
        SchoolDay.EditKind => rates.EditsPerSecond,
        SchoolDay.AfterWriteKind => rates.EditsPerSecond * School.FilteredLists.Length,
        _ => 0,
    };

    public string Round(int round)
    {
        var (_, mixed, alone) = _rounds.Single(r => r.Round == round);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## Round {round} ({_notes[round]})");
        text.AppendLine();
        text.AppendLine("| phase | kind | rate/s | achieved/s | p50 ms | p99 ms | max ms | requests | errors |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (phase, label) in new[] { (mixed, "mixed"), (alone, "alone") })
        {
            foreach (var kind in MixedKinds.Where(phase.Has))
            {
                var f = Figures.Of(phase, kind);
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {label} | {kind} | {Rate(kind):0.#} | {f.Throughput:0.0} | {f.P50:0.00} | {f.P99:0.00} | {f.Max:0.0} | {f.Count} | {f.Errors}{ErrorText(phase, kind)} |");
            }
        }

        text.AppendLine();
        if (timeline)
        {
            text.AppendLine("Timeline of the mixed phase, the slowest request (ms) due in each second:");
            text.AppendLine();
            foreach (var kind in MixedKinds.Where(mixed.Has))
            {
                var slowest = mixed[kind].SlowestBySecond;
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"    {kind,-50} {string.Join(" ", Enumerable.Range(0, (int)Math.Ceiling(seconds.TotalSeconds)).Select(s => slowest.TryGetValue(s, out var us) ? Clock.Milliseconds(us).ToString("0", CultureInfo.InvariantCulture) : "-"))}");
            }

            text.AppendLine();
        }

        foreach (var (phase, label) in new[] { (mixed, "mixed"), (alone, "alone") })
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Generator, {label}: {Punctuality(phase)}");
            foreach (var kind in MixedKinds.Where(phase.Has))
            {
                foreach (var sample in phase[kind].ErrorSamples)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  error sample, {kind}: {sample}");
                }
            }
        }

        return text.ToString();
    }

    /// <summary>How late the generator sent its requests: the share of latency that is its own.</summary>
    private static string Punctuality(Phase phase)
    {
        var lag = phase.SendLag;
        long late = 0;
        foreach (var value in lag.RecordedValues())
        {
            if (value.ValueIteratedTo > 1000)
            {
                late += value.CountAtValueIteratedTo;
            }
        }

        var share = lag.TotalCount == 0 ? 0 : (double)late / lag.TotalCount;
        var verdict = share > 0.01 || Clock.PercentileMs(lag, 99) > 2
            ? "BEHIND ITS SCHEDULE: the latencies include the generator's own delay"
            : "on schedule";
        return string.Create(CultureInfo.InvariantCulture,
            $"requests sent p50 {Clock.PercentileMs(lag, 50):0.00} ms, p99 {Clock.PercentileMs(lag, 99):0.00} ms, " +
            $"max {Clock.Milliseconds(lag.GetMaxValue()):0.0} ms after their due time; {late} of {lag.TotalCount} more than 1 ms late ({share * 100:0.00} %): {verdict}.");
    }

    private static string ErrorText(Phase phase, string kind) =>
        phase[kind].Errors.IsEmpty ? "" : " (" + string.Join(", ", phase[kind].Errors.Select(e => $"{e.Key}: {e.Value}")) + ")";

    public string Medians()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## Median of {_rounds.Count} rounds ({seconds.TotalSeconds:0} s per phase; errors are the sum of all rounds)");
        text.AppendLine();
        text.AppendLine("| kind | rate/s | mixed: achieved/s | p50 ms | p99 ms | max ms | errors | alone: achieved/s | p50 ms | p99 ms | max ms | errors | mixed/alone |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        var verdicts = new List<string>();
        long errors = 0;
        foreach (var kind in MixedKinds)
        {
            var mixed = _rounds.Where(r => r.Mixed.Has(kind)).Select(r => Figures.Of(r.Mixed, kind)).ToList();
            var alone = _rounds.Where(r => r.Alone.Has(kind)).Select(r => Figures.Of(r.Alone, kind)).ToList();
            if (mixed.Count == 0)
            {
                continue;
            }

            errors += mixed.Sum(f => f.Errors) + alone.Sum(f => f.Errors);
            var ratios = _rounds.Where(r => r.Alone.Has(kind) && r.Mixed.Has(kind))
                .Select(r => r.Mixed.Throughput(kind) / r.Alone.Throughput(kind)).ToList();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {kind} | {Rate(kind):0.#} | {Cells(mixed)} | {(alone.Count > 0 ? Cells(alone) : "| | | | ")} | {(ratios.Count > 0 ? Median(ratios).ToString("0.00", CultureInfo.InvariantCulture) : "")} |");
            var p99 = Median(mixed.Select(f => f.P99).ToList());
            if (SchoolDay.ReadKinds.Contains(kind))
            {
                var ratio = Median(ratios);
                verdicts.Add(Verdict($"{kind}: mixed/alone throughput {ratio:0.00} (≥ {ReadRatioTarget})", ratio >= ReadRatioTarget));
                verdicts.Add(Verdict($"{kind}: p99 {p99:0.00} ms under mixed load (< {ReadP99TargetMs} ms)", p99 < ReadP99TargetMs));
            }
            else if (kind == SchoolDay.AnswerKind)
            {
                verdicts.Add(Verdict($"{kind}: p99 {p99:0.00} ms (< {AnswerP99TargetMs} ms)", p99 < AnswerP99TargetMs));
            }
        }

        verdicts.Add(Verdict($"errors: {errors} (0)", errors == 0));
        text.AppendLine();
        foreach (var verdict in verdicts)
        {
            text.AppendLine(verdict);
        }

        return text.ToString();

        static string Cells(List<Figures> figures) => string.Create(CultureInfo.InvariantCulture,
            $"{Median(figures.Select(f => f.Throughput).ToList()):0.0} | {Median(figures.Select(f => f.P50).ToList()):0.00} | " +
            $"{Median(figures.Select(f => f.P99).ToList()):0.00} | {Median(figures.Select(f => f.Max).ToList()):0.0} | {figures.Sum(f => f.Errors)}");
    }

    public static string Verdict(string what, bool met) => $"- {(met ? "met" : "MISSED")}: {what}";

    public static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
