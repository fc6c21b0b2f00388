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
        .Add("name", s => s.Name)
        .Add("category__name", s => s.Category!.Name);

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
            .Select(c => new CategoryRecord(c.Id, c.Name, c.Subject!.Name, c.Group!.Name, c.CreatedAt, null, c.GroupId))
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
        return await _subCategorySort.Apply(subCategories, options.Ordering, _byName, s => s.Id)
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
        var seen = new HashSet<string>();
        return await CreateAllAsync<NewGroup, GroupRecord>(groups, async (db, group, bag) =>
        {
            var name = bag.Name("name", group.Name);
            if (bag.IsEmpty && (!seen.Add(name) || await db.Groups.AnyAsync(g => g.Name == name, cancellationToken)))
            {
                bag.Add("name", "group with this name already exists.");
            }

            var description = Description(group.Description, bag);
            bag.ThrowIfAny();
            var entity = new Group { Name = name, Description = description, CreatedAt = Now() };
            db.Groups.Add(entity);
            return () => new GroupRecord(entity.Id, entity.Name, entity.Description, entity.CreatedAt);
        }, cancellationToken);
    }

    public async Task<SubjectRecord> CreateSubjectAsync(NewSubject subject, CancellationToken cancellationToken = default) =>
        (await CreateSubjectsAsync([subject], cancellationToken))[0];

    /// <summary>Creates every subject or none.</summary>
    public async Task<IReadOnlyList<SubjectRecord>> CreateSubjectsAsync(IReadOnlyList<NewSubject> subjects, CancellationToken cancellationToken = default)
    {
        var seen = new HashSet<(int, string)>();
        return await CreateAllAsync<NewSubject, SubjectRecord>(subjects, async (db, subject, bag) =>
        {
            var name = bag.Name("name", subject.Name);
            var group = await FindGroupAsync(db, bag, subject.Group, cancellationToken);
            var description = Description(subject.Description, bag);
            bag.ThrowIfAny();
            if (!seen.Add((group!.Id, name)) || await db.Subjects.AnyAsync(s => s.GroupId == group.Id && s.Name == name, cancellationToken))
            {
                throw ValidationErrors.For("non_field_errors", "The fields name, group must make a unique set.");
            }

            var entity = new Subject { Name = name, Description = description, GroupId = group.Id, CreatedAt = Now() };
            db.Subjects.Add(entity);
            return () => new SubjectRecord(entity.Id, entity.Name, entity.Description, group.Name, entity.CreatedAt);
        }, cancellationToken);
    }

    public async Task<CategoryRecord> CreateCategoryAsync(NewCategory category, CancellationToken cancellationToken = default) =>
        (await CreateCategoriesAsync([category], cancellationToken))[0];

    /// <summary>Creates every category or none.</summary>
    public async Task<IReadOnlyList<CategoryRecord>> CreateCategoriesAsync(IReadOnlyList<NewCategory> categories, CancellationToken cancellationToken = default)
    {
        var seen = new HashSet<(int, string)>();
        return await CreateAllAsync<NewCategory, CategoryRecord>(categories, async (db, category, bag) =>
        {
            var name = bag.Name("name", category.Name);
            if (category.Subject is null)
            {
                // The original listed a missing subject before a missing group.
                bag.Add("subject", "This field is required.");
            }

            var group = await FindGroupAsync(db, bag, category.Group, cancellationToken);
            var subject = category.Subject is null ? null : await FindSubjectAsync(db, bag, category.Subject, group, cancellationToken);
            bag.ThrowIfAny();
            if (!seen.Add((subject!.Id, name)) || await db.Categories.AnyAsync(c => c.SubjectId == subject.Id && c.Name == name, cancellationToken))
            {
                throw ValidationErrors.For("non_field_errors", "Category with this subject and group already exists.");
            }

            var entity = new Category { Name = name, SubjectId = subject.Id, GroupId = group!.Id, CreatedAt = Now() };
            db.Categories.Add(entity);
            return () => new CategoryRecord(entity.Id, entity.Name, subject.Name, group.Name, entity.CreatedAt, [], group.Id);
        }, cancellationToken);
    }

    public async Task<SubCategoryRecord> CreateSubCategoryAsync(NewSubCategory subCategory, CancellationToken cancellationToken = default) =>
        (await CreateSubCategoriesAsync([subCategory], cancellationToken))[0];

    /// <summary>Creates every subcategory or none.</summary>
    public async Task<IReadOnlyList<SubCategoryRecord>> CreateSubCategoriesAsync(IReadOnlyList<NewSubCategory> subCategories, CancellationToken cancellationToken = default)
    {
        var seen = new HashSet<(int, string)>();
        return await CreateAllAsync<NewSubCategory, SubCategoryRecord>(subCategories, async (db, subCategory, bag) =>
        {
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
                    bag.Add("category", $"Category '{subCategory.Category}' not found for the given group and subject.");
                }
            }

            bag.ThrowIfAny();
            if (!seen.Add((category!.Id, name)) || await db.SubCategories.AnyAsync(s => s.CategoryId == category.Id && s.Name == name, cancellationToken))
            {
                // The original's words, though it is a subcategory.
                throw ValidationErrors.For("non_field_errors", "Category with this subject and group already exists.");
            }

            var entity = new SubCategory { Name = name, CategoryId = category.Id, SubjectId = subject!.Id, GroupId = group!.Id, CreatedAt = Now() };
            db.SubCategories.Add(entity);
            return () => new SubCategoryRecord(entity.Id, entity.Name, category.Name, subject.Name, group.Name, entity.CreatedAt);
        }, cancellationToken);
    }

    /// <summary>
    /// Adds every item or none, in one save: <paramref name="add"/> checks one item (throwing its
    /// errors) and gives how to read it back once saved. With errors, each item's are in
    /// <see cref="ValidationErrors.Items"/>, and a single item's are also the <see cref="ValidationErrors.Fields"/>.
    /// </summary>
    private async Task<IReadOnlyList<TRecord>> CreateAllAsync<TNew, TRecord>(
        IReadOnlyList<TNew> items, Func<EduLoopDbContext, TNew, ErrorBag, Task<Func<TRecord>>> add, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var errors = new List<IReadOnlyDictionary<string, IReadOnlyList<string>>>();
        var created = new List<Func<TRecord>>();
        foreach (var item in items)
        {
            try
            {
                created.Add(await add(db, item, new ErrorBag()));
                errors.Add(new Dictionary<string, IReadOnlyList<string>>());
            }
            catch (ValidationErrors e)
            {
                errors.Add(e.Fields);
            }
        }

        if (errors.Any(e => e.Count > 0))
        {
            throw new ValidationErrors(errors.Count == 1 ? errors[0] : new Dictionary<string, IReadOnlyList<string>>(), errors);
        }

        await SaveUniqueAsync(db, cancellationToken);
        return created.Select(read => read()).ToList();
    }

    /// <summary>A description as given: absent stays absent (null), as the original kept it.</summary>
    private static string? Description(string? given, ErrorBag bag)
    {
        var description = given?.Trim();
        if (description?.Length > Limits.DescriptionLength)
        {
            bag.Add("description", $"Ensure this field has no more than {Limits.DescriptionLength} characters.");
        }

        return description;
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
            bag.Add("subject", $"Subject '{name}' not found in group '{group.Name}'.");
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
