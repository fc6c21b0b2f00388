using System.Collections.Concurrent;
using System.Threading.Channels;
using EduLoop.Domain.Data;
using EduLoop.Domain.QuestionBank;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EduLoop.Domain.Learning;

/// <summary>One graded answer to learn from: whose, which question, when, how it was marked and rated, and where it was given.</summary>
/// <param name="Rest">For a quiz answer, the mark of the attempt's other marked questions as a fraction (the question's discrimination is read against it).</param>
/// <param name="Chosen">The options it picked, for a choice question.</param>
/// <param name="Blank">A quiz question left blank: counted for the question's quality only, not a review.</param>
public sealed record GradedAnswer(
    string StudentId, int QuestionId, QuestionType Type, DateTime AnsweredAt, AnswerCheck Check, Rating Rating, ReviewSource Source,
    string? SessionId = null, int? AttemptId = null, string? Response = null, int? TimeTakenMs = null,
    double? Rest = null, IReadOnlyList<string>? Chosen = null, bool Blank = false);

/// <summary>
/// The single writer of memory states, built as <see cref="Quizzes.AnswerWriter"/> is: graded answers
/// queue up while a commit is on its way to disk, and the next commit takes all of them (group
/// commit). Each answer moves its student's <see cref="ReviewState"/> on by the
/// <see cref="ReviewScheduler"/>, is kept as a <see cref="ReviewLog"/> and is counted in its question's
/// <see cref="QuestionQuality"/>; its caller hears back only after that is durable, so a practice
/// answer the student saw acknowledged is never lost.
/// </summary>
/// <remarks>
/// One writer per server keeps a student's answers in order. Two servers may both add a state for the
/// same student and question at once; the loser's group is read and written again.
/// </remarks>
public sealed class ReviewRecorder : IAsyncDisposable
{
    /// <summary>At most this many answers share one commit.</summary>
    public const int MaxGroup = 256;

    /// <summary>The desired retention of a student in no class.</summary>
    public const double DefaultRetention = 0.9;

    /// <summary>The desired retention a class may choose, at least and at most.</summary>
    public const double MinimumRetention = 0.7, MaximumRetention = 0.97;

