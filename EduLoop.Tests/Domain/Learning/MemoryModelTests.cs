using EduLoop.Domain.Learning;
using FsCheck;
using FsCheck.Fluent;

namespace EduLoop.Tests.Domain.Learning;

/// <summary>
/// The FSRS-6 formulas against the reference figures of py-fsrs and fsrs-rs
/// (../shared/corpus/fsrs/README.md), and the properties every memory keeps.
/// </summary>
public sealed class MemoryModelTests
{
    private static readonly (int ElapsedDays, Rating Rating)[] _memoryHistory =
    [
        (0, Rating.Again), (0, Rating.Good), (1, Rating.Good), (3, Rating.Good), (8, Rating.Good), (21, Rating.Good),
    ];

    [Fact]
    public void Replay_ReferenceHistory_GivesTheReferenceMemory()
    {
        var memory = MemoryModel.Default.Replay(_memoryHistory)!;

        AssertRelative(53.62691, memory.Stability, 1e-4);
        AssertRelative(6.3574867, memory.Difficulty, 1e-4);
    }

    [Fact]
    public void Replay_ReferenceHistoryWithoutSameDayWeights_GivesTheReferenceStability()
    {
        var weights = MemoryModel.DefaultWeights.ToArray();
        weights[17] = weights[18] = weights[19] = 0;

        var memory = new MemoryModel(weights).Replay(_memoryHistory)!;

        AssertRelative(53.335106, memory.Stability, 1e-4);
    }

    [Fact]
    public void Replay_NoReviews_IsNull() => Assert.Null(MemoryModel.Default.Replay([]));

    [Theory]
    [InlineData(0.1, 3116769)] // fsrs-rs computes in single precision and prints 3116766; double precision gives 3116769
    [InlineData(0.2, 34793)]
    [InlineData(0.3, 2508)]
    [InlineData(0.4, 387)]
    [InlineData(0.5, 90)]
    [InlineData(0.6, 27)]
    [InlineData(0.7, 9)]
    [InlineData(0.8, 3)]
    [InlineData(0.9, 1)]
    [InlineData(1.0, 1)]
    public void NextIntervalDays_StabilityOneWithoutCap_MatchesReference(double desiredRetention, int expected) =>
        Assert.Equal(expected, MemoryModel.Default.NextIntervalDays(1, desiredRetention, int.MaxValue));

    [Fact]
    public void NextIntervalDays_Capped_IsAtMostTheMaximum() =>
        Assert.Equal(36_500, MemoryModel.Default.NextIntervalDays(1, 0.1, 36_500));

    [Theory]
    [InlineData(1, 0.9)]
    [InlineData(2, 0.84028935)]
    [InlineData(3, 0.7985001)]
    public void Retrievability_StabilityOneDecayPointTwo_MatchesReference(int elapsedDays, double expected)
    {
        var weights = MemoryModel.DefaultWeights.ToArray();
        weights[20] = 0.2;

        Assert.Equal(expected, new MemoryModel(weights).Retrievability(elapsedDays, 1), 1e-6);
    }

    [Fact]
    public void Retrievability_AtStability_IsNinetyPercent() =>
        Assert.Equal(0.9, MemoryModel.Default.Retrievability(17.5, 17.5), 1e-12);

    [Fact]
    public void Initial_EachRating_TakesItsWeights()
    {
        var w = MemoryModel.DefaultWeights;
        Assert.Equal(new MemoryState(w[0], w[4]), MemoryModel.Default.Initial(Rating.Again));
        Assert.Equal(w[2], MemoryModel.Default.Initial(Rating.Good).Stability);
        Assert.Equal(w[4] - Math.Exp(2 * w[5]) + 1, MemoryModel.Default.Initial(Rating.Good).Difficulty, 1e-12);
        // D0(Easy) of the default weights is below 1 and clamped.
        Assert.Equal(1.0, MemoryModel.Default.Initial(Rating.Easy).Difficulty);
    }

