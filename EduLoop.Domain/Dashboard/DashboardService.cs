using EduLoop.Domain.Data;
using EduLoop.Domain.QuestionBank;

using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Dashboard;

/// <summary>The counts of the original service's <c>/api/dashboard/</c>.</summary>
public sealed record BankCounts(
    int Groups, int Subjects, int Categories, int SubCategories, int Questions, int AccessKeys, int Users);

public sealed record TypeCount(QuestionType Type, int Count);

public sealed record NamedCount(string Name, int Count);

public sealed record LevelCount(QuestionLevel Level, int Count);

public sealed record RecentQuestion(int Id, string Title, QuestionType Type, string Subject, DateTime UpdatedAt, string? Author);

/// <summary>The bank's figures for the home pages; the grouped counts are kept until the next write.</summary>
public sealed class DashboardService(IDbContextFactory<EduLoopDbContext> contextFactory, Querying.CountCache cache)
{
    public async Task<BankCounts> GetCountsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return new BankCounts(
            await db.Groups.CountAsync(cancellationToken),
            await db.Subjects.CountAsync(cancellationToken),
            await db.Categories.CountAsync(cancellationToken),
            await db.SubCategories.CountAsync(cancellationToken),
            await new Querying.CountFilter().CountAsync(db, cancellationToken),
            await db.AccessKeys.CountAsync(cancellationToken),
            await db.Users.CountAsync(cancellationToken));
    }

    /// <summary>Questions per type, every type listed (zero where the bank has none).</summary>
    public Task<IReadOnlyList<TypeCount>> GetQuestionsPerTypeAsync(CancellationToken cancellationToken = default) =>
        cache.GetOrLoadAsync<IReadOnlyList<TypeCount>>("dashboard-types", async () =>
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var counts = await Querying.QuestionCountsBy.CountAsync(db, "Type", cancellationToken: cancellationToken);
            return Enum.GetValues<QuestionType>().Select(t => new TypeCount(t, counts.GetValueOrDefault((int)t))).ToList();
        });

    /// <summary>Questions per level, every level listed.</summary>
    public Task<IReadOnlyList<LevelCount>> GetQuestionsPerLevelAsync(CancellationToken cancellationToken = default) =>
        cache.GetOrLoadAsync<IReadOnlyList<LevelCount>>("dashboard-levels", async () =>
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var counts = await Querying.QuestionCountsBy.CountAsync(db, "Level", cancellationToken: cancellationToken);
            return Enum.GetValues<QuestionLevel>().Select(l => new LevelCount(l, counts.GetValueOrDefault((int)l))).ToList();
        });

    /// <summary>The subjects with the most questions, most first.</summary>
    public Task<IReadOnlyList<NamedCount>> GetQuestionsPerSubjectAsync(int max = 12, CancellationToken cancellationToken = default) =>
        cache.GetOrLoadAsync<IReadOnlyList<NamedCount>>($"dashboard-subjects-{max}", async () =>
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var counts = (await Querying.QuestionCountsBy.CountAsync(db, "SubjectId", cancellationToken: cancellationToken))
                .OrderByDescending(c => c.Value).ThenBy(c => c.Key).Take(max)
                .Select(c => new { c.Key, Count = c.Value }).ToList();
            var ids = counts.Select(c => c.Key).ToList();
            var names = await db.Subjects.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
            return counts.Select(c => new NamedCount(names.GetValueOrDefault(c.Key, "?"), c.Count)).ToList();
        });

    /// <summary>The questions edited last, newest first.</summary>
    public async Task<IReadOnlyList<RecentQuestion>> GetRecentlyEditedAsync(int count = 8, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Questions.AsNoTracking().OrderByDescending(q => q.UpdatedAt).ThenByDescending(q => q.Id).Take(count)
            .Select(q => new RecentQuestion(q.Id, q.Title, q.Type, q.Category!.Subject!.Name, q.UpdatedAt,
                db.Users.Where(u => u.Id == q.CreatedById).Select(u => u.DisplayName).FirstOrDefault()))
            .ToListAsync(cancellationToken);
    }
}
