namespace EduLoop.Domain.Practice;

/// <summary>What kind of caller practises or checks an answer.</summary>
public enum LearnerKind
{
    /// <summary>A teacher or admin: may see every key, so nothing is held back.</summary>
    Staff,

    /// <summary>A signed-in student: their classes' open quizzes hold questions back.</summary>
    Student,

    /// <summary>An outside client with a class's access key: that class's open quizzes hold questions back.</summary>
    AccessKey,
}

/// <summary>
/// Who practises: a practice session belongs to its learner (<see cref="Owner"/>), and what a quiz
/// still open for the learner's classes can show is never practised or checked by them.
/// </summary>
public sealed record Learner(LearnerKind Kind, string Id)
{
    public static Learner Staff(string userId) => new(LearnerKind.Staff, userId);

    public static Learner Student(string userId) => new(LearnerKind.Student, userId);

    public static Learner WithAccessKey(string key) => new(LearnerKind.AccessKey, key);

    /// <summary>The owner written on the learner's practice sessions.</summary>
    public string Owner => Kind == LearnerKind.AccessKey ? $"key:{Id}" : $"user:{Id}";
}

/// <summary>The learner has a quiz attempt in progress: no practice and no answer checks until it is submitted.</summary>
public sealed class AttemptInProgressException(int attemptId)
    : Exception("You have a quiz attempt in progress. Practice and answer checks open again when it is submitted.")
{
    public int AttemptId { get; } = attemptId;
}

/// <summary>The question belongs to a quiz that is still open or upcoming for one of the learner's classes.</summary>
public sealed class QuestionHeldException()
    : Exception("This question is part of a quiz that is still open for your class; it returns to practice when the quiz closes.");
