namespace EduLoop.Domain.QuestionBank;

/// <summary>
/// A category inside a subject. Unique by (subject, name). The group is stored as well so that the
/// original service's <c>group__id</c> filter needs no join.
/// </summary>
public sealed class Category
{
    public int Id { get; set; }
    public int SubjectId { get; set; }
    public Subject? Subject { get; set; }
    public int GroupId { get; set; }
    public Group? Group { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }

    public List<SubCategory> SubCategories { get; } = [];
}
