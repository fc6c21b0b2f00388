namespace EduLoop.Domain.Learning;

/// <summary>
/// A student's stored schedule for one question (<see cref="ReviewSchedule"/> as a row): what the
/// last graded answer left of their memory of it, and when it is due again. One row per student and
/// question; written by every graded practice or quiz answer (<see cref="ReviewRecorder"/>).
/// </summary>
public sealed class ReviewState
{
    public required string StudentId { get; set; }
    public int QuestionId { get; set; }
    public LearningPhase Phase { get; set; }

    /// <summary>The learning or relearning step; null in <see cref="LearningPhase.Review"/>.</summary>
    public int? Step { get; set; }

    /// <summary>Days until recall falls to 90 %.</summary>
    public double Stability { get; set; }

    /// <summary>1 (easy) to 10 (hard).</summary>
    public double Difficulty { get; set; }

    public DateTime LastReview { get; set; }
    public DateTime Due { get; set; }

    /// <summary>Graded answers so far.</summary>
    public int Reviews { get; set; }

    /// <summary>Times it was forgotten (Again) after it was learnt.</summary>
    public int Lapses { get; set; }

    public ReviewSchedule ToSchedule() => new(Phase, Step, new MemoryState(Stability, Difficulty), LastReview, Due);
}

/// <summary>Where a graded answer was given.</summary>
public enum ReviewSource
{
    Practice,
    Quiz,

    /// <summary>An answer in a live game, timed by the game's clock.</summary>
    Live,
}

/// <summary>
/// One graded answer of a student, kept as history: the practice answer itself (its response, so a
/// resumed session shows it), or a pointer to the quiz attempt that holds it. Reviews per day, the
/// streak and the typical answer time are read from here.
/// </summary>
public sealed class ReviewLog
{
    public long Id { get; set; }
    public required string StudentId { get; set; }
    public int QuestionId { get; set; }
    public QuestionBank.QuestionType Type { get; set; }
    public DateTime ReviewedAt { get; set; }
    public Rating Rating { get; set; }
    public ReviewSource Source { get; set; }

    /// <summary>The practice session it was given in.</summary>
    public string? SessionId { get; set; }

    /// <summary>The quiz attempt it was given in.</summary>
    public int? AttemptId { get; set; }

    /// <summary>A practice answer as JSON, in the shape <see cref="QuestionBank.AnswerChecker"/> reads.</summary>
    public string? Response { get; set; }

    /// <summary>The share of the marks it earned, 0 to 1.</summary>
    public double Score { get; set; }

    public bool Correct { get; set; }

    /// <summary>Milliseconds from showing the question to the answer; null when not known.</summary>
    public int? TimeTakenMs { get; set; }
}
