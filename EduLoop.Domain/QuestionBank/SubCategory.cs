namespace EduLoop.Domain.QuestionBank;

/// <summary>
/// The lowest node of the hierarchy. Unique by (category, name); subject and group are stored
/// denormalized for filters.
/// </summary>
public sealed class SubCategory
{
    public int Id { get; set; }
    public int CategoryId { get; set; }
    public Category? Category { get; set; }
    public int SubjectId { get; set; }
    public int GroupId { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }
}
