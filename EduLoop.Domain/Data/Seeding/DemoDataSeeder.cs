using EduLoop.Domain.Classes;
using EduLoop.Domain.Identity;

using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Data.Seeding;

public sealed record DemoSchool(IReadOnlyList<CreatedAccount> Accounts, string ClassName, string AccessKey, int Questions);

/// <summary>Loads the demo school into an empty database: the bank, a teacher, a student and a class.</summary>
public sealed class DemoDataSeeder(
    IDbContextFactory<EduLoopDbContext> contextFactory,
    BankWriter bankWriter,
    AccountSetup accounts,
    ClassService classes)
{
    public const int QuestionCount = 2000;
    public const string TeacherEmail = "teacher@eduloop.local";
    public const string StudentEmail = "student@eduloop.local";
    public const string ClassName = "Year 9 — Class A";

    /// <summary>Seeds once: returns null when the bank already has content.</summary>
    public async Task<DemoSchool?> SeedAsync(DemoAccountOptions options, CancellationToken cancellationToken = default)
    {
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Groups.AnyAsync(cancellationToken))
            {
                return null;
            }
        }

        var created = new List<CreatedAccount>();
        var teacher = await accounts.CreateAsync(Roles.Teacher, TeacherEmail, "Demo Teacher", options.TeacherPassword);
        var student = await accounts.CreateAsync(Roles.Student, StudentEmail, "Demo Student", options.StudentPassword);
        created.AddRange(new[] { teacher, student }.OfType<CreatedAccount>());

        string? teacherId;
        string? studentId;
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            teacherId = await db.Users.Where(u => u.Email == TeacherEmail).Select(u => u.Id).FirstOrDefaultAsync(cancellationToken);
            studentId = await db.Users.Where(u => u.Email == StudentEmail).Select(u => u.Id).FirstOrDefaultAsync(cancellationToken);
        }

        await bankWriter.WriteAsync(DemoBank.Taxonomy(), DemoBank.Questions(QuestionCount), teacherId, cancellationToken: cancellationToken);

        var schoolClass = await classes.CreateAsync(ClassName, "The demo class: join it with its access key.", cancellationToken);
        var key = (await classes.ListKeysAsync(schoolClass.Id, cancellationToken))[0].Key;
        if (studentId is not null)
        {
            await classes.JoinAsync(studentId, key, cancellationToken);
        }

        return new DemoSchool(created, schoolClass.Name, key, QuestionCount);
    }
}
