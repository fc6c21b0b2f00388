namespace EduLoop.Domain.QuestionBank;

public sealed record GroupRecord(int Id, string Name, string? Description, DateTime CreatedAt);

public sealed record SubjectRecord(int Id, string Name, string? Description, string Group, DateTime CreatedAt);

public sealed record SubCategoryRecord(int Id, string Name, string Category, string Subject, string Group, DateTime CreatedAt);

/// <param name="SubCategories">The category's subcategories, when the list includes them.</param>
public sealed record CategoryRecord(
    int Id, string Name, string Subject, string Group, DateTime CreatedAt, IReadOnlyList<SubCategoryRecord>? SubCategories, int GroupId = 0);

/// <summary>Exact-id filters of the taxonomy lists (the original's <c>group__id</c> and friends).</summary>
public sealed record TaxonomyFilter(int? GroupId = null, int? SubjectId = null, int? CategoryId = null);

public sealed record NewGroup(string? Name, string? Description);

public sealed record NewSubject(string? Name, string? Description, string? Group);

public sealed record NewCategory(string? Name, string? Subject, string? Group);

public sealed record NewSubCategory(string? Name, string? Category, string? Subject, string? Group);
