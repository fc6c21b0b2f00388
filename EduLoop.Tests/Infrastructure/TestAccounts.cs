using EduLoop.Domain.Data.Seeding;

namespace EduLoop.Tests.Infrastructure;

/// <summary>The accounts the test app starts with, their passwords set through configuration.</summary>
public static class TestAccounts
{
    public const string AdminEmail = "admin@school.test";
    public const string AdminPassword = "admin passphrase for tests";
    public const string TeacherEmail = DemoDataSeeder.TeacherEmail;
    public const string TeacherPassword = "teacher passphrase for tests";
    public const string StudentEmail = DemoDataSeeder.StudentEmail;
    public const string StudentPassword = "student passphrase for tests";
}
