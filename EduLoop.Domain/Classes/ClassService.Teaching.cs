using EduLoop.Domain.Data;
using EduLoop.Domain.Identity;

using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Classes;

/// <summary>A teacher of a class, as its page lists them.</summary>
public sealed record ClassTeacherSummary(string UserId, string Name, string Email);

/// <summary>What adding a person to a class by email came to; only <see cref="Added"/> changed anything.</summary>
public enum AddToClassOutcome
{
    Added,

    /// <summary>No account with that email has the role the class needs (student, or teacher).</summary>
    NoSuchAccount,

    AlreadyInClass,
}

// What a class's teachers may do: the guard is here, not in the pages, so a teacher who calls with
// another class's id is refused however the call was made.
public sealed partial class ClassService
{
    /// <summary>The classes an admin sees (all) or a teacher teaches, by name.</summary>
    public async Task<IReadOnlyList<ClassSummary>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.SchoolClasses.AsNoTracking()
            .Where(c => actor.IsAdmin || c.Teachers.Any(t => t.TeacherId == actor.UserId))
            .OrderBy(c => c.Name)
            .Select(c => new ClassSummary(
                c.Id, c.Name, c.Description, c.Members.Count, c.AccessKeys.Count(k => k.IsActive), c.CreatedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Creates a class with one active access key; a teacher who creates it teaches it.</summary>
    public Task<ClassSummary> CreateAsync(string name, string? description, Actor actor, CancellationToken cancellationToken = default) =>
        CreateClassAsync(name, description, actor.IsAdmin ? null : actor.UserId, cancellationToken);

    /// <summary>The class's students, for its teachers and admins.</summary>
    public async Task<IReadOnlyList<ClassMember>> MembersAsync(int classId, Actor actor, CancellationToken cancellationToken = default)
    {
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            await EnsureMayManageAsync(db, classId, actor, cancellationToken);
        }

        return await MembersAsync(classId, cancellationToken);
    }

    /// <summary>The keys that let students join the class now, newest first.</summary>
    public async Task<IReadOnlyList<AccessKeySummary>> ActiveKeysAsync(int classId, Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await EnsureMayManageAsync(db, classId, actor, cancellationToken);
        return await db.AccessKeys.AsNoTracking()
            .Where(k => k.SchoolClassId == classId && k.IsActive)
            .OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id)
            .Select(k => new AccessKeySummary(k.Id, k.Key, k.Description, k.IsActive, k.CreatedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Gives the class a new key and deactivates every key it had, in one save: a key that went
    /// round beyond the class stops letting anyone join. Students already in the class stay.
    /// </summary>
    public async Task<AccessKeySummary> RenewKeyAsync(int classId, Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await EnsureMayManageAsync(db, classId, actor, cancellationToken);
        foreach (var old in await db.AccessKeys.Where(k => k.SchoolClassId == classId && k.IsActive).ToListAsync(cancellationToken))
        {
            old.IsActive = false;
        }

        var key = new AccessKey { Key = await UnusedKeyAsync(db, cancellationToken), SchoolClassId = classId, Description = "", CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.AccessKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return new AccessKeySummary(key.Id, key.Key, key.Description, key.IsActive, key.CreatedAt);
    }

    /// <summary>Adds the student with this email to the class; anyone else (a teacher, no account) is not added.</summary>
    public async Task<AddToClassOutcome> AddStudentAsync(int classId, string? email, Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await EnsureMayManageAsync(db, classId, actor, cancellationToken);
        if (await UserInRoleAsync(db, email, Roles.Student, cancellationToken) is not { } studentId)
        {
            return AddToClassOutcome.NoSuchAccount;
        }

        if (await db.ClassMemberships.AnyAsync(m => m.SchoolClassId == classId && m.UserId == studentId, cancellationToken))
        {
            return AddToClassOutcome.AlreadyInClass;
        }

        db.ClassMemberships.Add(new ClassMembership { SchoolClassId = classId, UserId = studentId, JoinedAt = clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(cancellationToken);
        return AddToClassOutcome.Added;
    }

    /// <summary>Takes a student out of the class; their attempts stay with the quizzes.</summary>
    public async Task RemoveStudentAsync(int classId, string studentId, Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await EnsureMayManageAsync(db, classId, actor, cancellationToken);
        if (await db.ClassMemberships.Where(m => m.SchoolClassId == classId && m.UserId == studentId).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            throw new NotFoundException("This student is not in the class.");
        }
    }

    /// <summary>The class's teachers by name.</summary>
    public async Task<IReadOnlyList<ClassTeacherSummary>> TeachersAsync(int classId, Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await EnsureMayManageAsync(db, classId, actor, cancellationToken);
        return await (from t in db.ClassTeachers.AsNoTracking()
                      join u in db.Users on t.TeacherId equals u.Id
                      where t.SchoolClassId == classId
                      orderby u.DisplayName, u.Email
                      select new ClassTeacherSummary(u.Id, u.DisplayName != "" ? u.DisplayName : u.Email ?? "", u.Email ?? ""))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Makes the teacher with this email a teacher of the class; admins only.</summary>
    public async Task<AddToClassOutcome> AddTeacherAsync(int classId, string? email, Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await EnsureAdminAsync(db, classId, actor, cancellationToken);
        if (await UserInRoleAsync(db, email, Roles.Teacher, cancellationToken) is not { } teacherId)
        {
            return AddToClassOutcome.NoSuchAccount;
        }

        if (await db.ClassTeachers.AnyAsync(t => t.SchoolClassId == classId && t.TeacherId == teacherId, cancellationToken))
        {
            return AddToClassOutcome.AlreadyInClass;
        }

        db.ClassTeachers.Add(new ClassTeacher { SchoolClassId = classId, TeacherId = teacherId });
        await db.SaveChangesAsync(cancellationToken);
        return AddToClassOutcome.Added;
    }

    /// <summary>Ends a teacher's charge of the class; admins only.</summary>
    public async Task RemoveTeacherAsync(int classId, string teacherId, Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await EnsureAdminAsync(db, classId, actor, cancellationToken);
        if (await db.ClassTeachers.Where(t => t.SchoolClassId == classId && t.TeacherId == teacherId).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            throw new NotFoundException("This teacher does not teach the class.");
        }
    }

    internal static async Task EnsureMayManageAsync(EduLoopDbContext db, int classId, Actor actor, CancellationToken cancellationToken)
    {
        var schoolClass = await db.SchoolClasses.AsNoTracking().Where(c => c.Id == classId)
            .Select(c => new { Teaches = c.Teachers.Any(t => t.TeacherId == actor.UserId) })
            .FirstOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("That class does not exist.");
        if (!actor.IsAdmin && !schoolClass.Teaches)
        {
            throw new ForbiddenException("Only the class's teachers and admins may see or change it.");
        }
    }

    private static async Task EnsureAdminAsync(EduLoopDbContext db, int classId, Actor actor, CancellationToken cancellationToken)
    {
        if (!await db.SchoolClasses.AnyAsync(c => c.Id == classId, cancellationToken))
        {
            throw new NotFoundException("That class does not exist.");
        }

        if (!actor.IsAdmin)
        {
            throw new ForbiddenException("Only admins choose a class's teachers.");
        }
    }

    /// <summary>The id of the account with this email and role, or null.</summary>
    private static async Task<string?> UserInRoleAsync(EduLoopDbContext db, string? email, string role, CancellationToken cancellationToken)
    {
        var normalized = (email ?? "").Trim().ToUpperInvariant();
        if (normalized.Length == 0)
        {
            return null;
        }

        return await (from u in db.Users
                      join ur in db.UserRoles on u.Id equals ur.UserId
                      join r in db.Roles on ur.RoleId equals r.Id
                      where u.NormalizedEmail == normalized && r.Name == role
                      select u.Id).FirstOrDefaultAsync(cancellationToken);
    }
}
