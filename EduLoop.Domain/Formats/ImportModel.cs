using EduLoop.Domain.QuestionBank;

namespace EduLoop.Domain.Formats;

/// <summary>What to do with a question that is already in the bank (or earlier in the same file).</summary>
public enum DuplicateHandling
{
    Skip,
    Import,
}

/// <summary>How an import places and names what it reads.</summary>
public sealed record ImportOptions
{
    /// <summary>Where questions go whose file does not say (or all of them, with <see cref="IgnoreFilePlaces"/>).</summary>
    public ImportTarget? Target { get; init; }

    /// <summary>Put every question under <see cref="Target"/>, whatever categories the file names.</summary>
    public bool IgnoreFilePlaces { get; init; }

    /// <summary>The level of questions whose file gives none.</summary>
    public QuestionLevel Level { get; init; } = QuestionLevel.Medium;

    public DuplicateHandling Duplicates { get; init; } = DuplicateHandling.Skip;
}

public enum DuplicateKind
{
    None,
    InBank,
    InFile,
}

/// <summary>A question as it would be imported: where it goes, at which level, and whether it is a duplicate.</summary>
public sealed record PreviewQuestion(ParsedQuestion Question, ImportTarget Target, QuestionLevel Level, DuplicateKind Duplicate, int? DuplicateOf)
{
    /// <summary>The question's <see cref="QuestionHash"/>, computed once for the duplicate check and the insert.</summary>
    public long ContentHash { get; init; }
}

/// <summary>Everything an import would do, without doing it.</summary>
public sealed record ImportPreview(
    IReadOnlyList<PreviewQuestion> Questions, IReadOnlyList<ImportError> Errors, IReadOnlyList<ImportError> Warnings, IReadOnlyList<ImportTarget> NewNodes)
{
    public bool HasErrors => Errors.Count > 0;

    public int DuplicateCount => Questions.Count(q => q.Duplicate != DuplicateKind.None);
}

/// <param name="BytesRead">How far into the file the import is.</param>
/// <param name="TotalBytes">The file's size, when known.</param>
public sealed record ImportProgress(int Questions, long BytesRead, long? TotalBytes);

/// <summary>What an import did; with errors, it did nothing. <c>NodesCreated</c> counts new places (categories or subcategories), as the preview lists them.</summary>
public sealed record ImportResult(int Imported, int SkippedDuplicates, int NodesCreated, IReadOnlyList<ImportError> Errors)
{
    /// <summary>Where the last imported question went (category, and subcategory if any), to show it afterwards.</summary>
    public (int CategoryId, int? SubCategoryId)? LastPlace { get; init; }

    public bool Succeeded => Errors.Count == 0;
}