    [Fact]
    public void SameDayStability_Hard_IsFlooredAtTheStabilityItHad()
    {
        // Unfloored, a same-day Hard multiplies the default stability by about 0.6.
        var w = MemoryModel.DefaultWeights;
        Assert.True(Math.Exp(w[17] * (-1 + w[18])) * Math.Pow(3.0, -w[19]) < 0.7);

        Assert.Equal(3.0, MemoryModel.Default.SameDayStability(3.0, Rating.Hard));
        Assert.Equal(3.0, MemoryModel.Default.SameDayStability(3.0, Rating.Good));
        Assert.True(MemoryModel.Default.SameDayStability(3.0, Rating.Easy) > 3.0);
        Assert.True(MemoryModel.Default.SameDayStability(3.0, Rating.Again) < 3.0);
    }

    [Fact]
    public void ForgetStability_NeverExceedsThePostLapseCap()
    {
        var w = MemoryModel.DefaultWeights;
        // A very stable memory forgotten at low retrievability: the long-term formula alone would grow it.
        var stability = MemoryModel.Default.ForgetStability(1, 2.0, 0.01);

        Assert.Equal(2.0 / Math.Exp(w[17] * w[18]), stability, 1e-12);
    }

    [Fact]
    public void Constructor_WrongNumberOfWeights_Throws() =>
        Assert.Throws<ArgumentException>(() => new MemoryModel([0.4, 0.6]));

    [Fact]
    public void Next_AnyHistory_KeepsStabilityPositiveAndDifficultyInRange()
    {
        var review = Gen.Choose(0, 400).SelectMany(_ => Gen.Elements(Rating.Again, Rating.Hard, Rating.Good, Rating.Easy), (days, rating) => (days, rating));
        Prop.ForAll(Gen.NonEmptyListOf(review).ToArbitrary(), history =>
            {
                MemoryState? memory = null;
                foreach (var (days, rating) in history)
                {
                    memory = memory is null ? MemoryModel.Default.Initial(rating) : MemoryModel.Default.Next(memory, days, rating);
                    if (!(memory.Stability > 0 && double.IsFinite(memory.Stability) && memory.Difficulty is >= 1 and <= 10))
                    {
                        return false;
                    }
                }

                return true;
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    [Fact]
    public void Retrievability_AnyStability_IsAProbabilityThatFallsWithTime()
    {
        var cases = Stabilities.SelectMany(_ => Gen.Choose(0, 36_500), (s, t) => (s, t))
            .SelectMany(_ => Gen.Choose(1, 36_500), (st, later) => (st.s, st.t, later));
        Prop.ForAll(cases.ToArbitrary(), c =>
            {
                var now = MemoryModel.Default.Retrievability(c.t, c.s);
                var then = MemoryModel.Default.Retrievability(c.t + c.later, c.s);
                return now is > 0 and <= 1 && then > 0 && then < now;
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    [Fact]
    public void NextIntervalDays_MoreStability_NeverAShorterInterval()
    {
        var cases = Stabilities.SelectMany(_ => Stabilities, (a, b) => (Low: Math.Min(a, b), High: Math.Max(a, b)))
            .SelectMany(_ => Gen.Choose(50, 99), (pair, percent) => (pair.Low, pair.High, Retention: percent / 100.0));
        Prop.ForAll(cases.ToArbitrary(), c =>
            {
                var low = MemoryModel.Default.IntervalDays(c.Low, c.Retention);
                var high = MemoryModel.Default.IntervalDays(c.High, c.Retention);
                return high >= low
                    && (c.High == c.Low || high > low)
                    && MemoryModel.Default.NextIntervalDays(c.High, c.Retention, 36_500) >= MemoryModel.Default.NextIntervalDays(c.Low, c.Retention, 36_500);
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    /// <summary>Stabilities from 0.001 to about 36,500 days, spread evenly on a log scale.</summary>
    private static Gen<double> Stabilities => Gen.Choose(0, 1_000_000).Select(i => 0.001 * Math.Pow(10, 7.5625 * i / 1_000_000));

    private static void AssertRelative(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(actual - expected) <= Math.Abs(expected) * tolerance, $"expected {expected}, got {actual}");
}
