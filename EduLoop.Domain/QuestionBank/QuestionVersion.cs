namespace EduLoop.Domain.QuestionBank;

/// <summary>
/// A frozen copy of a question as an attempt showed it. Grading and review read the version, so an
/// edit to the question never changes what a student already answered. The bank is shared by the
/// school's teachers, so each version keeps when it was saved and by whom.
/// </summary>
public sealed class QuestionVersion
{
    public int Id { get; set; }
    public int QuestionId { get; set; }
    public Question? Question { get; set; }
    public int Number { get; set; }
    public QuestionType Type { get; set; }
    public required string Stem { get; set; }
    public QuestionBody Body { get; set; } = new();
    public DateTime CreatedAt { get; set; }
    /// <summary>Who saved this version (not who replaced it).</summary>
    public string? CreatedById { get; set; }
}
