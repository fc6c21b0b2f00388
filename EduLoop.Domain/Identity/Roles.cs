namespace EduLoop.Domain.Identity;

/// <summary>The three roles. Teachers and admins are "staff": they may write the bank.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Teacher = "Teacher";
    public const string Student = "Student";

    /// <summary>For <c>[Authorize(Roles = Roles.Staff)]</c>.</summary>
    public const string Staff = Admin + "," + Teacher;

    public static IReadOnlyList<string> All { get; } = [Admin, Teacher, Student];
}
