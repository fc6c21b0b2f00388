namespace EduLoop.Domain;

/// <summary>Column sizes shared by the EF configurations and the validators.</summary>
public static class Limits
{
    public const int NameLength = 200;
    public const int DescriptionLength = 2000;
    public const int TitleLength = 300;
    public const int TagLength = 100;
    public const int CommentLength = 4000;
}
