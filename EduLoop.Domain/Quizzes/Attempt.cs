using EduLoop.Domain.QuestionBank;

namespace EduLoop.Domain.Quizzes;

/// <summary>InProgress → Submitted (an essay waits for a teacher) → Graded; an attempt with nothing to grade by hand goes straight to Graded.</summary>
public enum AttemptState
{
    InProgress,
    Submitted,
    Graded,
}

/// <summary>
/// A student's attempt at a quiz. Its questions are frozen copies taken when it started (text, answers
/// and choice order), so an edit in the bank never changes what the student saw or how it is graded.
/// </summary>
public sealed class Attempt
{
    public int Id { get; set; }
    public int QuizId { get; set; }

    /// <summary>The student taking it; for a preview, the teacher.</summary>
    public required string StudentId { get; set; }

    /// <summary>1, 2, … for a student's attempts; 0 for a preview, so a teacher has at most one preview of a quiz.</summary>
    public int Number { get; set; }

    /// <summary>
    /// A teacher's preview: taken exactly as a student's attempt (paging, timer, submit, review by the
    /// quiz's policy) but never counted as one: not in results, statistics, attempt limits or grading.
    /// </summary>
    public bool IsPreview { get; set; }

    public AttemptState State { get; set; }
    public DateTime StartedAt { get; set; }

    /// <summary>The server's deadline: answers after it are refused, and the attempt is submitted with what was saved.</summary>
    public DateTime? Deadline { get; set; }

    public DateTime? SubmittedAt { get; set; }
    public decimal? Score { get; set; }
    public decimal MaxScore { get; set; }

    /// <summary>An essay waits for a teacher's grade.</summary>
    public bool NeedsGrading { get; set; }

    public List<AttemptQuestion> Questions { get; } = [];

    /// <summary>
    /// Whether the clock ended the attempt rather than the student: submitted at its deadline or later
    /// (by the server's sweep of overdue attempts, or by the page when its countdown reached zero).
    /// The page's countdown starts after the server read the time, so it never ends before the
    /// deadline by more than its half-second tick; a second's grace covers that.
    /// </summary>
    public static bool EndedByClock(DateTime? deadline, DateTime? submittedAt) =>
        deadline is { } due && submittedAt is { } submitted && submitted >= due - ClockGrace;

    private static readonly TimeSpan ClockGrace = TimeSpan.FromSeconds(1);
}

/// <summary>One question of an attempt, frozen, with the student's latest saved answer.</summary>
public sealed class AttemptQuestion
{
    public int Id { get; set; }
    public int AttemptId { get; set; }
    public int Position { get; set; }
    public int QuestionId { get; set; }
    public QuestionType Type { get; set; }
    public required string Stem { get; set; }
    public QuestionBody Body { get; set; } = new();

    /// <summary>The order the choices are shown in, as indexes into the frozen body's choices.</summary>
    public List<int> ChoiceOrder { get; set; } = [];

    public decimal Points { get; set; }

    /// <summary>The answer as JSON, in the shape <see cref="AnswerChecker"/> reads; null until one is saved.</summary>
    public string? Response { get; set; }

    /// <summary>The client's number of the saved answer: an older number cannot overwrite a newer answer.</summary>
    public long Sequence { get; set; }

    public DateTime? SavedAt { get; set; }

    /// <summary>The student flagged the question to come back to it; only the student sees the flag, while taking the attempt.</summary>
    public bool Flagged { get; set; }

    /// <summary>The points earned; null while an essay waits for its grade.</summary>
    public decimal? Score { get; set; }

    /// <summary>The teacher's comment on a hand-graded answer.</summary>
    public string? Comment { get; set; }

    public string? GradedById { get; set; }
    public DateTime? GradedAt { get; set; }

    /// <summary>What the student chooses from: the choices in the order this attempt shows them, or true and false.</summary>
    public IReadOnlyList<string> Options() => Type switch
    {
        QuestionType.Mcq or QuestionType.McqMulti => ChoiceOrder.Where(i => i < Body.Choices.Count).Select(i => Body.Choices[i].Text).ToList(),
        QuestionType.TrueFalse => ["True", "False"],
        _ => [],
    };
}
