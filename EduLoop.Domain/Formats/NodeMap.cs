using EduLoop.Domain.Data;
using EduLoop.Domain.QuestionBank;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Formats;

/// <summary>The bank's nodes by their names, loaded once per import; missing ones are created on the import's connection and transaction.</summary>
internal sealed class NodeMap
{
    private readonly Dictionary<string, int> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<(int, string), int> _subjects = [];
    private readonly Dictionary<(int, string), (int Group, int Subject)> _categoriesBySubject = [];
    private readonly Dictionary<(int, string), int> _categories = [];
    private readonly Dictionary<(int, string), int> _subCategories = [];

    /// <summary>How many places (the category or subcategory a question goes to) this map has created, as the preview counts them.</summary>
    public int Created { get; private set; }

    public static async Task<NodeMap> LoadAsync(EduLoopDbContext db, CancellationToken cancellationToken)
    {
        var map = new NodeMap();
        foreach (var g in await db.Groups.AsNoTracking().Select(g => new { g.Id, g.Name }).ToListAsync(cancellationToken))
        {
            map._groups.TryAdd(g.Name, g.Id);
        }

        foreach (var s in await db.Subjects.AsNoTracking().Select(s => new { s.Id, s.GroupId, s.Name }).ToListAsync(cancellationToken))
        {
            map._subjects.TryAdd((s.GroupId, s.Name), s.Id);
        }

        foreach (var c in await db.Categories.AsNoTracking().Select(c => new { c.Id, c.SubjectId, c.Name }).ToListAsync(cancellationToken))
        {
            map._categories.TryAdd((c.SubjectId, c.Name), c.Id);
        }

        foreach (var s in await db.SubCategories.AsNoTracking().Select(s => new { s.Id, s.CategoryId, s.Name }).ToListAsync(cancellationToken))
        {
            map._subCategories.TryAdd((s.CategoryId, s.Name), s.Id);
        }

        return map;
    }

    public bool Contains(ImportTarget target) =>
        _groups.TryGetValue(target.Group, out var group)
        && _subjects.TryGetValue((group, target.Subject), out var subject)
        && _categories.TryGetValue((subject, target.Category), out var category)
        && (target.SubCategory is null || _subCategories.ContainsKey((category, target.SubCategory)));

    public async Task<(int Group, int Subject, int Category, int? SubCategory)> EnsureAsync(
        EduLoopDbContext db, ImportTarget target, DateTime now, CancellationToken cancellationToken)
    {
        if (!_groups.TryGetValue(target.Group, out var group))
        {
            group = await AddAsync(db, new Group { Name = target.Group, CreatedAt = now }, g => g.Id, cancellationToken);
            _groups[target.Group] = group;
        }

        if (!_subjects.TryGetValue((group, target.Subject), out var subject))
        {
            subject = await AddAsync(db, new Subject { Name = target.Subject, GroupId = group, CreatedAt = now }, s => s.Id, cancellationToken);
            _subjects[(group, target.Subject)] = subject;
        }

        var createdCategory = false;
        if (!_categories.TryGetValue((subject, target.Category), out var category))
        {
            createdCategory = true;
            category = await AddAsync(db, new Category { Name = target.Category, SubjectId = subject, GroupId = group, CreatedAt = now },
                c => c.Id, cancellationToken);
            _categories[(subject, target.Category)] = category;
        }

        if (target.SubCategory is null)
        {
            Created += createdCategory ? 1 : 0;
            return (group, subject, category, null);
        }

        if (!_subCategories.TryGetValue((category, target.SubCategory), out var sub))
        {
            sub = await AddAsync(db, new SubCategory
            {
                Name = target.SubCategory,
                CategoryId = category,
                SubjectId = subject,
                GroupId = group,
                CreatedAt = now,
            }, s => s.Id, cancellationToken);
            _subCategories[(category, target.SubCategory)] = sub;
            Created++;
        }

        return (group, subject, category, sub);
    }

    private async Task<int> AddAsync<T>(EduLoopDbContext db, T node, Func<T, int> id, CancellationToken cancellationToken)
        where T : class
    {
        db.Add(node);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(node).State = EntityState.Detached;
        return id(node);
    }
}
