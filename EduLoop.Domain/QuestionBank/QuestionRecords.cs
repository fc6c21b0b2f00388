using System.Text.Json;

namespace EduLoop.Domain.QuestionBank;

/// <summary>A question with its place in the hierarchy by name, as the compatible API shows it.</summary>
public sealed record QuestionRecord(
    int Id, string Group, string Subject, string Category, string? SubCategory,
    QuestionLevel Level, QuestionType Type, string Stem, QuestionBody Body, DateTime CreatedAt, DateTime UpdatedAt, string Title = "");

/// <summary>Exact filters of the question lists; null means "any".</summary>
public sealed record QuestionFilter(
    QuestionLevel? Level = null, QuestionType? Type = null,
    int? GroupId = null, int? SubjectId = null, int? CategoryId = null, int? SubCategoryId = null);

/// <summary>A question as a client writes it: parents by name, level and type by their original names.</summary>
/// <param name="SubCategoryGiven">Whether the input named the subcategory at all (a partial update may leave it out).</param>
public sealed record QuestionInput(
    string? Group, string? Subject, string? Category, string? SubCategory, bool SubCategoryGiven,
    string? Level, string? Type, JsonElement? Metadata);

/// <summary>A failed row of a bulk upload: its row number as a spreadsheet counts (header is row 1) and its errors.</summary>
public sealed record FailedRow(int Row, IReadOnlyDictionary<string, string> Errors);

public sealed class BulkUploadException(IReadOnlyList<FailedRow> rows) : Exception("Some rows are not valid; nothing was saved.")
{
    public IReadOnlyList<FailedRow> Rows { get; } = rows;
}
