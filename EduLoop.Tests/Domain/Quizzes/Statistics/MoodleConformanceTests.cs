using System.Globalization;
using CsvHelper;
using EduLoop.Domain.Quizzes.Statistics;
using EduLoop.Tests.Infrastructure;

namespace EduLoop.Tests.Domain.Quizzes.Statistics;

/// <summary>
/// Moodle's own fixture quiz (../shared/corpus/moodle-statistics: 25 attempts, 7 slots) gives every
/// figure Moodle's tests expect: the quiz's in quiz00.csv and each whole slot's in qstats00.csv, within
/// a relative 1e-6 (1e-5 for the covariance-based figures, as Moodle's tests allow).
/// </summary>
public sealed class MoodleConformanceTests
{
    private static readonly string _corpus = Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "corpus", "moodle-statistics"));

    private static readonly Lazy<QuizStatistics> _statistics = new(() => QuizStatisticsCalculator.Calculate(
        Enumerable.Repeat(new StatisticsSlot(1), 7).ToList(), ReadMarks()));

    private static readonly HashSet<string> _covarianceBased = ["covariance", "discriminationindex", "discriminativeefficiency", "effectiveweight"];

    /// <summary>Figures in qstats00.csv that are not computed from the marks.</summary>
    private static readonly HashSet<string> _notFigures = ["slot", "subqname", "variant"];

    [Fact]
    public void Corpus_IsThere()
    {
        foreach (var file in new[] { "results00.csv", "qstats00.csv", "quiz00.csv" })
        {
            Assert.True(File.Exists(Path.Combine(_corpus, file)), $"{file} is expected in {_corpus}");
        }

        Assert.Equal(25, ReadMarks().Count);
        Assert.Equal(9, QuizFigures().Count);
        Assert.Equal(7 * 11, SlotFigures().Count);
    }

    public static TheoryData<string, string> QuizFigures()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in ReadRows("quiz00.csv"))
        {
            data.Add(row["figure"], row["value"]);
        }

        return data;
    }

    public static TheoryData<int, string, string> SlotFigures()
    {
        var data = new TheoryData<int, string, string>();
        foreach (var row in ReadRows("qstats00.csv").Where(r => r["subqname"] == "" && r["variant"] == ""))
        {
            foreach (var (column, value) in row.Where(c => !_notFigures.Contains(c.Key)))
            {
                data.Add(int.Parse(row["slot"], CultureInfo.InvariantCulture), column, value);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(QuizFigures))]
    public void Calculate_FixtureQuiz_GivesMoodlesQuizFigure(string figure, string expected)
    {
        var test = _statistics.Value.Test;
        double? actual = figure switch
        {
            "attempts" => test.Attempts,
            "median" => test.Median,
            "mean" => test.Mean,
            "sd" => test.StandardDeviation,
            "skewness" => test.Skewness,
            "kurtosis" => test.Kurtosis,
            "cic" => test.InternalConsistency,
            "error_ratio" => test.ErrorRatio,
            "standard_error" => test.StandardError,
            _ => throw new InvalidOperationException($"quiz00.csv has a figure the test does not know: {figure}"),
        };

        AssertFigure(expected, actual, 1e-6, figure);
    }

    [Theory]
    [MemberData(nameof(SlotFigures))]
    public void Calculate_FixtureQuiz_GivesMoodlesSlotFigure(int slot, string figure, string expected)
    {
        var s = _statistics.Value.Slots[slot - 1];
        Assert.Equal(slot, s.Slot);
        double? actual = figure switch
        {
            "s" => s.Attempts,
            "facility" => s.Facility,
            "sd" => s.StandardDeviation,
            "effectiveweight" => s.EffectiveWeight,
            "covariance" => s.Covariance,
            "markvariance" => s.MarkVariance,
            "othermarkvariance" => s.OtherMarkVariance,
            "discriminationindex" => s.DiscriminationIndex,
            "covariancemax" => s.CovarianceMax,
            "discriminativeefficiency" => s.DiscriminativeEfficiency,
            "maxmark" => s.MaxMark,
            _ => throw new InvalidOperationException($"qstats00.csv has a figure the test does not know: {figure}"),
        };

        AssertFigure(expected, actual, _covarianceBased.Contains(figure) ? 1e-5 : 1e-6, $"{figure} of slot {slot}");
    }

    private static void AssertFigure(string expected, double? actual, double tolerance, string what)
    {
        if (expected == "**NULL**")
        {
            Assert.True(actual is null, $"{what}: Moodle shows nothing, got {actual}");
            return;
        }

        var value = double.Parse(expected, CultureInfo.InvariantCulture);
        Assert.True(actual is { } a && Math.Abs(a - value) <= Math.Abs(value) * tolerance, $"{what}: expected {value}, got {actual}");
    }

    private static List<IReadOnlyList<double>> ReadMarks() =>
        ReadRows("results00.csv")
            .Select(row => (IReadOnlyList<double>)Enumerable.Range(1, 7).Select(slot => double.Parse(row[$"slots.{slot}.mark"], CultureInfo.InvariantCulture)).ToList())
            .ToList();

    /// <summary>The rows of a corpus CSV file as column → cell.</summary>
    private static List<Dictionary<string, string>> ReadRows(string file)
    {
        var path = Path.Combine(_corpus, file);
        if (!File.Exists(path))
        {
            return []; // Corpus_IsThere fails with a clear message rather than test discovery.
        }

        using var csv = CsvReader.FromFile(path);
        var header = csv.Headers.ToList();
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read())
        {
            rows.Add(header.ToDictionary(h => h, h => csv.GetString(h)));
        }

        return rows;
    }
}
