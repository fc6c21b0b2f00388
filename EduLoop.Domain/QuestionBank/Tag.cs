namespace EduLoop.Domain.QuestionBank;

public sealed class Tag
{
    public int Id { get; set; }
    public required string Name { get; set; }
}

public sealed class QuestionTag
{
    public int QuestionId { get; set; }
    public int TagId { get; set; }
    public Tag? Tag { get; set; }
}
