using System.Collections.Immutable;

namespace EduLoop.Domain.Learning;

/// <summary>
/// What FSRS remembers of one question for one student: <see cref="Stability"/> is the number of days
/// after which the chance of recall has fallen to 90 %, <see cref="Difficulty"/> how hard the question
/// is for the student, from 1 to 10.
/// </summary>
public sealed record MemoryState(double Stability, double Difficulty);

/// <summary>
/// The FSRS-6 memory model as pure functions of its 21 weights (w0 … w20): how stability and
/// difficulty start, how a review changes them, how recall fades with time and how long an interval
/// keeps recall at a desired level. Published by the open-spaced-repetition project; the formulas here
/// follow its papers and reference implementations and are checked against their test figures.
/// </summary>
/// <remarks>
/// Ratings count from 1 (Again) to 4 (Easy) in the formulas, as FSRS writes them. Same-day reviews
/// floor the stability multiplier at 1 for every successful rating (Hard, Good and Easy), as fsrs-rs
/// does: see docs/decisions/0009-learning-ratings-and-same-day-reviews.md.
/// </remarks>
public sealed class MemoryModel
{
    /// <summary>The lowest stability the model lets a memory reach, in days.</summary>
    public const double MinimumStability = 0.001;

    /// <summary>Difficulty is kept between these bounds.</summary>
    public const double MinimumDifficulty = 1.0, MaximumDifficulty = 10.0;

    /// <summary>FSRS-6's published default weights, fitted on the review logs of many Anki users.</summary>
    public static readonly ImmutableArray<double> DefaultWeights =
    [
        0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835,
        0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
    ];

    /// <summary>The model with <see cref="DefaultWeights"/>.</summary>
    public static MemoryModel Default { get; } = new(DefaultWeights);

    private readonly ImmutableArray<double> _w;

    /// <param name="weights">The 21 weights w0 … w20; w20 (the decay) must be positive.</param>
    public MemoryModel(IEnumerable<double> weights)
    {
        _w = [.. weights];
        if (_w.Length != 21)
        {
            throw new ArgumentException($"FSRS-6 has 21 weights, not {_w.Length}.", nameof(weights));
        }

        if (_w.Any(w => !double.IsFinite(w)))
        {
            throw new ArgumentException("Every weight must be a finite number.", nameof(weights));
        }

        if (_w[0] <= 0 || _w[1] <= 0 || _w[2] <= 0 || _w[3] <= 0 || _w[20] <= 0)
        {
            throw new ArgumentException("The initial stabilities (w0 … w3) and the decay (w20) must be positive.", nameof(weights));
        }

        Decay = -_w[20];
        Factor = Math.Pow(0.9, 1 / Decay) - 1;
    }

    /// <summary>The weights w0 … w20.</summary>
    public ImmutableArray<double> Weights => _w;

    /// <summary>The exponent of the forgetting curve, −w20.</summary>
    public double Decay { get; }

    /// <summary>0.9^(1/<see cref="Decay"/>) − 1: scales the curve so that recall is 90 % when the elapsed time equals the stability.</summary>
    public double Factor { get; }

    /// <summary>The memory after a question's first review.</summary>
    public MemoryState Initial(Rating rating) => new(InitialStability(rating), ClampDifficulty(InitialDifficulty(rating)));

    /// <summary>S0(G) = w[G−1]: the stability after the first review.</summary>
    public double InitialStability(Rating rating) => Math.Max(_w[Grade(rating) - 1], MinimumStability);

    /// <summary>D0(G) = w4 − e^(w5·(G−1)) + 1, not clamped (the mean reversion targets the unclamped D0(Easy)).</summary>
    public double InitialDifficulty(Rating rating) => _w[4] - Math.Exp(_w[5] * (Grade(rating) - 1)) + 1;

    /// <summary>
    /// The difficulty after a review: a step of −w6·(G−3), damped linearly as the difficulty nears 10,
    /// then pulled back towards D0(Easy) by the weight w7.
    /// </summary>
    public double NextDifficulty(double difficulty, Rating rating)
    {
        var step = -_w[6] * (Grade(rating) - 3);
        var damped = difficulty + ((10 - difficulty) * step / 9);
        var reverted = (_w[7] * InitialDifficulty(Rating.Easy)) + ((1 - _w[7]) * damped);
        return ClampDifficulty(reverted);
    }

    /// <summary>R(t, S) = (1 + Factor·t/S)^Decay: the chance of recall <paramref name="elapsedDays"/> after the last review.</summary>
    public double Retrievability(double elapsedDays, double stability) =>
        Math.Pow(1 + (Factor * Math.Max(elapsedDays, 0) / stability), Decay);

