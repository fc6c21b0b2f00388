namespace EduLoop.Domain.QuestionBank;

public enum BankSort
{
    Newest,
    Oldest,
    RecentlyEdited,
    Title,
}

/// <summary>What the bank browser shows: a node of the hierarchy, exact filters, a text search and an order.</summary>
public sealed record BankQuery(
    int? GroupId = null,
    int? SubjectId = null,
    int? CategoryId = null,
    int? SubCategoryId = null,
    QuestionLevel? Level = null,
    QuestionType? Type = null,
    string? Tag = null,
    string? AuthorId = null,
    DateTime? CreatedFrom = null,
    DateTime? CreatedTo = null,
    string? Text = null,
    bool Archived = false,
    BankSort Sort = BankSort.Newest,
    bool NeedsReview = false);

/// <summary>
/// The questions an action takes from the bank: the rows chosen by id when there are any, or else
/// exactly what the view lists. The list, its count and the export all read it through one filter.
/// </summary>
public sealed record BankSelection(BankQuery View, IReadOnlyList<int>? Ids = null)
{
    public bool IsChosenRows => Ids is not null;
}

/// <summary>A row of the bank browser.</summary>
public sealed record BankRow(
    int Id, string Title, QuestionType Type, QuestionLevel Level, string Place, DateTime CreatedAt, DateTime UpdatedAt,
    string? Author, int Version, bool IsArchived);

/// <summary>A node of the hierarchy with the number of questions under it.</summary>
public sealed record BankNode(BankNodeKind Kind, int Id, string Name, int Questions, IReadOnlyList<BankNode> Children);

public enum BankNodeKind
{
    Group,
    Subject,
    Category,
    SubCategory,
}

/// <summary>A question as the editor holds it. <see cref="ConcurrencyStamp"/> is the version the editor started from.</summary>
public sealed record EditableQuestion(
    int Id, int CategoryId, int? SubCategoryId, string Place, QuestionType Type, QuestionLevel Level, string Title, string Stem, QuestionBody Body,
    IReadOnlyList<string> Tags, int Version, Guid ConcurrencyStamp, DateTime UpdatedAt, bool IsArchived);

/// <summary>An earlier state of a question, kept when an edit replaced it.</summary>
public sealed record QuestionHistoryEntry(int Number, QuestionType Type, string Stem, QuestionBody Body, DateTime CreatedAt, string? Author);

/// <summary>Someone else saved the question since the editor opened it; <see cref="Current"/> is what they saved.</summary>
public sealed class QuestionConflictException(EditableQuestion current)
    : Exception("Someone else saved this question after you opened it.")
{
    public EditableQuestion Current { get; } = current;
}

/// <summary>What deleting a node would take with it.</summary>
/// <param name="QuizCount">Quizzes that use questions of the node (fixed or drawn): while there are any, it can only be archived.</param>
public sealed record NodeImpact(int SubjectCount, int CategoryCount, int SubCategoryCount, int QuestionCount, int QuizCount = 0);

/// <summary>One change to many questions at once.</summary>
public abstract record BulkChange;

public sealed record MoveQuestions(int CategoryId, int? SubCategoryId) : BulkChange;

public sealed record SetLevel(QuestionLevel Level) : BulkChange;

public sealed record AddTag(string Tag) : BulkChange;

public sealed record RemoveTag(string Tag) : BulkChange;

public sealed record SetArchived(bool Archived) : BulkChange;

public sealed record DeleteQuestions : BulkChange;

/// <summary>A place a question can go: a category, or a subcategory of it.</summary>
public sealed record BankPlace(int CategoryId, int? SubCategoryId, string Path);
