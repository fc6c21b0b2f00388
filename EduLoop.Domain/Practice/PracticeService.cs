using System.Security.Cryptography;
using EduLoop.Domain.Data;
using EduLoop.Domain.QuestionBank;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Practice;

/// <summary>What a practice session is drawn from. Subcategories win over categories when both are given.</summary>
public sealed record PracticeFilter(int GroupId, int SubjectId, IReadOnlyList<int> CategoryIds, IReadOnlyList<int> SubCategoryIds, IReadOnlyList<QuestionLevel> Levels);

public sealed record PracticeStep(string SessionId, QuestionRecord? Question);

public sealed class PracticeSessionNotFoundException() : Exception("No active practice session.");

/// <summary>
/// Practice sessions: random questions from a filter, in batches of <see cref="BatchSize"/>, never
/// the same one twice in a session. Small pools are shuffled whole; large ones are sampled by random
/// id probes, so a million-question bank is never sorted at random.
/// </summary>
public sealed class PracticeService(IDbContextFactory<EduLoopDbContext> contextFactory, QuestionService questions, TimeProvider clock)
{
    public const int BatchSize = 50;

    /// <summary>Pools up to this size are read whole and shuffled; larger ones are probed.</summary>
    internal int ShufflePoolLimit { get; init; } = 5_000;

    public async Task<PracticeStep> StartAsync(PracticeFilter filter, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var session = new PracticeSession
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            GroupId = filter.GroupId,
            SubjectId = filter.SubjectId,
            CategoryIds = [.. filter.CategoryIds],
            SubCategoryIds = [.. filter.SubCategoryIds],
            Levels = filter.Levels.Select(l => (int)l).ToList(),
            CreatedAt = now,
            ExpiresAt = now + PracticeSession.Lifetime,
        };
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await db.PracticeSessions.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        db.PracticeSessions.Add(session);
        var question = await NextAsync(db, session, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new PracticeStep(session.Id, question);
    }

    /// <summary>The next unseen question; null when the session has shown every question of its filter.</summary>
    public async Task<PracticeStep> NextAsync(string? sessionId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var session = await FindAsync(db, sessionId, cancellationToken);
        var question = await NextAsync(db, session, cancellationToken);
        session.ExpiresAt = clock.GetUtcNow().UtcDateTime + PracticeSession.Lifetime;
        await db.SaveChangesAsync(cancellationToken);
        return new PracticeStep(session.Id, question);
    }

    public async Task EndAsync(string? sessionId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var session = await FindAsync(db, sessionId, cancellationToken);
        db.PracticeSessions.Remove(session);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<PracticeSession> FindAsync(EduLoopDbContext db, string? sessionId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return string.IsNullOrEmpty(sessionId) || sessionId.Length > 64
            ? throw new PracticeSessionNotFoundException()
            : await db.PracticeSessions.FirstOrDefaultAsync(s => s.Id == sessionId && s.ExpiresAt > now, cancellationToken)
                ?? throw new PracticeSessionNotFoundException();
    }

    private async Task<QuestionRecord?> NextAsync(EduLoopDbContext db, PracticeSession session, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (session.Queue.Count == 0)
            {
                var batch = await DrawAsync(db, session, cancellationToken);
                if (batch.Count == 0)
                {
                    return null;
                }

                session.Queue = batch;
                session.Drawn = [.. session.Drawn, .. batch];
            }

            var id = session.Queue[0];
            session.Queue = session.Queue.Skip(1).ToList();
            try
            {
                return await questions.GetAsync(id, cancellationToken);
            }
            catch (NotFoundException)
            {
                // Deleted since it was drawn: take the next one.
            }
        }
    }

    private static IQueryable<QuestionBank.Question> Pool(EduLoopDbContext db, PracticeSession session)
    {
        var pool = db.Questions.AsNoTracking().Where(q => q.GroupId == session.GroupId && q.SubjectId == session.SubjectId && !q.IsArchived
            && q.Type != QuestionType.Description);
        if (session.SubCategoryIds.Count > 0)
        {
            var ids = session.SubCategoryIds;
            pool = pool.Where(q => q.SubCategoryId != null && ids.Contains(q.SubCategoryId.Value));
        }
        else if (session.CategoryIds.Count > 0)
        {
            var ids = session.CategoryIds;
            pool = pool.Where(q => ids.Contains(q.CategoryId));
        }

        if (session.Levels.Count > 0)
        {
            var levels = session.Levels.Select(l => (QuestionLevel)l).ToList();
            pool = pool.Where(q => levels.Contains(q.Level));
        }

        return pool;
    }

    private async Task<List<int>> DrawAsync(EduLoopDbContext db, PracticeSession session, CancellationToken cancellationToken)
    {
        var pool = Pool(db, session);
        var drawn = session.Drawn.ToHashSet();
        var size = await pool.CountAsync(cancellationToken);
        if (size - drawn.Count <= 0)
        {
            return [];
        }

        if (size <= ShufflePoolLimit)
        {
            return await ShuffledAsync(pool, drawn, cancellationToken);
        }

        // Random probes into the id range: each finds the first pool question at or after a random
        // id, a single index seek; repeats and already drawn ones are skipped.
        var bounds = await pool.GroupBy(_ => 1).Select(g => new { Min = g.Min(q => q.Id), Max = g.Max(q => q.Id) }).FirstAsync(cancellationToken);
        var batch = new List<int>(BatchSize);
        for (var probe = 0; probe < BatchSize * 8 && batch.Count < BatchSize; probe++)
        {
            var start = Random.Shared.Next(bounds.Min, bounds.Max + 1);
            var id = await pool.Where(q => q.Id >= start).OrderBy(q => q.Id).Select(q => (int?)q.Id).FirstOrDefaultAsync(cancellationToken)
                ?? await pool.OrderBy(q => q.Id).Select(q => (int?)q.Id).FirstOrDefaultAsync(cancellationToken);
            if (id is { } found && !drawn.Contains(found) && !batch.Contains(found))
            {
                batch.Add(found);
            }
        }

        // Late in a long session most probes hit questions already shown: read the rest instead.
        return batch.Count > 0 ? batch : await ShuffledAsync(pool, drawn, cancellationToken);
    }

    private static async Task<List<int>> ShuffledAsync(IQueryable<QuestionBank.Question> pool, HashSet<int> drawn, CancellationToken cancellationToken)
    {
        var ids = (await pool.Select(q => q.Id).ToListAsync(cancellationToken)).Where(id => !drawn.Contains(id)).ToArray();
        Random.Shared.Shuffle(ids);
        return ids.Take(BatchSize).ToList();
    }
}
