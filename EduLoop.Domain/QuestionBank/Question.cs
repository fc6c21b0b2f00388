namespace EduLoop.Domain.QuestionBank;

/// <summary>
/// A question of the bank. It belongs to a category and optionally a subcategory; subject and group
/// follow from the category and are stored denormalized so that every filter is one index lookup.
/// </summary>
public sealed class Question
{
    public int Id { get; set; }
    public int GroupId { get; set; }
    public int SubjectId { get; set; }
    public int CategoryId { get; set; }
    public Category? Category { get; set; }
    public int? SubCategoryId { get; set; }
    public SubCategory? SubCategory { get; set; }

    public QuestionLevel Level { get; set; }
    public QuestionType Type { get; set; }

    /// <summary>A short name for lists; the stem's first words when the author gives none.</summary>
    public string Title { get; set; } = "";

    /// <summary>The question text in Markdown, with <c>$…$</c> and <c>$$…$$</c> math.</summary>
    public required string Stem { get; set; }
    public QuestionBody Body { get; set; } = new();

    public List<QuestionTag> Tags { get; } = [];

    /// <summary>
    /// <see cref="QuestionHash"/> of the type, stem and body, kept up to date on every save; finds
    /// duplicates on import with one index lookup. 0 only for rows written before it existed, until start-up fills it in.
    /// </summary>
    public long ContentHash { get; set; }

    /// <summary>The number of the current version; 1 until an edit after use creates another.</summary>
    public int Version { get; set; } = 1;
    public bool IsArchived { get; set; }

    /// <summary>Changes on every save, so two editors cannot silently overwrite each other.</summary>
    public Guid ConcurrencyStamp { get; set; } = Guid.NewGuid();

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? CreatedById { get; set; }

    /// <summary>Who saved the current state; a version made from it keeps the name. Null for rows from before it was kept.</summary>
    public string? UpdatedById { get; set; }

    /// <summary>The current state as a history entry, before an edit replaces it: the version, dated and signed by whoever saved it.</summary>
    public QuestionVersion ToVersion() => new()
    {
        QuestionId = Id,
        Number = Version,
        Type = Type,
        Stem = Stem,
        Body = Body,
        CreatedAt = UpdatedAt,
        CreatedById = UpdatedById ?? (Version == 1 ? CreatedById : null),
    };
}
