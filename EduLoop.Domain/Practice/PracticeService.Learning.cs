using System.Security.Cryptography;
using System.Text.Json;
using EduLoop.Domain.Data;
using EduLoop.Domain.Learning;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Practice;

/// <summary>A practice answer as marked: its check, the rating the memory model learnt from (null when nothing was recorded), and what the student answered.</summary>
public sealed record PracticeAnswer(int QuestionId, AnswerCheck Check, Rating? Rating, string Response);

/// <summary>Where a student's practice stands: the session, the question on screen and its answer if given, and the session's tally so far.</summary>
public sealed record PracticeResume(PracticeMode Mode, string SessionId, QuestionRecord? Question, PracticeAnswer? Answer, int Answered, int Right);

/// <summary>The question is not the one the session shows now.</summary>
public sealed class NotCurrentQuestionException() : Exception("This question is not the one the practice session shows now.");

public sealed partial class PracticeService
{
    /// <summary>A due session draws this many due questions at a time, so a question missed comes back within the session after its short relearning step.</summary>
    public const int DueBatchSize = 10;

    /// <summary>
    /// Starts a student's review session: their due questions first, most overdue first, then
    /// questions new to them from the subjects of their classes' quizzes (or, without any, the subjects
    /// they have practised, or, new to the school, every subject of the bank).
    /// </summary>
    public async Task<PracticeStep> StartDueAsync(Learner learner, CancellationToken cancellationToken = default)
    {
        if (learner.Kind != LearnerKind.Student)
        {
            throw new InvalidOperationException("Review sessions are for students.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await EnsureNoAttemptAsync(db, learner, now, cancellationToken);
        var session = new PracticeSession
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            Owner = learner.Owner,
            Mode = PracticeMode.Due,
            SubjectIds = [.. await SubjectsOfAsync(db, learner.Id, cancellationToken)],
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

    /// <summary>
    /// The subjects new questions come from for a student: those their classes' quizzes take questions
    /// from; when their classes have no quiz, those they have answered questions of; and for a student
    /// with neither (a new student, a class without quizzes yet), every subject of the bank, so that
    /// "Learn something new" always has something to offer.
    /// </summary>
    public static async Task<IReadOnlyList<int>> SubjectsOfAsync(EduLoopDbContext db, string studentId, CancellationToken cancellationToken)
    {
        var quizIds = db.QuizAssignments.Where(a => db.ClassMemberships.Any(m => m.UserId == studentId && m.SchoolClassId == a.SchoolClassId)).Select(a => a.QuizId);
        var slots = db.QuizSlots.Where(s => quizIds.Contains(s.QuizId));
        var subjects = await slots.Where(s => s.QuestionId != null).Select(s => s.Question!.SubjectId)
            .Union(db.Categories.Where(c => slots.Any(s => s.DrawSubCategoryId == null && s.DrawCategoryId == c.Id)).Select(c => c.SubjectId))
            .Union(db.SubCategories.Where(c => slots.Any(s => s.DrawSubCategoryId == c.Id)).Select(c => c.SubjectId))
            .ToListAsync(cancellationToken);
        if (subjects.Count == 0)
        {
            subjects = await db.ReviewStates.Where(s => s.StudentId == studentId)
                .Join(db.Questions, s => s.QuestionId, q => q.Id, (s, q) => q.SubjectId).Distinct().ToListAsync(cancellationToken);
        }

        if (subjects.Count == 0)
        {
            subjects = await db.Subjects.Select(s => s.Id).ToListAsync(cancellationToken);
        }

        return [.. subjects.Order()];
    }

    /// <summary>Ends the learner's expired sessions and the oldest live ones beyond <see cref="PracticeSession.MaxLivePerLearner"/> − 1.</summary>
    private static async Task EndOldSessionsAsync(EduLoopDbContext db, Learner learner, DateTime now, CancellationToken cancellationToken)
    {
        await db.PracticeSessions.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        var live = await db.PracticeSessions.Where(s => s.Owner == learner.Owner).OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Skip(PracticeSession.MaxLivePerLearner - 1).Select(s => s.Id).ToListAsync(cancellationToken);
        if (live.Count > 0)
        {
            await db.PracticeSessions.Where(s => live.Contains(s.Id)).ExecuteDeleteAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The next due questions of a review session, most overdue first: due before the end of today
    /// (UTC) and not drawn in this session yet, or answered in this session and due again already
    /// (a question missed, back after its relearning step).
    /// </summary>
    private async Task<List<int>> DueBatchAsync(EduLoopDbContext db, PracticeSession session, IQueryable<Question> pool, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var endOfDay = now.Date.AddDays(1);
        var studentId = StudentOf(session);
        var drawn = session.Drawn;
        var started = session.CreatedAt;
        return await db.ReviewStates
            .Where(s => s.StudentId == studentId && s.Due < endOfDay
                && (!drawn.Contains(s.QuestionId) || (s.LastReview >= started && s.Due <= now)))
            .Where(s => pool.Any(q => q.Id == s.QuestionId))
            .OrderBy(s => s.Due).Select(s => s.QuestionId).Take(DueBatchSize).ToListAsync(cancellationToken);
    }

    private static string StudentOf(PracticeSession session) => session.Owner.StartsWith("user:", StringComparison.Ordinal) ? session.Owner["user:".Length..] : "";

    /// <summary>
    /// Marks the learner's answer to the question their session shows, and, for a student, records it
    /// (their memory of the question moves on) before returning: a marked answer is durable. Answering
    /// the same question again returns the first answer's mark.
    /// </summary>
    /// <exception cref="PracticeSessionNotFoundException">No live session of this learner has that id.</exception>
    /// <exception cref="NotCurrentQuestionException">The session shows another question.</exception>
    /// <exception cref="QuestionHeldException">A quiz of the learner's classes opened since and holds the question.</exception>
    /// <exception cref="AttemptInProgressException">The learner is taking a quiz.</exception>
    /// <exception cref="DomainValidationException">The response cannot be read, or the question is not marked automatically.</exception>
    public async Task<PracticeAnswer> AnswerAsync(Learner learner, string? sessionId, int questionId, string response, CancellationToken cancellationToken = default)
    {
        var (session, question) = await CurrentAsync(learner, sessionId, questionId, cancellationToken);
        if (await AnsweredAsync(session.Id, questionId, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        if (JsonStrings.TryParse(response) is not { } parsed)
        {
            throw new DomainValidationException("response", "The answer could not be read.");
        }

        var check = AnswerChecker.Check(question.Type, question.Body, parsed)
            ?? throw new DomainValidationException("response", "This question is not marked automatically; rate it yourself after reading the model answer.");
        var now = clock.GetUtcNow().UtcDateTime;
        var taken = session.ShownAt is { } shown && now > shown ? now - shown : (TimeSpan?)null;
        Rating? rating = null;
        if (learner.Kind != LearnerKind.AccessKey)
        {
            var typical = AnswerRating.TypicalTime(question.Type, await RightAnswerTimesAsync(learner.Id, question.Type, cancellationToken));
            rating = AnswerRating.Rate(check, taken, typical);
            await recorder.RecordAsync(new GradedAnswer(learner.Id, questionId, question.Type, now, check, rating!.Value, ReviewSource.Practice,
                session.Id, Response: response, TimeTakenMs: taken is { } t ? (int)Math.Min(t.TotalMilliseconds, int.MaxValue) : null,
                Chosen: AnswerChecker.Chosen(question.Type, question.Body, parsed)), cancellationToken);
        }

        return new PracticeAnswer(questionId, check, rating, response);
    }

    /// <summary>
    /// Marks an answer to any question the learner may check (<see cref="CheckableAsync"/>), as an
    /// outside client asks without a session, and records it for an account: rated by its mark, as
    /// its time is not known. The check is null for a question not marked automatically.
    /// </summary>
    public async Task<(QuestionRecord Question, AnswerCheck? Check)> CheckAsync(Learner learner, int questionId, JsonElement response, CancellationToken cancellationToken = default)
    {
        var question = await CheckableAsync(learner, questionId, cancellationToken);
        var check = AnswerChecker.Check(question.Type, question.Body, response);
        if (check is not null && learner.Kind != LearnerKind.AccessKey)
        {
            await recorder.RecordAsync(new GradedAnswer(learner.Id, questionId, question.Type, clock.GetUtcNow().UtcDateTime, check,
                AnswerRating.Rate(check, null, AnswerRating.DefaultTime(question.Type))!.Value, ReviewSource.Practice, Response: response.GetRawText(),
                Chosen: AnswerChecker.Chosen(question.Type, question.Body, response)), cancellationToken);
        }

        return (question, check);
    }

    /// <summary>
    /// A student's own rating of an essay in practice, given after reading the model answer: nobody
    /// grades practice essays, so the student says how well they knew it (Again to Easy).
    /// </summary>
    public async Task<PracticeAnswer> SelfRateAsync(Learner learner, string? sessionId, int questionId, string response, Rating rating, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(rating))
        {
            throw new DomainValidationException("rating", "A rating is Again, Hard, Good or Easy.");
        }

        var (session, question) = await CurrentAsync(learner, sessionId, questionId, cancellationToken);
        if (question.Type != QuestionType.Writing)
        {
            throw new DomainValidationException("rating", "Only essays are rated by the student.");
        }

        if (await AnsweredAsync(session.Id, questionId, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var check = new AnswerCheck(rating >= Rating.Good, rating switch { Rating.Again => 0m, Rating.Hard => 0.5m, _ => 1m });
        if (learner.Kind != LearnerKind.AccessKey)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await recorder.RecordAsync(new GradedAnswer(learner.Id, questionId, question.Type, now, check, rating, ReviewSource.Practice,
                session.Id, Response: response), cancellationToken);
        }

        return new PracticeAnswer(questionId, check, rating, response);
    }

    /// <summary>The learner's latest live session and where it stands, so a reload or another device carries on; null when they have none.</summary>
    public async Task<PracticeResume?> ResumeAsync(Learner learner, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var session = await db.PracticeSessions.AsNoTracking().Where(s => s.Owner == learner.Owner && s.ExpiresAt > now)
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).FirstOrDefaultAsync(cancellationToken);
        if (session?.CurrentQuestionId is not { } current)
        {
            return null;
        }

        var tally = await db.ReviewLogs.Where(l => l.SessionId == session.Id).GroupBy(l => 1)
            .Select(g => new { Answered = g.Count(), Right = g.Count(l => l.Correct) }).FirstOrDefaultAsync(cancellationToken);
        QuestionRecord? question;
        try
        {
            question = await questions.GetAsync(current, cancellationToken);
        }
        catch (NotFoundException)
        {
            question = null;
        }

        var answer = question is null ? null : await AnsweredAsync(session.Id, current, cancellationToken);
        return new PracticeResume(session.Mode, session.Id, question, answer, tally?.Answered ?? 0, tally?.Right ?? 0);
    }

    private async Task<(PracticeSession Session, QuestionRecord Question)> CurrentAsync(Learner learner, string? sessionId, int questionId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var session = await FindAsync(db, learner, sessionId, cancellationToken);
        if (session.CurrentQuestionId != questionId)
        {
            throw new NotCurrentQuestionException();
        }

        // A quiz may have opened since the question was shown, or the learner started one since: no key then.
        return (session, await CheckableAsync(learner, questionId, cancellationToken));
    }

    private async Task<PracticeAnswer?> AnsweredAsync(string sessionId, int questionId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var log = await db.ReviewLogs.AsNoTracking().Where(l => l.SessionId == sessionId && l.QuestionId == questionId)
            .OrderByDescending(l => l.Id).FirstOrDefaultAsync(cancellationToken);
        return log is null ? null : new PracticeAnswer(questionId, new AnswerCheck(log.Correct, (decimal)log.Score), log.Rating, log.Response ?? "null");
    }

    /// <summary>The times of the student's latest right answers of a type, oldest first, for their typical time.</summary>
    private async Task<IReadOnlyList<TimeSpan>> RightAnswerTimesAsync(string studentId, QuestionType type, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var times = await db.ReviewLogs.Where(l => l.StudentId == studentId && l.Type == type && l.Correct && l.TimeTakenMs != null)
            .OrderByDescending(l => l.ReviewedAt).Select(l => l.TimeTakenMs!.Value).Take(AnswerRating.HistoryWindow).ToListAsync(cancellationToken);
        return [.. times.AsEnumerable().Reverse().Select(ms => TimeSpan.FromMilliseconds(ms))];
    }
}
