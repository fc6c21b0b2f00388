namespace EduLoop.Domain.QuestionBank;

/// <summary>A subject inside a group, for example "Algebra". Unique by (group, name).</summary>
public sealed class Subject
{
    public int Id { get; set; }
    public int GroupId { get; set; }
    public Group? Group { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public DateTime CreatedAt { get; set; }

    public List<Category> Categories { get; } = [];
}
