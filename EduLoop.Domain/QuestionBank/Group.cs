namespace EduLoop.Domain.QuestionBank;

/// <summary>The top of the bank's hierarchy, for example "Mathematics". Names are unique.</summary>
public sealed class Group
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public DateTime CreatedAt { get; set; }

    public List<Subject> Subjects { get; } = [];
}
