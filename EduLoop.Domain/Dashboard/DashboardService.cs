using EduLoop.Domain.Data;
using EduLoop.Domain.QuestionBank;

using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Dashboard;

/// <summary>The counts of the original service's <c>/api/dashboard/</c>.</summary>
public sealed record BankCounts(
    int Groups, int Subjects, int Categories, int SubCategories, int Questions, int AccessKeys, int Users);

public sealed record TypeCount(QuestionType Type, int Count);

public sealed class DashboardService(IDbContextFactory<EduLoopDbContext> contextFactory)
{
    public async Task<BankCounts> GetCountsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return new BankCounts(
            await db.Groups.CountAsync(cancellationToken),
            await db.Subjects.CountAsync(cancellationToken),
            await db.Categories.CountAsync(cancellationToken),
            await db.SubCategories.CountAsync(cancellationToken),
            await db.Questions.CountAsync(cancellationToken),
            await db.AccessKeys.CountAsync(cancellationToken),
            await db.Users.CountAsync(cancellationToken));
    }

    /// <summary>Questions per type, every type listed (zero where the bank has none).</summary>
    public async Task<IReadOnlyList<TypeCount>> GetQuestionsPerTypeAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var counts = await db.Questions.AsNoTracking()
            .GroupBy(q => q.Type)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return Enum.GetValues<QuestionType>()
            .Select(t => new TypeCount(t, counts.GetValueOrDefault(t)))
            .ToList();
    }
}