    /// <summary>
    /// The stability after a successful review (Hard, Good, Easy) on a later day, at retrievability
    /// <paramref name="retrievability"/>: S·(1 + e^w8·(11 − D)·S^−w9·(e^(w10·(1−R)) − 1)·penalty·bonus),
    /// with w15 for Hard and w16 for Easy.
    /// </summary>
    public double RecallStability(double difficulty, double stability, double retrievability, Rating rating)
    {
        var hardPenalty = rating == Rating.Hard ? _w[15] : 1;
        var easyBonus = rating == Rating.Easy ? _w[16] : 1;
        var growth = Math.Exp(_w[8]) * (11 - difficulty) * Math.Pow(stability, -_w[9]) * (Math.Exp((1 - retrievability) * _w[10]) - 1);
        return ClampStability(stability * (1 + (growth * hardPenalty * easyBonus)));
    }

    /// <summary>
    /// The stability after a lapse (Again) on a later day: w11·D^−w12·((S+1)^w13 − 1)·e^(w14·(1−R)),
    /// never more than S / e^(w17·w18), so forgetting never makes a memory stronger.
    /// </summary>
    public double ForgetStability(double difficulty, double stability, double retrievability)
    {
        var longTerm = _w[11] * Math.Pow(difficulty, -_w[12]) * (Math.Pow(stability + 1, _w[13]) - 1) * Math.Exp((1 - retrievability) * _w[14]);
        var cap = stability / Math.Exp(_w[17] * _w[18]);
        return ClampStability(Math.Min(longTerm, cap));
    }

    /// <summary>
    /// The stability after a review on the same day as the last one: S·e^(w17·(G − 3 + w18))·S^−w19.
    /// The multiplier is at least 1 for Hard, Good and Easy: a right answer never weakens the memory.
    /// </summary>
    public double SameDayStability(double stability, Rating rating)
    {
        var multiplier = Math.Exp(_w[17] * (Grade(rating) - 3 + _w[18])) * Math.Pow(stability, -_w[19]);
        if (rating != Rating.Again)
        {
            multiplier = Math.Max(multiplier, 1);
        }

        return ClampStability(stability * multiplier);
    }

    /// <summary>
    /// The memory after a review of a question already seen: <paramref name="elapsedDays"/> whole days
    /// after the last review, 0 meaning the same day.
    /// </summary>
    public MemoryState Next(MemoryState memory, int elapsedDays, Rating rating)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elapsedDays);
        double stability;
        if (elapsedDays == 0)
        {
            stability = SameDayStability(memory.Stability, rating);
        }
        else
        {
            var retrievability = Retrievability(elapsedDays, memory.Stability);
            stability = rating == Rating.Again
                ? ForgetStability(memory.Difficulty, memory.Stability, retrievability)
                : RecallStability(memory.Difficulty, memory.Stability, retrievability, rating);
        }

        return new MemoryState(stability, NextDifficulty(memory.Difficulty, rating));
    }

    /// <summary>
    /// The memory after a history of reviews, each with the whole days since the one before (the first
    /// one's days are ignored). Null for no reviews. Lets a student's memory be rebuilt from their
    /// answers when the weights change.
    /// </summary>
    public MemoryState? Replay(IEnumerable<(int ElapsedDays, Rating Rating)> reviews)
    {
        MemoryState? memory = null;
        foreach (var (elapsedDays, rating) in reviews)
        {
            memory = memory is null ? Initial(rating) : Next(memory, elapsedDays, rating);
        }

        return memory;
    }

    /// <summary>
    /// The interval in days, not rounded, after which recall falls to <paramref name="desiredRetention"/>:
    /// S / Factor · (r^(1/Decay) − 1).
    /// </summary>
    public double IntervalDays(double stability, double desiredRetention)
    {
        if (desiredRetention is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(desiredRetention), desiredRetention, "A desired retention is above 0 and at most 1.");
        }

        return stability / Factor * (Math.Pow(desiredRetention, 1 / Decay) - 1);
    }

    /// <summary>
    /// The next review's interval in whole days: <see cref="IntervalDays"/> rounded to the nearest day,
    /// at least 1 and at most <paramref name="maximumDays"/>.
    /// </summary>
    public int NextIntervalDays(double stability, double desiredRetention, int maximumDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumDays, 1);
        var days = Math.Round(IntervalDays(stability, desiredRetention), MidpointRounding.AwayFromZero);
        return (int)Math.Clamp(days, 1, maximumDays);
    }

    private static int Grade(Rating rating) => rating switch
    {
        Rating.Again or Rating.Hard or Rating.Good or Rating.Easy => (int)rating,
        _ => throw new ArgumentOutOfRangeException(nameof(rating), rating, "A rating is Again, Hard, Good or Easy."),
    };

    private static double ClampStability(double stability) => Math.Max(stability, MinimumStability);

    private static double ClampDifficulty(double difficulty) => Math.Clamp(difficulty, MinimumDifficulty, MaximumDifficulty);
}
