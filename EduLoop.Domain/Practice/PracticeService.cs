using System.Security.Cryptography;
using EduLoop.Domain.Caching;
using EduLoop.Domain.Data;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Practice;

/// <summary>What a practice session is drawn from. Subcategories win over categories when both are given.</summary>
public sealed record PracticeFilter(int GroupId, int SubjectId, IReadOnlyList<int> CategoryIds, IReadOnlyList<int> SubCategoryIds, IReadOnlyList<QuestionLevel> Levels);

public sealed record PracticeStep(string SessionId, QuestionRecord? Question);

public sealed class PracticeSessionNotFoundException() : Exception("No active practice session.");

/// <summary>
/// Practice sessions: random questions from a filter, in batches of <see cref="BatchSize"/>, never
/// the same one twice in a session. The ids of a filter's questions are kept in the cache until a
/// question joins or leaves the filter (<see cref="DataTags.Pools"/>); a batch is picked from them at
/// random and checked against the bank and the learner's quiz holds in one read of a few dozen rows,
/// so a session's start neither sorts a million-question bank at random nor probes it id by id.
/// </summary>
public sealed partial class PracticeService(
    IDbContextFactory<EduLoopDbContext> contextFactory, QuestionService questions, TaggedCache cache, TimeProvider clock, Learning.ReviewRecorder recorder)
{
    public const int BatchSize = 50;

    /// <summary>
    /// Starts a session for <paramref name="learner"/>; its oldest live session ends when it would
    /// have more than <see cref="PracticeSession.MaxLivePerLearner"/>.
    /// </summary>
    /// <exception cref="AttemptInProgressException">The learner is taking a quiz.</exception>
    /// <exception cref="QuestionBank.ValidationErrors">The filter names a place that does not exist or is not in the subject.</exception>
    public async Task<PracticeStep> StartAsync(Learner learner, PracticeFilter filter, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await EnsureNoAttemptAsync(db, learner, now, cancellationToken);
        await CheckFilterAsync(db, filter, cancellationToken);
        var session = new PracticeSession
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            Owner = learner.Owner,
            GroupId = filter.GroupId,
            SubjectId = filter.SubjectId,
            CategoryIds = [.. filter.CategoryIds],
            SubCategoryIds = [.. filter.SubCategoryIds],
            Levels = filter.Levels.Select(l => (int)l).ToList(),
            CreatedAt = now,
            ExpiresAt = now + PracticeSession.Lifetime,
        };
        await EndOldSessionsAsync(db, learner, now, cancellationToken);
        db.PracticeSessions.Add(session);
        var hold = await QuizHold.ForAsync(db, learner, now, cancellationToken);
        var question = await NextAsync(db, session, hold, cancellationToken);
        Show(session, question, now);
        await SaveStepAsync(db, cancellationToken);
        return new PracticeStep(session.Id, question);
    }

    private static void Show(PracticeSession session, QuestionRecord? question, DateTime now) =>
        (session.CurrentQuestionId, session.ShownAt) = (question?.Id, question is null ? null : now);

    /// <summary>
    /// Saves a session's step. A step is not an answer: one lost to a power cut shows a question again.
    /// On SQLite its commit skips the disk flush (<c>synchronous=NORMAL</c>, which in WAL mode keeps the
    /// database consistent and loses at most the last commits on a power cut), so the answer saves,
    /// which do wait for the disk, do not queue behind practice flushes for SQLite's write lock. The
    /// connection goes back to <c>FULL</c> before it is closed, and every open sets <c>FULL</c> again
    /// (<see cref="SqlitePragmaInterceptor"/>).
    /// </summary>
    private static async Task SaveStepAsync(EduLoopDbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite())
        {
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL;", cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=FULL;", CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The next unseen question of the learner's session; null when it has shown every question of its filter.</summary>
    /// <exception cref="PracticeSessionNotFoundException">No live session of this learner has that id.</exception>
    /// <exception cref="AttemptInProgressException">The learner is taking a quiz.</exception>
    public async Task<PracticeStep> NextAsync(Learner learner, string? sessionId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await NextAsync(db, learner, await FindAsync(db, learner, sessionId, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The next question of a session named by its id alone, as the original's clients ask for it without
    /// credentials: the id (128 random bits) is the credential, and the session's owner is the learner,
    /// so their quizzes hold back the same questions.
    /// </summary>
    /// <exception cref="PracticeSessionNotFoundException">No live session has that id.</exception>
    public async Task<PracticeStep> NextAsync(string? sessionId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var session = await FindAsync(db, null, sessionId, cancellationToken);
        return await NextAsync(db, await OwnerAsync(db, session.Owner, cancellationToken), session, cancellationToken);
    }

    private async Task<PracticeStep> NextAsync(EduLoopDbContext db, Learner learner, PracticeSession session, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await EnsureNoAttemptAsync(db, learner, now, cancellationToken);
        var hold = await QuizHold.ForAsync(db, learner, now, cancellationToken);
        var question = await NextAsync(db, session, hold, cancellationToken);
        Show(session, question, now);
        session.ExpiresAt = now + PracticeSession.Lifetime;
        await SaveStepAsync(db, cancellationToken);
        return new PracticeStep(session.Id, question);
    }

    public async Task EndAsync(Learner learner, string? sessionId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var session = await FindAsync(db, learner, sessionId, cancellationToken);
        db.PracticeSessions.Remove(session);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// A question the learner may check an answer to (and so read the key of): not one an open quiz
    /// of their classes holds, and never while they are taking a quiz.
    /// </summary>
    /// <exception cref="NotFoundException">No such question.</exception>
    /// <exception cref="QuestionHeldException">An open or upcoming quiz of the learner's classes can show it.</exception>
    /// <exception cref="AttemptInProgressException">The learner is taking a quiz.</exception>
    public async Task<QuestionRecord> CheckableAsync(Learner learner, int questionId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            await EnsureNoAttemptAsync(db, learner, now, cancellationToken);
            var hold = await QuizHold.ForAsync(db, learner, now, cancellationToken);
            if (!hold.IsEmpty && !await hold.Exclude(db.Questions.Where(q => q.Id == questionId)).AnyAsync(cancellationToken)
                && await db.Questions.AnyAsync(q => q.Id == questionId, cancellationToken))
            {
                throw new QuestionHeldException();
            }
        }

        return await questions.GetAsync(questionId, cancellationToken);
    }

    /// <summary>The attempt the learner is taking now, if any: practice waits until it is submitted.</summary>
    public async Task<int?> AttemptInProgressAsync(Learner learner, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await AttemptInProgressAsync(db, learner, clock.GetUtcNow().UtcDateTime, cancellationToken);
    }

    private static async Task EnsureNoAttemptAsync(EduLoopDbContext db, Learner learner, DateTime now, CancellationToken cancellationToken)
    {
        if (await AttemptInProgressAsync(db, learner, now, cancellationToken) is { } id)
        {
            throw new AttemptInProgressException(id);
        }
    }

    /// <summary>A student's attempt still running at <paramref name="now"/>; one past its deadline is as good as submitted (the overdue service is about to).</summary>
    private static async Task<int?> AttemptInProgressAsync(EduLoopDbContext db, Learner learner, DateTime now, CancellationToken cancellationToken) =>
        learner.Kind != LearnerKind.Student ? null : await RunningAttempt.For(db)(db, learner.Id, now, cancellationToken);

    /// <summary>The id of a student's attempt still running at <c>now</c>, compiled once: every practice step and answer check of a student asks it.</summary>
    internal static readonly CompiledPerProvider<Func<EduLoopDbContext, string, DateTime, CancellationToken, Task<int?>>> RunningAttempt = new(() => EF.CompileAsyncQuery(
        (EduLoopDbContext db, string studentId, DateTime now, CancellationToken cancellationToken) => db.Attempts
            .Where(a => a.StudentId == studentId && a.State == AttemptState.InProgress && (a.Deadline == null || a.Deadline > now))
            .Select(a => (int?)a.Id).FirstOrDefault()));

    /// <summary>Every category and subcategory exists and is in the subject; the lists are not too long.</summary>
    private static async Task CheckFilterAsync(EduLoopDbContext db, PracticeFilter filter, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, IReadOnlyList<string>>();
        if (filter.CategoryIds.Count > PracticeSession.MaxFilterIds)
        {
            errors["category_ids"] = [$"Ensure this field has no more than {PracticeSession.MaxFilterIds} elements."];
        }

        if (filter.SubCategoryIds.Count > PracticeSession.MaxFilterIds)
        {
            errors["subcategory_ids"] = [$"Ensure this field has no more than {PracticeSession.MaxFilterIds} elements."];
        }

        if (errors.Count == 0)
        {
            // A group or subject that does not exist is an empty selection, as the original's was.
            var categoryIds = filter.CategoryIds;
            if (categoryIds.Count > 0
                && await db.Categories.CountAsync(c => categoryIds.Contains(c.Id) && c.SubjectId == filter.SubjectId, cancellationToken) != categoryIds.Count)
            {
                errors["category_ids"] = ["Every category must exist and belong to the subject."];
            }

            var subCategoryIds = filter.SubCategoryIds;
            if (subCategoryIds.Count > 0
                && await db.SubCategories.CountAsync(s => subCategoryIds.Contains(s.Id) && s.SubjectId == filter.SubjectId, cancellationToken) != subCategoryIds.Count)
            {
                errors["subcategory_ids"] = ["Every subcategory must exist and belong to the subject."];
            }
        }

        if (errors.Count > 0)
        {
            throw new ValidationErrors(errors);
        }
    }

    /// <summary>A live session by its id; when <paramref name="learner"/> is given, only one of theirs.</summary>
    private async Task<PracticeSession> FindAsync(EduLoopDbContext db, Learner? learner, string? sessionId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var owner = learner?.Owner;
        return string.IsNullOrEmpty(sessionId) || sessionId.Length > 64
            ? throw new PracticeSessionNotFoundException()
            : await LiveSession.For(db)(db, sessionId, owner, now, cancellationToken) ?? throw new PracticeSessionNotFoundException();
    }

    /// <summary>
    /// A live session by its id (of <c>owner</c> when given), tracked: the step that reads it moves its
    /// queue and expiry. Compiled once, as every practice step reads it.
    /// </summary>
    internal static readonly CompiledPerProvider<Func<EduLoopDbContext, string, string?, DateTime, CancellationToken, Task<PracticeSession?>>> LiveSession = new(() => EF.CompileAsyncQuery(
        (EduLoopDbContext db, string sessionId, string? owner, DateTime now, CancellationToken cancellationToken) =>
            db.PracticeSessions.FirstOrDefault(s => s.Id == sessionId && (owner == null || s.Owner == owner) && s.ExpiresAt > now)));

    /// <summary>The learner a session's owner stands for: an access key, or an account (staff or student by its role).</summary>
    private static async Task<Learner> OwnerAsync(EduLoopDbContext db, string owner, CancellationToken cancellationToken)
    {
        if (owner.StartsWith("key:", StringComparison.Ordinal))
        {
            return Learner.WithAccessKey(owner["key:".Length..]);
        }

        var userId = owner["user:".Length..];
        return await IsStaff.For(db)(db, userId, cancellationToken) ? Learner.Staff(userId) : Learner.Student(userId);
    }

    /// <summary>Whether an account is a teacher or an admin, compiled once: every step of a session asked for by its id alone asks it.</summary>
    internal static readonly CompiledPerProvider<Func<EduLoopDbContext, string, CancellationToken, Task<bool>>> IsStaff = new(() => EF.CompileAsyncQuery(
        (EduLoopDbContext db, string userId, CancellationToken cancellationToken) =>
            db.UserRoles.Any(r => r.UserId == userId && (r.RoleId == "admin" || r.RoleId == "teacher"))));

    private async Task<QuestionRecord?> NextAsync(EduLoopDbContext db, PracticeSession session, QuizHold hold, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (session.Queue.Count == 0)
            {
                var batch = await DrawAsync(db, session, hold, cancellationToken);
                if (batch.Count == 0)
                {
                    return null;
                }

                session.Queue = batch;
                session.Drawn = [.. session.Drawn, .. batch];
            }

            var id = session.Queue[0];
            session.Queue = session.Queue.Skip(1).ToList();
            // Drawn before a quiz that holds it opened: skipped, as a deleted one is.
            if (!hold.IsEmpty && !await hold.Exclude(db.Questions.Where(q => q.Id == id)).AnyAsync(cancellationToken))
            {
                continue;
            }

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

    private static IQueryable<QuestionBank.Question> Pool(EduLoopDbContext db, PracticeSession session, QuizHold hold)
    {
        var pool = db.Questions.AsNoTracking().Where(q => !q.IsArchived && q.Type != QuestionType.Description);
        if (session.Mode == PracticeMode.Due)
        {
            var subjectIds = session.SubjectIds;
            return hold.Exclude(pool.Where(q => subjectIds.Contains(q.SubjectId)));
        }

        pool = pool.Where(q => q.GroupId == session.GroupId && q.SubjectId == session.SubjectId);
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

        return hold.Exclude(pool);
    }

    private async Task<List<int>> DrawAsync(EduLoopDbContext db, PracticeSession session, QuizHold hold, CancellationToken cancellationToken)
    {
        var pool = Pool(db, session, hold);
        if (session.Mode == PracticeMode.Due)
        {
            var due = await DueBatchAsync(db, session, pool, cancellationToken);
            if (due.Count > 0)
            {
                return due;
            }

            // Nothing due: questions the student has never answered.
            var studentId = StudentOf(session);
            pool = pool.Where(q => !db.ReviewStates.Any(s => s.StudentId == studentId && s.QuestionId == q.Id));
        }

        var members = await MembersAsync(session, cancellationToken);
        var drawn = session.Drawn.ToHashSet();
        var offered = new HashSet<int>();
        var batch = new List<int>(BatchSize);
        for (var round = 0; round < 4 && batch.Count < BatchSize; round++)
        {
            var need = BatchSize - batch.Count;
            // A few more than needed: a quiz may hold some back.
            var candidates = Pick(members, id => !drawn.Contains(id) && !offered.Contains(id), need + (need / 2) + 1);
            if (candidates.Count == 0)
            {
                break;
            }

            offered.UnionWith(candidates);
            var found = (await pool.Where(q => EF.Parameter(candidates).Contains(q.Id)).Select(q => q.Id).ToListAsync(cancellationToken)).ToHashSet();
            batch.AddRange(candidates.Where(found.Contains).Take(need));
        }

        // A quiz holds back nearly all that is left: read what remains instead.
        return batch.Count > 0 || offered.Count == 0 ? batch : await ShuffledAsync(pool, drawn, cancellationToken);
    }

    private static readonly string[] PoolTags = [DataTags.Pools, DataTags.Taxonomy];

    /// <summary>
    /// The ids of the questions the session's filter takes (quiz holds aside), kept until a question
    /// joins or leaves a pool: an edit of a question's text keeps them.
    /// </summary>
    private ValueTask<int[]> MembersAsync(PracticeSession session, CancellationToken cancellationToken)
    {
        var key = string.Join('|', "practice-pool", session.Mode, string.Join(',', session.SubjectIds.Order()), session.GroupId, session.SubjectId,
            string.Join(',', session.CategoryIds.Order()), string.Join(',', session.SubCategoryIds.Order()), string.Join(',', session.Levels.Order()));
        // Its own context: readers waiting on the same load must not depend on the first one's request.
        return cache.GetOrLoadAsync(key, PoolTags, async token =>
        {
            await using var own = await contextFactory.CreateDbContextAsync(token);
            return await Pool(own, session, QuizHold.None).Select(q => q.Id).ToArrayAsync(token);
        }, cancellationToken);
    }

    /// <summary>
    /// Up to <paramref name="count"/> of <paramref name="members"/> that <paramref name="free"/> takes,
    /// each as likely as any other, in random order: random picks while most are free, then the free
    /// ones that are left, shuffled.
    /// </summary>
    private static List<int> Pick(int[] members, Func<int, bool> free, int count)
    {
        var picked = new List<int>(count);
        if (members.Length == 0)
        {
            return picked;
        }

        var seen = new HashSet<int>();
        for (var tries = 0; tries < count * 4 && picked.Count < count; tries++)
        {
            var id = members[Random.Shared.Next(members.Length)];
            if (seen.Add(id) && free(id))
            {
                picked.Add(id);
            }
        }

        if (picked.Count < count)
        {
            // Every free one already seen is picked.
            var rest = members.Where(id => !seen.Contains(id) && free(id)).ToArray();
            Random.Shared.Shuffle(rest);
            picked.AddRange(rest.Take(count - picked.Count));
        }

        return picked;
    }

    private static async Task<List<int>> ShuffledAsync(IQueryable<QuestionBank.Question> pool, HashSet<int> drawn, CancellationToken cancellationToken)
    {
        var ids = (await pool.Select(q => q.Id).ToListAsync(cancellationToken)).Where(id => !drawn.Contains(id)).ToArray();
        Random.Shared.Shuffle(ids);
        return ids.Take(BatchSize).ToList();
    }
}
