using EduLoop.Domain.Data;
using EduLoop.Domain.Querying;

using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Classes;

public sealed record ClassSummary(int Id, string Name, string Description, int StudentCount, int ActiveKeyCount, DateTime CreatedAt);

public sealed record AccessKeySummary(int Id, string Key, string? Description, bool IsActive, DateTime CreatedAt);

public sealed record StudentClass(int Id, string Name, string Description, int StudentCount, DateTime JoinedAt);

/// <summary>A student in a class, as the teacher's class list shows them.</summary>
public sealed record ClassMember(string UserId, string Name, string Email, DateTime JoinedAt);

/// <summary>Classes, their access keys and their members.</summary>
public sealed partial class ClassService(
    IDbContextFactory<EduLoopDbContext> contextFactory,
    AccessKeyGenerator keyGenerator,
    TimeProvider clock)
{
    private const int MaxKeyAttempts = 10;

    public async Task<IReadOnlyList<ClassSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.SchoolClasses.AsNoTracking()
            .OrderBy(c => c.Name)
            .Select(c => new ClassSummary(
                c.Id, c.Name, c.Description, c.Members.Count, c.AccessKeys.Count(k => k.IsActive), c.CreatedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The students of a class by name, for its teachers.</summary>
    public async Task<IReadOnlyList<ClassMember>> MembersAsync(int classId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await (from m in db.ClassMemberships.AsNoTracking()
                      join u in db.Users on m.UserId equals u.Id
                      where m.SchoolClassId == classId
                      orderby u.DisplayName, u.Email
                      select new ClassMember(u.Id, u.DisplayName != "" ? u.DisplayName : u.Email ?? "", u.Email ?? "", m.JoinedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Creates a class with one active access key.</summary>
    public Task<ClassSummary> CreateAsync(string name, string? description, CancellationToken cancellationToken = default) =>
        CreateClassAsync(name, description, teacherId: null, cancellationToken);

    private async Task<ClassSummary> CreateClassAsync(string name, string? description, string? teacherId, CancellationToken cancellationToken)
    {
        name = (name ?? "").Trim();
        if (name.Length == 0)
        {
            throw new DomainValidationException("name", "A class needs a name.");
        }

        if (name.Length > Limits.NameLength)
        {
            throw new DomainValidationException("name", $"A class name has at most {Limits.NameLength} characters.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await db.SchoolClasses.AnyAsync(c => c.Name == name, cancellationToken))
        {
            throw new DomainValidationException("name", $"A class named \"{name}\" already exists.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var schoolClass = new SchoolClass { Name = name, Description = description?.Trim() ?? "", CreatedAt = now };
        schoolClass.AccessKeys.Add(new AccessKey { Key = await UnusedKeyAsync(db, cancellationToken), CreatedAt = now });
        if (teacherId is not null)
        {
            schoolClass.Teachers.Add(new ClassTeacher { TeacherId = teacherId });
        }

        db.SchoolClasses.Add(schoolClass);
        await db.SaveChangesAsync(cancellationToken);
        return new ClassSummary(schoolClass.Id, schoolClass.Name, schoolClass.Description, 0, 1, now);
    }

    public async Task DeleteAsync(int classId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var deleted = await db.SchoolClasses.Where(c => c.Id == classId).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            throw new NotFoundException("That class does not exist.");
        }
    }

    public async Task<IReadOnlyList<AccessKeySummary>> ListKeysAsync(int classId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.AccessKeys.AsNoTracking()
            .Where(k => k.SchoolClassId == classId)
            .OrderByDescending(k => k.IsActive).ThenByDescending(k => k.CreatedAt)
            .Select(k => new AccessKeySummary(k.Id, k.Key, k.Description, k.IsActive, k.CreatedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>A new access key: <paramref name="chosen"/> when an admin gives one (the original's token-generate allowed it), else a fresh 8 digits.</summary>
    public async Task<AccessKeySummary> AddKeyAsync(int? classId, string? description, CancellationToken cancellationToken = default, string? chosen = null)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (classId is { } id && !await db.SchoolClasses.AnyAsync(c => c.Id == id, cancellationToken))
        {
            throw new NotFoundException("That class does not exist.");
        }

        var key = new AccessKey
        {
            Key = chosen is null ? await UnusedKeyAsync(db, cancellationToken) : await ChosenKeyAsync(db, chosen, cancellationToken),
            SchoolClassId = classId,
            Description = classId is null ? description?.Trim() : description?.Trim() ?? "",
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.AccessKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return new AccessKeySummary(key.Id, key.Key, key.Description, key.IsActive, key.CreatedAt);
    }

    private static async Task<string> ChosenKeyAsync(EduLoopDbContext db, string chosen, CancellationToken cancellationToken)
    {
        if (!AccessKeyGenerator.IsWellFormed(chosen))
        {
            throw new DomainValidationException("key", $"A key is 1 to {AccessKey.MaxLength} letters, digits or signs, without spaces.");
        }

        if (await db.AccessKeys.AnyAsync(k => k.Key == chosen, cancellationToken))
        {
            throw new DuplicateKeyException();
        }

        return chosen;
    }

    public async Task SetKeyActiveAsync(int keyId, bool isActive, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var changed = await db.AccessKeys.Where(k => k.Id == keyId)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.IsActive, isActive), cancellationToken);
        if (changed == 0)
        {
            throw new NotFoundException("That access key does not exist.");
        }
    }

    /// <summary>
    /// Every access key in the order they were made (or by <c>key</c>, <c>-key</c>), optionally only the
    /// active or inactive ones, searched by key or description (the original's token list).
    /// </summary>
    public async Task<PageResult<AccessKeySummary>> ListAllKeysAsync(ListOptions options, PageRequest page, bool? isActive = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var keys = db.AccessKeys.AsNoTracking().Matching(options.SearchTerms, k => k.Key, k => k.Description ?? "");
        if (isActive is { } active)
        {
            keys = keys.Where(k => k.IsActive == active);
        }

        var byKey = options.Ordering.FirstOrDefault(o => o.Field == "key");
        keys = byKey is null ? keys.OrderBy(k => k.Id)
            : byKey.Descending ? keys.OrderByDescending(k => k.Key) : keys.OrderBy(k => k.Key);
        return await keys
            .Select(k => new AccessKeySummary(k.Id, k.Key, k.Description, k.IsActive, k.CreatedAt))
            .ToPageAsync(page, cancellationToken);
    }

    /// <summary>Changes a key's description and/or whether it is active; null leaves a value as it is.</summary>
    /// <summary>
    /// Changes a key's description and whether it works. With <paramref name="newKey"/>, as the
    /// original did, the changes go to a new key of that name and the old one stays as it was.
    /// </summary>
    public async Task<AccessKeySummary> UpdateKeyAsync(string key, string? description, bool? isActive, CancellationToken cancellationToken = default, string? newKey = null)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var entity = await db.AccessKeys.FirstOrDefaultAsync(k => k.Key == key, cancellationToken) ?? throw new NotFoundException("Token not found.");
        if (newKey is not null && newKey != key)
        {
            db.Entry(entity).State = EntityState.Detached;
            entity = new AccessKey
            {
                Key = await ChosenKeyAsync(db, newKey, cancellationToken),
                SchoolClassId = entity.SchoolClassId,
                Description = entity.Description,
                IsActive = entity.IsActive,
                CreatedAt = clock.GetUtcNow().UtcDateTime,
            };
            db.AccessKeys.Add(entity);
        }

        if (description is not null)
        {
            if (description.Length > Limits.DescriptionLength)
            {
                throw new DomainValidationException("description", $"At most {Limits.DescriptionLength} characters.");
            }

            entity.Description = description.Trim();
        }

        entity.IsActive = isActive ?? entity.IsActive;
        await db.SaveChangesAsync(cancellationToken);
        return new AccessKeySummary(entity.Id, entity.Key, entity.Description, entity.IsActive, entity.CreatedAt);
    }

    public async Task DeleteKeyAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await db.AccessKeys.Where(k => k.Key == key).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            throw new NotFoundException("Token not found.");
        }
    }

    /// <summary>True when <paramref name="key"/> is an existing, active access key.</summary>
    public async Task<bool> IsActiveKeyAsync(string? key, CancellationToken cancellationToken = default)
    {
        // 8 digits, or a named key moved from the original service.
        if (key is not { Length: > 0 and <= AccessKey.MaxLength })
        {
            return false;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await IsActiveKey.For(db)(db, key, cancellationToken);
    }

    /// <summary>
    /// Whether an active key has this text, compiled once: asked by every API request with an access
    /// key the credential cache does not hold yet, and by every sign-up with a key.
    /// </summary>
    internal static readonly CompiledPerProvider<Func<EduLoopDbContext, string, CancellationToken, Task<bool>>> IsActiveKey = new(() => EF.CompileAsyncQuery(
        (EduLoopDbContext db, string key, CancellationToken cancellationToken) => db.AccessKeys.Any(k => k.Key == key && k.IsActive)));

    public async Task<IReadOnlyList<StudentClass>> ListForStudentAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.ClassMemberships.AsNoTracking()
            .Where(m => m.UserId == userId)
            .OrderBy(m => m.SchoolClass!.Name)
            .Select(m => new StudentClass(
                m.SchoolClassId, m.SchoolClass!.Name, m.SchoolClass.Description, m.SchoolClass.Members.Count, m.JoinedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Adds the student to the class that owns <paramref name="key"/>; joining twice is harmless.</summary>
    public async Task<StudentClass> JoinAsync(string userId, string? key, CancellationToken cancellationToken = default)
    {
        key = key?.Trim();
        if (!AccessKeyGenerator.IsWellFormed(key))
        {
            throw new DomainValidationException("key", "An access key has 8 digits.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var classId = await db.AccessKeys
            .Where(k => k.Key == key && k.IsActive && k.SchoolClassId != null)
            .Select(k => k.SchoolClassId)
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new DomainValidationException("key", "No class has this access key, or it is no longer active.");

        if (!await db.ClassMemberships.AnyAsync(m => m.SchoolClassId == classId && m.UserId == userId, cancellationToken))
        {
            db.ClassMemberships.Add(new ClassMembership
            {
                SchoolClassId = classId,
                UserId = userId,
                JoinedAt = clock.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync(cancellationToken);
        }

        return (await ListForStudentAsync(userId, cancellationToken)).Single(c => c.Id == classId);
    }

    private async Task<string> UnusedKeyAsync(EduLoopDbContext db, CancellationToken cancellationToken)
    {
        // 90 million keys: a collision is rare, but a school that makes many keys must never get a duplicate.
        for (var attempt = 0; attempt < MaxKeyAttempts; attempt++)
        {
            var key = keyGenerator.NewKey();
            if (!await db.AccessKeys.AnyAsync(k => k.Key == key, cancellationToken)
                && !db.AccessKeys.Local.Any(k => k.Key == key))
            {
                return key;
            }
        }

        throw new InvalidOperationException("Could not find an unused access key.");
    }
}
