using System.Collections.Immutable;

namespace EduLoop.Domain.Learning;

/// <summary>
/// Decides when a student sees a question again: the FSRS-6 <see cref="MemoryModel"/> for the memory,
/// learning and relearning steps (minutes) before a question is learnt, and day intervals after which
/// recall is expected to have fallen to the desired retention. Pure: the time of each review is given,
/// nothing here reads a clock, and schedules are immutable.
/// </summary>
/// <remarks>
/// Follows py-fsrs's scheduler with fuzz off: whole days between reviews are counted as elapsed time
/// rounded down, so a review less than 24 hours after the last one is a same-day review.
/// </remarks>
public sealed class ReviewScheduler
{
    /// <summary>The longest interval in days, as in the reference implementations (100 years).</summary>
    public const int DefaultMaximumIntervalDays = 36_500;

    /// <summary>The default model, 90 % desired retention, learning steps of 1 and 10 minutes and a relearning step of 10 minutes.</summary>
    public static ReviewScheduler Default { get; } = new(
        MemoryModel.Default, 0.9, [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10)], [TimeSpan.FromMinutes(10)]);

    public ReviewScheduler(
        MemoryModel model, double desiredRetention, IEnumerable<TimeSpan> learningSteps, IEnumerable<TimeSpan> relearningSteps,
        int maximumIntervalDays = DefaultMaximumIntervalDays)
    {
        if (desiredRetention is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(desiredRetention), desiredRetention, "A desired retention is above 0 and at most 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maximumIntervalDays, 1);
        Model = model;
        DesiredRetention = desiredRetention;
        LearningSteps = [.. learningSteps];
        RelearningSteps = [.. relearningSteps];
        MaximumIntervalDays = maximumIntervalDays;
        if (LearningSteps.Concat(RelearningSteps).Any(s => s <= TimeSpan.Zero))
        {
            throw new ArgumentException("Learning and relearning steps are positive times.");
        }
    }

    public MemoryModel Model { get; }

    /// <summary>The chance of recall that the next review's interval aims at.</summary>
    public double DesiredRetention { get; }

    public ImmutableArray<TimeSpan> LearningSteps { get; }

    public ImmutableArray<TimeSpan> RelearningSteps { get; }

    public int MaximumIntervalDays { get; }

    /// <summary>The schedule after the student reviewed the question at <paramref name="reviewedAt"/> (UTC) with <paramref name="rating"/>.</summary>
    public ReviewSchedule Review(ReviewSchedule schedule, Rating rating, DateTime reviewedAt)
    {
        EnsureUtc(reviewedAt, nameof(reviewedAt));
        var memory = schedule.Memory is null
            ? Model.Initial(rating)
            : Model.Next(schedule.Memory, ElapsedDays(schedule.LastReview, reviewedAt), rating);

        var (phase, step, interval) = schedule.Phase switch
        {
            LearningPhase.Review => AfterReview(memory, rating),
            LearningPhase.Learning => AfterStep(LearningSteps, LearningPhase.Learning, schedule.Step ?? 0, memory, rating),
            _ => AfterStep(RelearningSteps, LearningPhase.Relearning, schedule.Step ?? 0, memory, rating),
        };
        return new ReviewSchedule(phase, step, memory, reviewedAt, reviewedAt + interval);
    }

    /// <summary>The chance that the student recalls the question at <paramref name="at"/> (UTC); 0 before its first review.</summary>
    public double Retrievability(ReviewSchedule schedule, DateTime at)
    {
        EnsureUtc(at, nameof(at));
        return schedule.Memory is null || schedule.LastReview is null
            ? 0
            : Model.Retrievability(ElapsedDays(schedule.LastReview, at), schedule.Memory.Stability);
    }

    /// <summary>The next interval of a learnt question, in whole days.</summary>
    public int IntervalDays(MemoryState memory) => Model.NextIntervalDays(memory.Stability, DesiredRetention, MaximumIntervalDays);

    private (LearningPhase Phase, int? Step, TimeSpan Interval) AfterReview(MemoryState memory, Rating rating) =>
        rating == Rating.Again && RelearningSteps.Length > 0
            ? (LearningPhase.Relearning, 0, RelearningSteps[0])
            : Learnt(memory);

    /// <summary>A learning or relearning step, as py-fsrs takes them (also when the steps changed since the last review).</summary>
    private (LearningPhase Phase, int? Step, TimeSpan Interval) AfterStep(
        ImmutableArray<TimeSpan> steps, LearningPhase phase, int step, MemoryState memory, Rating rating)
    {
        if (steps.Length == 0 || (step >= steps.Length && rating != Rating.Again))
        {
            return Learnt(memory);
        }

        return rating switch
        {
            Rating.Again => (phase, 0, steps[0]),
            // Hard stays on its step; on the first step it waits half-way to the second (or 1.5 times a single step).
            Rating.Hard when step == 0 => (phase, 0, steps.Length == 1 ? steps[0] * 1.5 : (steps[0] + steps[1]) / 2),
            Rating.Hard => (phase, step, steps[step]),
            Rating.Good when step + 1 < steps.Length => (phase, step + 1, steps[step + 1]),
            _ => Learnt(memory),
        };
    }

    private (LearningPhase Phase, int? Step, TimeSpan Interval) Learnt(MemoryState memory) =>
        (LearningPhase.Review, null, TimeSpan.FromDays(IntervalDays(memory)));

    /// <summary>Whole days since the last review, rounded down; a clock that went back counts as the same day.</summary>
    private static int ElapsedDays(DateTime? lastReview, DateTime at) =>
        lastReview is { } last && at > last ? (int)((at - last).Ticks / TimeSpan.TicksPerDay) : 0;

    private static void EnsureUtc(DateTime time, string name)
    {
        if (time.Kind == DateTimeKind.Local)
        {
            throw new ArgumentException("Review times are UTC.", name);
        }
    }
}
