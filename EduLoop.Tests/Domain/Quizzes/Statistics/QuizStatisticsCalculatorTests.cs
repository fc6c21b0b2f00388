using EduLoop.Domain.Quizzes.Statistics;
using FsCheck;
using FsCheck.Fluent;

namespace EduLoop.Tests.Domain.Quizzes.Statistics;

/// <summary>The edges where Moodle shows no figure, and what does not depend on the scale of the marks.</summary>
public sealed class QuizStatisticsCalculatorTests
{
    private static readonly StatisticsSlot[] _twoSlots = [new(1), new(1)];

    [Fact]
    public void Calculate_NoAttempts_HasOnlyTheIntendedWeights()
    {
        var statistics = QuizStatisticsCalculator.Calculate([new(1, 0.5), new(3)], []);

        Assert.Equal(new TestStatistics(0, null, null, null, null, null, null, null, null), statistics.Test);
        Assert.Equal([25.0, 75.0], statistics.Slots.Select(s => s.IntendedWeight!.Value));
        Assert.All(statistics.Slots, s => Assert.Null(s.Facility));
        Assert.Equal(0.5, statistics.Slots[0].RandomGuessScore);
    }

    [Fact]
    public void Calculate_OneAttempt_HasMeanMedianAndFacilityOnly()
    {
        var statistics = QuizStatisticsCalculator.Calculate(_twoSlots, [[1, 0.5]]);

        Assert.Equal(new TestStatistics(1, 1.5, 1.5, null, null, null, null, null, null), statistics.Test);
        Assert.Equal([1.0, 0.5], statistics.Slots.Select(s => s.Facility!.Value));
        Assert.All(statistics.Slots, s => Assert.Null(s.StandardDeviation));
        Assert.All(statistics.Slots, s => Assert.Null(s.EffectiveWeight));
    }

    [Fact]
    public void Calculate_TwoAttempts_HasAStandardDeviationButNoSkewness()
    {
        var test = QuizStatisticsCalculator.Calculate(_twoSlots, [[1, 1], [0, 0]]).Test;

        Assert.Equal(Math.Sqrt(2), test.StandardDeviation!.Value, 1e-12);
        Assert.Equal(1, test.Median);
        Assert.Null(test.Skewness);
        Assert.Null(test.InternalConsistency);
    }

    [Fact]
    public void Calculate_ThreeAttempts_HasSkewnessAndConsistencyButNoKurtosis()
    {
        var test = QuizStatisticsCalculator.Calculate(_twoSlots, [[1, 1], [0, 0], [1, 0]]).Test;

        Assert.NotNull(test.Skewness);
        Assert.NotNull(test.InternalConsistency);
        Assert.Null(test.Kurtosis);
    }

    [Fact]
    public void Calculate_EveryAttemptTheSameTotal_HasNoHigherFigures()
    {
        var test = QuizStatisticsCalculator.Calculate(_twoSlots, [[1, 0], [0, 1], [1, 0], [0, 1]]).Test;

        Assert.Equal(0, test.StandardDeviation);
        Assert.Null(test.Skewness);
        Assert.Null(test.Kurtosis);
        Assert.Null(test.InternalConsistency);
        Assert.Null(test.ErrorRatio);
    }

    [Fact]
    public void Calculate_OneSlot_HasNoInternalConsistency()
    {
        var test = QuizStatisticsCalculator.Calculate([new(1)], [[1], [0], [1], [1]]).Test;

        Assert.NotNull(test.Kurtosis);
        Assert.Null(test.InternalConsistency);
    }

    [Fact]
    public void Calculate_SlotEveryoneGotRight_HasNoDiscrimination()
    {
        var slot = QuizStatisticsCalculator.Calculate(_twoSlots, [[1, 1], [1, 0], [1, 1]]).Slots[0];

        Assert.Equal(1, slot.Facility);
        Assert.Equal(0, slot.StandardDeviation);
        Assert.Null(slot.DiscriminationIndex);
        Assert.Null(slot.DiscriminativeEfficiency);
    }

    [Fact]
    public void Calculate_SlotAgainstTheTotal_HasNoEffectiveWeight()
    {
        // Slot 1 is right exactly when the (heavier) slot 2 is wrong: its covariance with the total is negative.
        var statistics = QuizStatisticsCalculator.Calculate([new(1), new(3)], [[1, 0], [0, 3], [1, 0], [0, 3]]);

        Assert.True(statistics.Slots[0].CovarianceWithTotal < 0);
        Assert.Null(statistics.Slots[0].EffectiveWeight);
        Assert.Equal(100, statistics.Slots[1].EffectiveWeight!.Value, 1e-12);
    }

