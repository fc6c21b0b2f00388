using EduLoop.Domain.Data;
using EduLoop.Domain.Querying;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.QuestionBank;

/// <summary>
/// Reads and writes the bank's hierarchy (groups, subjects, categories, subcategories) with the
/// original service's rules: unique names under each parent, parents written by name.
/// </summary>
public sealed class TaxonomyService(IDbContextFactory<EduLoopDbContext> contextFactory, TimeProvider clock)
{
    private static readonly SortMap<Subject> _subjectSort = new SortMap<Subject>()
        .Add("name", s => s.Name)
        .Add("group__name", s => s.Group!.Name);

    private static readonly SortMap<Category> _categorySort = new SortMap<Category>()
        .Add("name", c => c.Name)
        .Add("subject__name", c => c.Subject!.Name)
        .Add("group__name", c => c.Group!.Name);

    private static readonly SortMap<SubCategory> _subCategorySort = new SortMap<SubCategory>()
        .Add("name", s => s.Name);

    private static readonly SortKey[] _byName = [new("name", false)];

    public async Task<PageResult<GroupRecord>> ListGroupsAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Groups.AsNoTracking()
            .OrderBy(g => g.Name).ThenBy(g => g.Id)
            .Select(g => new GroupRecord(g.Id, g.Name, g.Description, g.CreatedAt))
            .ToPageAsync(page, cancellationToken);
    }

    public async Task<PageResult<SubjectRecord>> ListSubjectsAsync(
        TaxonomyFilter filter, ListOptions options, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var subjects = db.Subjects.AsNoTracking();
        if (filter.GroupId is { } groupId)
        {
            subjects = subjects.Where(s => s.GroupId == groupId);
        }

        subjects = subjects.Matching(options.SearchTerms, s => s.Name, s => s.Group!.Name);
        return await _subjectSort.Apply(subjects, options.Ordering, [new("group__name", false), new("name", false)], s => s.Id)
            .Select(s => new SubjectRecord(s.Id, s.Name, s.Description, s.Group!.Name, s.CreatedAt))
            .ToPageAsync(page, cancellationToken);
    }

    /// <summary>The subjects of one group; <see cref="NotFoundException"/> when the group does not exist.</summary>
    public async Task<PageResult<SubjectRecord>> ListSubjectsOfGroupAsync(int groupId, PageRequest page, CancellationToken cancellationToken = default)
    {
        await EnsureExistsAsync<Group>(groupId, cancellationToken);
        return await ListSubjectsAsync(new TaxonomyFilter(GroupId: groupId), ListOptions.None, page, cancellationToken);
    }

    public async Task<PageResult<CategoryRecord>> ListCategoriesAsync(
        TaxonomyFilter filter, ListOptions options, PageRequest page, bool withSubCategories, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var categories = db.Categories.AsNoTracking();
        if (filter.SubjectId is { } subjectId)
        {
            categories = categories.Where(c => c.SubjectId == subjectId);
        }

        if (filter.GroupId is { } groupId)
        {
            categories = categories.Where(c => c.GroupId == groupId);
        }

        categories = categories.Matching(options.SearchTerms, c => c.Name, c => c.Subject!.Name, c => c.Group!.Name);
        var result = await _categorySort.Apply(categories, options.Ordering, _byName, c => c.Id)
            .Select(c => new CategoryRecord(c.Id, c.Name, c.Subject!.Name, c.Group!.Name, c.CreatedAt, null))
            .ToPageAsync(page, cancellationToken);
        if (!withSubCategories || result.Items.Count == 0)
        {
            return result;
        }

        // One query for the subcategories of the whole page, not one per category.
        var ids = result.Items.Select(c => c.Id).ToList();
        var children = (await db.SubCategories.AsNoTracking()
                .Where(s => ids.Contains(s.CategoryId))
                .OrderBy(s => s.Name).ThenBy(s => s.Id)
                .Select(s => new { s.CategoryId, Record = new SubCategoryRecord(s.Id, s.Name, s.Category!.Name, s.Category.Subject!.Name, s.Category.Group!.Name, s.CreatedAt) })
                .ToListAsync(cancellationToken))
            .ToLookup(s => s.CategoryId, s => s.Record);
        return result with { Items = result.Items.Select(c => c with { SubCategories = children[c.Id].ToList() }).ToList() };
    }

    public async Task<PageResult<CategoryRecord>> ListCategoriesOfSubjectAsync(int subjectId, PageRequest page, CancellationToken cancellationToken = default)
    {
        await EnsureExistsAsync<Subject>(subjectId, cancellationToken);
        return await ListCategoriesAsync(new TaxonomyFilter(SubjectId: subjectId), ListOptions.None, page, withSubCategories: true, cancellationToken);
    }

    public async Task<PageResult<SubCategoryRecord>> ListSubCategoriesAsync(
        TaxonomyFilter filter, ListOptions options, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var subCategories = db.SubCategories.AsNoTracking();
        if (filter.CategoryId is { } categoryId)
        {
            subCategories = subCategories.Where(s => s.CategoryId == categoryId);
        }

        if (filter.SubjectId is { } subjectId)
        {
            subCategories = subCategories.Where(s => s.SubjectId == subjectId);
        }

        if (filter.GroupId is { } groupId)
        {
            subCategories = subCategories.Where(s => s.GroupId == groupId);
        }

        subCategories = subCategories.Matching(options.SearchTerms,
            s => s.Name, s => s.Category!.Name, s => s.Category!.Subject!.Name, s => s.Category!.Group!.Name);
        return await _subCategorySort.Apply(subCategories, [], _byName, s => s.Id)
            .Select(s => new SubCategoryRecord(s.Id, s.Name, s.Category!.Name, s.Category.Subject!.Name, s.Category.Group!.Name, s.CreatedAt))
            .ToPageAsync(page, cancellationToken);
    }

    public async Task<PageResult<SubCategoryRecord>> ListSubCategoriesOfCategoryAsync(int categoryId, PageRequest page, CancellationToken cancellationToken = default)
    {
        await EnsureExistsAsync<Category>(categoryId, cancellationToken);
        return await ListSubCategoriesAsync(new TaxonomyFilter(CategoryId: categoryId), ListOptions.None, page, cancellationToken);
    }

    /// <summary>Creates every group or none: each item is checked, against the bank and against the others.</summary>
    public async Task<IReadOnlyList<GroupRecord>> CreateGroupsAsync(IReadOnlyList<NewGroup> groups, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var names = groups.Select(g => g.Name?.Trim()).OfType<string>().ToList();
        var taken = (await db.Groups.Where(g => names.Contains(g.Name)).Select(g => g.Name).ToListAsync(cancellationToken)).ToHashSet();
        var seen = new HashSet<string>();
        var errors = new List<IReadOnlyDictionary<string, IReadOnlyList<string>>>();
        var now = Now();
        var entities = new List<Group>();
        foreach (var group in groups)
        {
            var bag = new ErrorBag();
            var name = bag.Name("name", group.Name);
            if (bag.IsEmpty && (taken.Contains(name) || !seen.Add(name)))
            {
                bag.Add("name", "group with this name already exists.");
            }

            var description = group.Description?.Trim() ?? "";
            if (description.Length > Limits.DescriptionLength)
            {
                bag.Add("description", $"Ensure this field has no more than {Limits.DescriptionLength} characters.");
            }

            errors.Add(bag.ToDictionary());
            entities.Add(new Group { Name = name, Description = description, CreatedAt = now });
        }

        if (errors.Any(e => e.Count > 0))
        {
            throw new ValidationErrors(errors.Count == 1 ? errors[0] : new Dictionary<string, IReadOnlyList<string>>(), errors.Count == 1 ? null : errors);
        }

        db.Groups.AddRange(entities);
        await SaveUniqueAsync(db, cancellationToken);
        return entities.Select(g => new GroupRecord(g.Id, g.Name, g.Description, g.CreatedAt)).ToList();
    }

    public async Task<SubjectRecord> CreateSubjectAsync(NewSubject subject, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var bag = new ErrorBag();
        var name = bag.Name("name", subject.Name);
        var group = await FindGroupAsync(db, bag, subject.Group, cancellationToken);
        bag.ThrowIfAny();
        if (await db.Subjects.AnyAsync(s => s.GroupId == group!.Id && s.Name == name, cancellationToken))
        {
            throw ValidationErrors.For("non_field_errors", "The fields group, name must make a unique set.");
        }

        var entity = new Subject { Name = name, Description = subject.Description?.Trim() ?? "", GroupId = group!.Id, CreatedAt = Now() };
        db.Subjects.Add(entity);
        await SaveUniqueAsync(db, cancellationToken);
        return new SubjectRecord(entity.Id, entity.Name, entity.Description, group.Name, entity.CreatedAt);
    }

    public async Task<CategoryRecord> CreateCategoryAsync(NewCategory category, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var bag = new ErrorBag();
        var name = bag.Name("name", category.Name);
        var group = await FindGroupAsync(db, bag, category.Group, cancellationToken);
        var subject = await FindSubjectAsync(db, bag, category.Subject, group, cancellationToken);
        bag.ThrowIfAny();
        if (await db.Categories.AnyAsync(c => c.SubjectId == subject!.Id && c.Name == name, cancellationToken))
        {
            throw ValidationErrors.For("non_field_errors", "The fields subject, name must make a unique set.");
        }

        var entity = new Category { Name = name, SubjectId = subject!.Id, GroupId = group!.Id, CreatedAt = Now() };
        db.Categories.Add(entity);
        await SaveUniqueAsync(db, cancellationToken);
        return new CategoryRecord(entity.Id, entity.Name, subject.Name, group.Name, entity.CreatedAt, []);
    }

    public async Task<SubCategoryRecord> CreateSubCategoryAsync(NewSubCategory subCategory, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var bag = new ErrorBag();
        var name = bag.Name("name", subCategory.Name);
        var group = await FindGroupAsync(db, bag, subCategory.Group, cancellationToken);
        var subject = await FindSubjectAsync(db, bag, subCategory.Subject, group, cancellationToken);
        Category? category = null;
        if (subCategory.Category is null)
        {
            bag.Add("category", "This field is required.");
        }
        else if (subject is not null)
        {
            category = await db.Categories.AsNoTracking()
                .FirstOrDefaultAsync(c => c.SubjectId == subject.Id && c.Name == subCategory.Category, cancellationToken);
            if (category is null)
            {
                bag.Add("category", $"Category \"{subCategory.Category}\" does not exist in subject \"{subject.Name}\".");
            }
        }

        bag.ThrowIfAny();
        if (await db.SubCategories.AnyAsync(s => s.CategoryId == category!.Id && s.Name == name, cancellationToken))
        {
            throw ValidationErrors.For("non_field_errors", "The fields category, name must make a unique set.");
        }

        var entity = new SubCategory { Name = name, CategoryId = category!.Id, SubjectId = subject!.Id, GroupId = group!.Id, CreatedAt = Now() };
        db.SubCategories.Add(entity);
        await SaveUniqueAsync(db, cancellationToken);
        return new SubCategoryRecord(entity.Id, entity.Name, category.Name, subject.Name, group.Name, entity.CreatedAt);
    }

    private static async Task<Group?> FindGroupAsync(EduLoopDbContext db, ErrorBag bag, string? name, CancellationToken cancellationToken)
    {
        if (name is null)
        {
            bag.Add("group", "This field is required.");
            return null;
        }

        var group = await db.Groups.AsNoTracking().FirstOrDefaultAsync(g => g.Name == name, cancellationToken);
        if (group is null)
        {
            bag.Add("group", $"Object with name={name} does not exist.");
        }

        return group;
    }

    private static async Task<Subject?> FindSubjectAsync(EduLoopDbContext db, ErrorBag bag, string? name, Group? group, CancellationToken cancellationToken)
    {
        if (name is null)
        {
            bag.Add("subject", "This field is required.");
            return null;
        }

        if (group is null)
        {
            return null;
        }

        var subject = await db.Subjects.AsNoTracking().FirstOrDefaultAsync(s => s.GroupId == group.Id && s.Name == name, cancellationToken);
        if (subject is null)
        {
            bag.Add("subject", $"Subject \"{name}\" does not exist in group \"{group.Name}\".");
        }

        return subject;
    }

    private async Task EnsureExistsAsync<T>(int id, CancellationToken cancellationToken) where T : class
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Set<T>().FindAsync([id], cancellationToken) is null)
        {
            throw new NotFoundException("Not found.");
        }
    }

    /// <summary>Saves; a unique index that a concurrent writer won the race for becomes a validation error.</summary>
    private static async Task SaveUniqueAsync(EduLoopDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            throw ValidationErrors.For("non_field_errors", "This name is already taken.");
        }
    }

    // The API shows whole seconds; store what it shows.
    private DateTime Now() => clock.UtcNowToSecond();
}
