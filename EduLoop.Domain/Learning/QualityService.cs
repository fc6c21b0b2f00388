using EduLoop.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Learning;

/// <summary>
/// A question's quality as the editor shows it: the flags its answers raise, each with its evidence,
/// which of them a teacher dismissed, and how many answers there are so far.
/// </summary>
public sealed record QualityReport(
    IReadOnlyList<QualityFinding> Open, IReadOnlyList<QualityFinding> Dismissed, int Responses, int QuizShown, int Pairs)
{
    public static readonly QualityReport Empty = new([], [], 0, 0, 0);
}

/// <summary>Reads a question's quality flags and lets a teacher dismiss one (kept until the question's content changes).</summary>
public sealed class QualityService(IDbContextFactory<EduLoopDbContext> contextFactory, TimeProvider clock)
{
    /// <summary>The flags of the question's current content, with their evidence; empty before any answer or after a change.</summary>
    public async Task<QualityReport> GetAsync(int questionId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var question = await db.Questions.AsNoTracking().Where(q => q.Id == questionId)
            .Select(q => new { q.Type, q.Body, q.ContentHash }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("No such question.");
        var sums = await db.QuestionQualities.AsNoTracking().FirstOrDefaultAsync(q => q.QuestionId == questionId, cancellationToken);
        if (sums is null || sums.ContentHash != question.ContentHash)
        {
            return QualityReport.Empty;
        }

        var findings = QualityRules.Findings(sums, question.Type, question.Body);
        return new QualityReport(
            findings.Where(f => !sums.Dismissed.HasFlag(f.Flag)).ToList(),
            findings.Where(f => sums.Dismissed.HasFlag(f.Flag)).ToList(),
            sums.Responses, sums.QuizShown, sums.Pairs);
    }

    /// <summary>
    /// Dismisses <paramref name="flag"/> for the question as it reads now: it leaves "Needs review" and
    /// stays dismissed until the question's text, options or type change.
    /// </summary>
    /// <exception cref="NotFoundException">No such question.</exception>
    /// <exception cref="DomainValidationException">Not a single flag, or the question does not have it.</exception>
    public async Task DismissAsync(int questionId, QualityFlags flag, CancellationToken cancellationToken = default)
    {
        if (flag == QualityFlags.None || (flag & (flag - 1)) != 0 || !Enum.IsDefined(flag))
        {
            throw new DomainValidationException("flag", "Choose one flag to dismiss.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var hash = await db.Questions.Where(q => q.Id == questionId).Select(q => (long?)q.ContentHash).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("No such question.");
        // One statement, so a concurrent answer's count is neither lost nor undone.
        var changed = await db.QuestionQualities
            .Where(q => q.QuestionId == questionId && q.ContentHash == hash && (q.Flags & flag) != QualityFlags.None)
            .ExecuteUpdateAsync(u => u
                .SetProperty(q => q.Dismissed, q => q.Dismissed | flag)
                .SetProperty(q => q.OpenFlags, q => q.OpenFlags & ~flag)
                .SetProperty(q => q.UpdatedAt, clock.GetUtcNow().UtcDateTime), cancellationToken);
        if (changed == 0)
        {
            throw new DomainValidationException("flag", "The question does not have this flag (any more).");
        }
    }
}