    [Fact]
    public void Calculate_SlotThatDoesNotCovaryWithTheTotal_HasNoWeightWhateverTheRounding()
    {
        // Slot 3's marks covary with the totals by exactly 0; rounded sums leave about 1e-17, whose root
        // would give it a weight. Scaled by 12 the rounding differs, and both must say 0.
        double[][] rows = [[0.5, 1, 0.75], [0, 1, 0], [1, 1, 0], [0, 0.75, 0.5], [0, 0, 0.75], [0.75, 0.5, 0.5]];
        StatisticsSlot[] slots = [new(1), new(1), new(1)];

        foreach (var factor in new[] { 1, 12 })
        {
            var statistics = QuizStatisticsCalculator.Calculate(
                slots.Select(s => new StatisticsSlot(s.MaxMark * factor)).ToList(),
                rows.Select(r => (IReadOnlyList<double>)r.Select(m => m * factor).ToList()).ToList());

            Assert.Equal(0, statistics.Slots[2].CovarianceWithTotal);
            Assert.Equal(0, statistics.Slots[2].EffectiveWeight);
            Assert.Equal(100, statistics.Slots[0].EffectiveWeight!.Value + statistics.Slots[1].EffectiveWeight!.Value, 9);
        }
    }

    [Fact]
    public void Calculate_SlotWithEqualMarksThatDoNotRoundToTheirMean_HasNoSpread()
    {
        // Three marks of 0.1 average to 0.10000000000000002; the slot still has no spread to discriminate with.
        var statistics = QuizStatisticsCalculator.Calculate(_twoSlots, [[0.1, 1], [0.1, 0], [0.1, 0.5]]);

        Assert.Equal(0, statistics.Slots[0].MarkVariance);
        Assert.Equal(0, statistics.Slots[0].StandardDeviation);
        Assert.Null(statistics.Slots[0].DiscriminationIndex);
        Assert.Null(statistics.Slots[0].DiscriminativeEfficiency);
    }

    [Fact]
    public void Calculate_MaxMarkNotOne_ReportsFacilityAndDeviationAsFractions()
    {
        var slot = QuizStatisticsCalculator.Calculate([new(4), new(1)], [[4, 1], [2, 0], [0, 1]]).Slots[0];

        Assert.Equal(0.5, slot.Facility);
        Assert.Equal(0.5, slot.StandardDeviation!.Value, 1e-12);
        Assert.Equal(4, slot.MarkVariance!.Value, 1e-12);
        Assert.Equal(80, slot.IntendedWeight!.Value, 1e-12);
    }

    [Fact]
    public void Calculate_RowWithTheWrongNumberOfMarks_Throws() =>
        Assert.Throws<ArgumentException>(() => QuizStatisticsCalculator.Calculate(_twoSlots, [[1, 1], [1]]));

    [Fact]
    public void Calculate_MarksAndMaxMarksScaledTogether_KeepTheRelativeFigures()
    {
        var row = Gen.ArrayOf(Gen.Choose(0, 4), 3).Select(marks => marks.Select(m => m / 4.0).ToArray());
        var cases = Gen.ArrayOf(row).Where(rows => rows.Length >= 4)
            .SelectMany(_ => Gen.Choose(2, 50), (rows, factor) => (rows, factor));
        Prop.ForAll(cases.ToArbitrary(), c =>
            {
                StatisticsSlot[] slots = [new(1), new(1), new(1)];
                var plain = QuizStatisticsCalculator.Calculate(slots, c.rows.Select(r => (IReadOnlyList<double>)r).ToList());
                var scaled = QuizStatisticsCalculator.Calculate(
                    slots.Select(s => new StatisticsSlot(s.MaxMark * c.factor)).ToList(),
                    c.rows.Select(r => (IReadOnlyList<double>)r.Select(m => m * c.factor).ToList()).ToList());
                return Same(plain.Test.InternalConsistency, scaled.Test.InternalConsistency)
                    && Same(plain.Test.Skewness, scaled.Test.Skewness)
                    && plain.Slots.Zip(scaled.Slots).All(p =>
                        Same(p.First.Facility, p.Second.Facility) && Same(p.First.StandardDeviation, p.Second.StandardDeviation)
                        && Same(p.First.DiscriminationIndex, p.Second.DiscriminationIndex) && Same(p.First.EffectiveWeight, p.Second.EffectiveWeight)
                        && p.First.Facility is null or (>= 0 and <= 1));
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    private static bool Same(double? a, double? b) =>
        (a is null && b is null) || (a is { } x && b is { } y && Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Abs(x)));
}
