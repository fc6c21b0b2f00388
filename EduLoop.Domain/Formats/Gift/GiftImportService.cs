using EduLoop.Domain.Data;
using EduLoop.Domain.QuestionBank;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Formats.Gift;

/// <summary>Where an imported question goes: group, subject, category and optional subcategory, by name.</summary>
public sealed record ImportTarget(string Group, string Subject, string Category, string? SubCategory)
{
    public override string ToString() => string.Join(" / ", new[] { Group, Subject, Category, SubCategory }.OfType<string>());
}

public sealed record ImportPreviewRow(int Line, ImportedQuestion? Question, ImportTarget? Target, string? Error);

/// <summary>What an import would do: every question with its target, the nodes it would create, the errors by line.</summary>
public sealed record ImportPreview(IReadOnlyList<ImportPreviewRow> Rows, IReadOnlyList<ImportTarget> NewNodes)
{
    public bool HasErrors => Rows.Any(r => r.Error is not null);

    public int QuestionCount => Rows.Count(r => r.Question is not null);
}

/// <summary>
/// Imports a GIFT file into the bank. <c>$CATEGORY: a/b/c/d</c> lines place the questions after
/// them under group a, subject b, category c, subcategory d (Moodle's <c>$course$</c> and <c>top</c>
/// prefixes are dropped); before any such line, or when a path is too short, the default target is
/// used. Missing nodes are created on commit. Nothing is written if any question has an error.
/// </summary>
public sealed class GiftImportService(IDbContextFactory<EduLoopDbContext> contextFactory, Data.Seeding.BankWriter writer, TimeProvider clock)
{
    public async Task<ImportPreview> PreviewAsync(string text, ImportTarget? defaultTarget, CancellationToken cancellationToken = default)
    {
        var document = GiftParser.Parse(text);
        var rows = new List<ImportPreviewRow>();
        var target = defaultTarget;
        foreach (var error in document.Errors)
        {
            rows.Add(new ImportPreviewRow(error.Line, null, null, error.Message));
        }

        foreach (var item in document.Items)
        {
            if (item is GiftCategory category)
            {
                target = FromPath(category.Path) ?? defaultTarget;
                continue;
            }

            var question = GiftMapping.ToQuestion((GiftQuestion)item);
            rows.Add(target is null
                ? new ImportPreviewRow(item.Line, question, null,
                    "No place in the bank: add a $CATEGORY: group/subject/category line before it, or choose where to import.")
                : Validate(item.Line, question, target));
        }

        rows.Sort((a, b) => a.Line.CompareTo(b.Line));
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var existing = await ExistingPathsAsync(db, cancellationToken);
        var newNodes = rows.Where(r => r.Target is not null).Select(r => r.Target!).Distinct()
            .Where(t => !existing.Contains(Key(t))).ToList();
        return new ImportPreview(rows, newNodes);
    }