    private readonly IDbContextFactory<EduLoopDbContext> contextFactory;
    private readonly ILogger logger;
    private readonly Channel<Pending> queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(50_000) { SingleReader = true });
    private readonly Task loop;
    private static readonly ConcurrentDictionary<double, ReviewScheduler> Schedulers = new();

    public ReviewRecorder(IDbContextFactory<EduLoopDbContext> contextFactory, ILogger<ReviewRecorder>? logger = null)
    {
        this.contextFactory = contextFactory;
        this.logger = logger ?? NullLogger<ReviewRecorder>.Instance;
        loop = Task.Run(RunAsync);
    }

    /// <summary>The scheduler that aims at <paramref name="desiredRetention"/>, with the default model and steps.</summary>
    public static ReviewScheduler SchedulerFor(double desiredRetention) => Schedulers.GetOrAdd(desiredRetention, r => new ReviewScheduler(
        MemoryModel.Default, r, ReviewScheduler.Default.LearningSteps, ReviewScheduler.Default.RelearningSteps));

    /// <summary>Records the answers and returns once they are committed (answers of deleted questions or accounts are dropped).</summary>
    public async Task RecordAsync(IReadOnlyList<GradedAnswer> answers, CancellationToken cancellationToken = default)
    {
        if (answers.Count == 0)
        {
            return;
        }

        var pending = new Pending(answers, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await queue.Writer.WriteAsync(pending, cancellationToken);
        // Once queued it is written even if the caller gives up.
        await pending.Done.Task;
    }

    public Task RecordAsync(GradedAnswer answer, CancellationToken cancellationToken = default) => RecordAsync([answer], cancellationToken);

    private async Task RunAsync()
    {
        var group = new List<Pending>();
        while (await queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            var count = 0;
            while (count < MaxGroup && queue.Reader.TryRead(out var next))
            {
                group.Add(next);
                count += next.Answers.Count;
            }

            await WriteGroupAsync(group);
        }
    }

    private async Task WriteGroupAsync(List<Pending> group)
    {
        var answers = group.SelectMany(p => p.Answers).ToList();
        for (var round = 1; ; round++)
        {
            try
            {
                await using var db = await contextFactory.CreateDbContextAsync();
                await using var transaction = await db.Database.BeginTransactionAsync(SqlDialect.Of(db).AnswerIsolation);
                await ApplyAsync(db, answers, CancellationToken.None);
                await db.SaveChangesAsync();
                await transaction.CommitAsync();
                break;
            }
            catch (Exception e) when (round < 3 && e is DbUpdateException)
            {
                logger.LogInformation(e, "A group of {Count} graded answers met a concurrent write; writing it again", answers.Count);
            }
            catch (Exception e)
            {
                logger.LogError(e, "A group of {Count} graded answers failed; none of them was acknowledged", answers.Count);
                foreach (var pending in group)
                {
                    pending.Done.TrySetException(e);
                }

                return;
            }
        }

        foreach (var pending in group)
        {
            pending.Done.TrySetResult();
        }
    }

    /// <summary>
    /// Moves the states of <paramref name="answers"/>'s students on, in the answers' order, and adds
    /// their logs to <paramref name="db"/> (the caller saves). Answers of a question or account that no
    /// longer exists are left out.
    /// </summary>
    internal static async Task ApplyAsync(EduLoopDbContext db, IReadOnlyList<GradedAnswer> answers, CancellationToken cancellationToken)
    {
        var studentIds = answers.Select(a => a.StudentId).Distinct().ToList();
        var questionIds = answers.Select(a => a.QuestionId).Distinct().ToList();
        var questions = await db.Questions.Where(q => questionIds.Contains(q.Id))
            .Select(q => new QuestionContent(q.Id, q.Type, q.Body, q.ContentHash)).ToDictionaryAsync(q => q.Id, cancellationToken);
        var students = (await db.Users.Where(u => studentIds.Contains(u.Id)).Select(u => u.Id).ToListAsync(cancellationToken)).ToHashSet();
        var retention = await db.ClassMemberships.Where(m => studentIds.Contains(m.UserId))
            .GroupBy(m => m.UserId).Select(g => new { g.Key, Retention = g.Max(m => m.SchoolClass!.DesiredRetention) })
            .ToDictionaryAsync(r => r.Key, r => r.Retention, cancellationToken);
        var states = (await db.ReviewStates.Where(s => studentIds.Contains(s.StudentId) && questionIds.Contains(s.QuestionId)).ToListAsync(cancellationToken))
            .ToDictionary(s => (s.StudentId, s.QuestionId));
        var kept = answers.Where(a => questions.ContainsKey(a.QuestionId) && students.Contains(a.StudentId)).ToList();
        await CountQualityAsync(db, kept, questions, cancellationToken);
        foreach (var answer in kept.Where(a => !a.Blank))
        {
            var scheduler = SchedulerFor(Math.Clamp(retention.GetValueOrDefault(answer.StudentId, DefaultRetention), MinimumRetention, MaximumRetention));
            var at = DateTime.SpecifyKind(answer.AnsweredAt, DateTimeKind.Utc);
            if (!states.TryGetValue((answer.StudentId, answer.QuestionId), out var state))
            {
                state = new ReviewState { StudentId = answer.StudentId, QuestionId = answer.QuestionId };
                states[(answer.StudentId, answer.QuestionId)] = state;
                db.ReviewStates.Add(state);
            }

            var before = state.Reviews == 0 ? ReviewSchedule.New(at) : state.ToSchedule();
            var after = scheduler.Review(before, answer.Rating, at);
            state.Lapses += before.Phase == LearningPhase.Review && answer.Rating == Rating.Again ? 1 : 0;
            state.Reviews++;
            (state.Phase, state.Step, state.Stability, state.Difficulty, state.LastReview, state.Due) =
                (after.Phase, after.Step, after.Memory!.Stability, after.Memory.Difficulty, at, after.Due);
            db.ReviewLogs.Add(new ReviewLog
            {
                StudentId = answer.StudentId,
                QuestionId = answer.QuestionId,
                Type = answer.Type,
                ReviewedAt = at,
                Rating = answer.Rating,
                Source = answer.Source,
                SessionId = answer.SessionId,
                AttemptId = answer.AttemptId,
                Response = answer.Response,
                Score = (double)Math.Clamp(answer.Check.Score, 0m, 1m),
                Correct = answer.Check.Correct,
                TimeTakenMs = answer.TimeTakenMs,
            });
        }
    }

    /// <summary>
    /// Counts the answers in their questions' quality sums and sets the flags again, row by row: a cost
    /// per answer, never a pass over a question's answers. On PostgreSQL the rows are locked first, in
    /// order, so that two servers add to the same sums one after the other.
    /// </summary>
    private static async Task CountQualityAsync(
        EduLoopDbContext db, IReadOnlyList<GradedAnswer> answers, Dictionary<int, QuestionContent> questions, CancellationToken cancellationToken)
    {
        if (answers.Count == 0)
        {
            return;
        }

        var ids = answers.Select(a => a.QuestionId).Distinct().Order().ToArray();
        var rows = await SqlDialect.Of(db).QualitiesForUpdate(db, ids).ToDictionaryAsync(q => q.QuestionId, cancellationToken);
        var now = answers.Max(a => a.AnsweredAt);
        foreach (var (id, given) in answers.GroupBy(a => a.QuestionId).Select(g => (g.Key, g.ToList())))
        {
            var question = questions[id];
            if (!rows.TryGetValue(id, out var row))
            {
                row = new QuestionQuality { QuestionId = id, ContentHash = question.ContentHash };
                db.QuestionQualities.Add(row);
            }
            else if (row.ContentHash != question.ContentHash)
            {
                row.Restart(question.ContentHash);
            }

            foreach (var answer in given)
            {
                row.Count(answer, question.Type, question.Body);
            }

            row.Evaluate(question.Type, question.Body);
            row.UpdatedAt = DateTime.SpecifyKind(now, DateTimeKind.Utc);
        }
    }

    private sealed record QuestionContent(int Id, QuestionType Type, QuestionBody Body, long ContentHash);

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop;
    }

    private sealed record Pending(IReadOnlyList<GradedAnswer> Answers, TaskCompletionSource Done);
}
