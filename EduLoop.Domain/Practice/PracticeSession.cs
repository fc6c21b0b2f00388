namespace EduLoop.Domain.Practice;

/// <summary>What a practice session draws.</summary>
public enum PracticeMode
{
    /// <summary>Random questions of a filter (the original service's session).</summary>
    Filter,

    /// <summary>A student's due questions first, most overdue first, then questions new to them from their classes' subjects.</summary>
    Due,
}

/// <summary>
/// The original service's practice session: a filter over the bank and the questions already shown,
/// so that no question repeats. Kept in the database, so it survives a restart; it expires when unused.
/// </summary>
public sealed class PracticeSession
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>A learner's live sessions at most; starting another ends the oldest.</summary>
    public const int MaxLivePerLearner = 5;

    /// <summary>Categories or subcategories one session may name at most.</summary>
    public const int MaxFilterIds = 100;

    public required string Id { get; set; }

    /// <summary>The learner the session belongs to (<see cref="Learner.Owner"/>): no one else may use it.</summary>
    public string Owner { get; set; } = "";

    public PracticeMode Mode { get; set; }

    /// <summary>In <see cref="PracticeMode.Due"/>: the subjects new questions come from.</summary>
    public List<int> SubjectIds { get; set; } = [];

    /// <summary>The question on screen: the one the next answer is for.</summary>
    public int? CurrentQuestionId { get; set; }

    /// <summary>When <see cref="CurrentQuestionId"/> was shown, to time the answer.</summary>
    public DateTime? ShownAt { get; set; }

    public int GroupId { get; set; }
    public int SubjectId { get; set; }
    public List<int> CategoryIds { get; set; } = [];
    public List<int> SubCategoryIds { get; set; } = [];
    public List<int> Levels { get; set; } = [];

    /// <summary>The drawn batch still to show, in order.</summary>
    public List<int> Queue { get; set; } = [];

    /// <summary>Every question drawn so far (shown or queued).</summary>
    public List<int> Drawn { get; set; } = [];

    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}
