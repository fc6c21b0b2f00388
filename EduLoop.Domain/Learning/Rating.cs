namespace EduLoop.Domain.Learning;

/// <summary>
/// How well a student recalled a question at a review, on FSRS's four-point scale. The numbers are
/// FSRS's own (1 to 4): its formulas compute with them.
/// </summary>
public enum Rating
{
    /// <summary>Forgotten: the answer was wrong.</summary>
    Again = 1,

    /// <summary>Recalled with effort: right but slow, or only partly right.</summary>
    Hard = 2,

    /// <summary>Recalled.</summary>
    Good = 3,

    /// <summary>Recalled at once: right and fast.</summary>
    Easy = 4,
}