    /// <summary>Imports every question or, when any has an error, none; returns how many were imported.</summary>
    public async Task<int> ImportAsync(string text, ImportTarget? defaultTarget, string? userId, CancellationToken cancellationToken = default)
    {
        var preview = await PreviewAsync(text, defaultTarget, cancellationToken);
        if (preview.HasErrors)
        {
            throw new ValidationErrors(preview.Rows.Where(r => r.Error is not null)
                .ToDictionary(r => $"line {r.Line}", r => (IReadOnlyList<string>)[r.Error!]));
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var nodes = new Dictionary<string, (int Group, int Subject, int Category, int? SubCategory)>();
        var questions = new List<Question>();
        foreach (var row in preview.Rows)
        {
            var key = Key(row.Target!);
            if (!nodes.TryGetValue(key, out var ids))
            {
                ids = await EnsureNodesAsync(db, row.Target!, now, cancellationToken);
                nodes[key] = ids;
            }

            var q = row.Question!;
            questions.Add(new Question
            {
                GroupId = ids.Group,
                SubjectId = ids.Subject,
                CategoryId = ids.Category,
                SubCategoryId = ids.SubCategory,
                Type = q.Type,
                Level = QuestionLevel.Medium,
                Title = q.Title.Length <= Limits.TitleLength ? q.Title : q.Title[..Limits.TitleLength],
                Stem = q.Stem,
                Body = q.Body,
                CreatedAt = now,
                UpdatedAt = now,
                CreatedById = userId,
            });
        }

        // The new nodes first, then the questions in one prepared batch. If the batch fails, the
        // nodes stay: empty, named as the file named them, and the next import reuses them.
        await transaction.CommitAsync(cancellationToken);
        await writer.AppendQuestionsAsync(questions, cancellationToken);
        return questions.Count;
    }

    /// <summary>A Moodle category path as a target; null when it names fewer than three levels.</summary>
    public static ImportTarget? FromPath(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SkipWhile(p => p is "$course$" or "$system$" or "$module$" or "$coursecategory$")
            .SkipWhile(p => p == "top")
            .ToList();
        return parts.Count < 3 ? null : new ImportTarget(parts[0], parts[1], parts[2], parts.Count > 3 ? string.Join(" / ", parts.Skip(3)) : null);
    }

    private static ImportPreviewRow Validate(int line, ImportedQuestion question, ImportTarget target)
    {
        var error = question.Type switch
        {
            _ when string.IsNullOrWhiteSpace(question.Stem) => "The question has no text.",
            QuestionType.Mcq or QuestionType.McqMulti when question.Body.Choices.Count < 2 => "A choice question needs at least two choices.",
            QuestionType.McqMulti when question.Body.Choices.Sum(c => Math.Max(c.Fraction, 0m)) is < 0.99m or > 1.01m =>
                "The credits of the right choices must add up to 100%.",
            QuestionType.Matching when question.Body.Pairs.Count < 2 => "A matching question needs at least two pairs.",
            _ => null,
        };
        var tooLong = new[] { target.Group, target.Subject, target.Category, target.SubCategory ?? "" }.Any(n => n.Length > Limits.NameLength);
        return new ImportPreviewRow(line, question, target, error ?? (tooLong ? $"A category name is longer than {Limits.NameLength} characters." : null));
    }

    private static string Key(ImportTarget target) => $"{target.Group}\u001f{target.Subject}\u001f{target.Category}\u001f{target.SubCategory}";

    private static async Task<HashSet<string>> ExistingPathsAsync(EduLoopDbContext db, CancellationToken cancellationToken)
    {
        var categories = await db.Categories.AsNoTracking()
            .Select(c => new { Group = c.Group!.Name, Subject = c.Subject!.Name, c.Name, Subs = c.SubCategories.Select(s => s.Name).ToList() })
            .ToListAsync(cancellationToken);
        return categories
            .SelectMany(c => c.Subs.Select(s => Key(new ImportTarget(c.Group, c.Subject, c.Name, s))).Append(Key(new ImportTarget(c.Group, c.Subject, c.Name, null))))
            .ToHashSet();
    }

    private static async Task<(int, int, int, int?)> EnsureNodesAsync(EduLoopDbContext db, ImportTarget target, DateTime now, CancellationToken cancellationToken)
    {
        var group = await db.Groups.FirstOrDefaultAsync(g => g.Name == target.Group, cancellationToken);
        if (group is null)
        {
            db.Groups.Add(group = new Group { Name = target.Group, CreatedAt = now });
            await db.SaveChangesAsync(cancellationToken);
        }

        var subject = await db.Subjects.FirstOrDefaultAsync(s => s.GroupId == group.Id && s.Name == target.Subject, cancellationToken);
        if (subject is null)
        {
            db.Subjects.Add(subject = new Subject { Name = target.Subject, GroupId = group.Id, CreatedAt = now });
            await db.SaveChangesAsync(cancellationToken);
        }

        var category = await db.Categories.FirstOrDefaultAsync(c => c.SubjectId == subject.Id && c.Name == target.Category, cancellationToken);
        if (category is null)
        {
            db.Categories.Add(category = new Category { Name = target.Category, SubjectId = subject.Id, GroupId = group.Id, CreatedAt = now });
            await db.SaveChangesAsync(cancellationToken);
        }

        if (target.SubCategory is null)
        {
            return (group.Id, subject.Id, category.Id, null);
        }

        var sub = await db.SubCategories.FirstOrDefaultAsync(s => s.CategoryId == category.Id && s.Name == target.SubCategory, cancellationToken);
        if (sub is null)
        {
            db.SubCategories.Add(sub = new SubCategory { Name = target.SubCategory, CategoryId = category.Id, SubjectId = subject.Id, GroupId = group.Id, CreatedAt = now });
            await db.SaveChangesAsync(cancellationToken);
        }

        return (group.Id, subject.Id, category.Id, sub.Id);
    }
}
