using System.Text;
using EduLoop.Domain.Data;
using EduLoop.Domain.QuestionBank;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Formats;

/// <summary>What an export wrote, and how many questions its format could not hold.</summary>
public sealed record ExportResult(int Written, int Skipped);

/// <summary>
/// Writes the questions of a <see cref="BankSelection"/> (the bank list's view, read through the list's
/// own filter, or chosen rows) in any format: read in batches by id, written a batch at a time, so a
/// bank of any size is exported with the memory of one batch.
/// </summary>
public sealed class ExportService(IDbContextFactory<EduLoopDbContext> contextFactory, QuestionFormats formats)
{
    private const int BatchSize = 2_000;

    public string FileName(QuestionFormat format, DateTime now) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"eduloop-questions-{now:yyyyMMdd-HHmm}{formats.Get(format).Extension}");

    public string ContentType(QuestionFormat format) => formats.Get(format).ContentType;

    public async Task<ExportResult> ExportAsync(
        QuestionFormat format, BankSelection selection, Stream output, CancellationToken cancellationToken = default)
    {
        var writer = formats.Get(format).CreateWriter();
        // Spreadsheets read UTF-8 CSV only with a byte order mark.
        await using var text = new StreamWriter(output, new UTF8Encoding(format == QuestionFormat.Csv), bufferSize: 1 << 16, leaveOpen: true);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var names = await NamesAsync(db, cancellationToken);
        var chunk = new StringWriter();
        writer.WriteStart(chunk);
        var (written, skipped, lastId) = (0, 0, 0);
        while (true)
        {
            var batch = await BankService.Selected(db, selection)
                .Where(q => q.Id > lastId)
                .OrderBy(q => q.Id)
                .Take(BatchSize)
                .Select(q => new { q.Id, q.GroupId, q.SubjectId, q.CategoryId, q.SubCategoryId, q.Type, q.Level, q.Title, q.Stem, q.Body })
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            lastId = batch[^1].Id;
            var ids = batch.Select(q => q.Id).ToList();
            var tags = (await db.QuestionTags.AsNoTracking().Where(t => ids.Contains(t.QuestionId))
                    .Select(t => new { t.QuestionId, t.Tag!.Name }).ToListAsync(cancellationToken))
                .ToLookup(t => t.QuestionId, t => t.Name);
            foreach (var q in batch)
            {
                var target = new ImportTarget(
                    names.Groups[q.GroupId], names.Subjects[q.SubjectId], names.Categories[q.CategoryId],
                    q.SubCategoryId is { } sub ? names.SubCategories[sub] : null);
                var question = new ExportedQuestion(q.Id, q.Type, q.Level, q.Title, q.Stem, q.Body, target, tags[q.Id].Order(StringComparer.Ordinal).ToList());
                if (writer.Write(question, chunk))
                {
                    written++;
                }
                else
                {
                    skipped++;
                }
            }

            await text.WriteAsync(chunk.GetStringBuilder(), cancellationToken);
            chunk.GetStringBuilder().Clear();
        }

        writer.WriteEnd(chunk);
        await text.WriteAsync(chunk.GetStringBuilder(), cancellationToken);
        await text.FlushAsync(cancellationToken);
        return new ExportResult(written, skipped);
    }

    private sealed record Names(
        Dictionary<int, string> Groups, Dictionary<int, string> Subjects, Dictionary<int, string> Categories, Dictionary<int, string> SubCategories);

    private static async Task<Names> NamesAsync(EduLoopDbContext db, CancellationToken cancellationToken) => new(
        await db.Groups.AsNoTracking().ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken),
        await db.Subjects.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken),
        await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken),
        await db.SubCategories.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken));
}
