namespace EduLoop.Domain.Learning;

/// <summary>Where a question stands in a student's spaced repetition.</summary>
public enum LearningPhase
{
    /// <summary>New or not yet learnt: comes back after the short learning steps (minutes).</summary>
    Learning,

    /// <summary>Learnt: comes back after whole days, when recall is expected to have fallen to the desired retention.</summary>
    Review,

    /// <summary>Forgotten after it was learnt: comes back after the short relearning steps, then returns to <see cref="Review"/>.</summary>
    Relearning,
}

/// <summary>
/// One student's schedule for one question, as the <see cref="ReviewScheduler"/> leaves it after each
/// review. Times are UTC. <see cref="Step"/> is the index of the current learning or relearning step
/// (null in <see cref="LearningPhase.Review"/>); <see cref="Memory"/> is null until the first review.
/// </summary>
public sealed record ReviewSchedule(LearningPhase Phase, int? Step, MemoryState? Memory, DateTime? LastReview, DateTime Due)
{
    /// <summary>A question never reviewed, due at <paramref name="due"/>.</summary>
    public static ReviewSchedule New(DateTime due) => new(LearningPhase.Learning, 0, null, null, due);
}
