using System.Text.Json;
using EduLoop.Domain.Data;
using EduLoop.Domain.QuestionBank;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Quizzes;

/// <summary>The quiz cannot be started now: closed, not yet open, not the student's, or no attempts left.</summary>
public sealed class QuizUnavailableException(string message) : Exception(message);

/// <summary>The attempt is over (submitted, or past its deadline): the answer was not saved.</summary>
public sealed class AttemptClosedException(string message) : Exception(message);

/// <summary>The quiz goes one way (sequential navigation) and a later question is answered already: this one cannot change.</summary>
public sealed class QuestionPassedException()
    : Exception("This quiz goes one way: a question cannot be changed once a later one is answered.");

/// <summary>A newer answer is already saved (another tab, or a stale page); <see cref="Current"/> is its number.</summary>
public sealed class StaleAnswerException(long current) : Exception("A newer answer to this question is already saved.")
{
    public long Current { get; } = current;
}

/// <summary>What a submitted attempt scored; <c>Score</c> is null while an essay waits for its grade.</summary>
public sealed record AttemptResult(int AttemptId, decimal? Score, decimal MaxScore, bool NeedsGrading)
{
    /// <summary>Whether the quiz's review policy lets the student see the score now.</summary>
    public bool ScoreVisible { get; init; }
}

/// <summary>A quiz as its student sees it in a list.</summary>
public sealed record StudentQuiz(
    int Id, string Title, string Instructions, DateTime? OpensAt, DateTime? ClosesAt, int? TimeLimitMinutes, int AttemptsAllowed, int AttemptsUsed,
    int? AttemptInProgress)
{
    /// <summary>The quiz's grade by its grading method over the graded attempts; null until one is graded and while the review policy hides the score.</summary>
    public decimal? Score { get; init; }

    /// <summary>The points <see cref="Score"/> is out of.</summary>
    public decimal? MaxScore { get; init; }
}

/// <summary>
/// The life of an attempt: start (or resume) with its questions frozen, save answers against the
/// server's clock and the answers' sequence numbers, submit and grade exactly once, and submit what
/// was saved when the deadline passes.
/// </summary>
public sealed class AttemptService(IDbContextFactory<EduLoopDbContext> contextFactory, AnswerWriter writer, TimeProvider clock, Learning.ReviewRecorder recorder)
{
    /// <summary>Starts an attempt, or returns the one in progress; concurrent starts make one attempt.</summary>
    public async Task<Attempt> StartAsync(int quizId, string studentId, CancellationToken cancellationToken = default)
    {
        for (var tries = 0; ; tries++)
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            if (await InProgressAsync(db, quizId, studentId, cancellationToken) is { } open)
            {
                return open;
            }

            var attempt = await NewAttemptAsync(db, quizId, studentId, cancellationToken);
            db.Attempts.Add(attempt);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return attempt;
            }
            catch (DbUpdateException) when (tries < 3)
            {
                // Another request started the same attempt first (unique index): resume that one.
            }
        }
    }

    private static Task<Attempt?> InProgressAsync(EduLoopDbContext db, int quizId, string studentId, CancellationToken cancellationToken) =>
        db.Attempts.AsNoTracking().Include(a => a.Questions.OrderBy(q => q.Position))
            .FirstOrDefaultAsync(a => a.QuizId == quizId && a.StudentId == studentId && a.State == AttemptState.InProgress && !a.IsPreview, cancellationToken);

    /// <summary>
    /// Starts a teacher's preview: the questions drawn and ordered as for a student, taken on the
    /// attempt's own page (paging, navigation, timer, submit, review by the quiz's policy) and never
    /// counted as an attempt. No window, class or attempt limit applies. The teacher's previous preview
    /// of the quiz is discarded. Throws <see cref="QuizUnavailableException"/> when a draw cannot be met.
    /// </summary>
    public async Task<Attempt> StartPreviewAsync(int quizId, string teacherId, CancellationToken cancellationToken = default)
    {
        for (var tries = 0; ; tries++)
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var attempt = await NewAttemptAsync(db, quizId, teacherId, cancellationToken, preview: true);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Attempts.Where(a => a.QuizId == quizId && a.StudentId == teacherId && a.IsPreview).ExecuteDeleteAsync(cancellationToken);
            db.Attempts.Add(attempt);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return attempt;
            }
            catch (DbUpdateException) when (tries < 3)
            {
                // Another start of this teacher's preview came in between (unique number 0): discard that one too.
            }
        }
    }

    /// <summary>What the preview page shows before a preview starts: the settings that shape an attempt, and the teacher's last preview.</summary>
    public async Task<PreviewInfo> PreviewInfoAsync(int quizId, string teacherId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var quiz = await db.Quizzes.AsNoTracking().FirstOrDefaultAsync(q => q.Id == quizId, cancellationToken)
            ?? throw new NotFoundException("This quiz does not exist (any more).");
        var last = await db.Attempts.AsNoTracking().Where(a => a.QuizId == quizId && a.StudentId == teacherId && a.IsPreview)
            .Select(a => new { a.Id, a.Number, a.State, a.StartedAt, a.Deadline, a.SubmittedAt, a.Score, a.MaxScore }).FirstOrDefaultAsync(cancellationToken);
        var policy = last is null ? null : ReviewPolicy.For(quiz, last.State, clock.GetUtcNow().UtcDateTime);
        return new PreviewInfo(quiz.Id, quiz.Title, quiz.OneQuestionPerPage, quiz.SequentialNavigation, quiz.TimeLimitMinutes, quiz.Review, quiz.ClosesAt,
            last is null ? null : new AttemptSummary(last.Id, last.Number, last.State, last.StartedAt, last.Deadline, last.SubmittedAt,
                policy!.Score ? last.Score : null, last.MaxScore, policy.Open));
    }

    private async Task<Attempt> NewAttemptAsync(EduLoopDbContext db, int quizId, string studentId, CancellationToken cancellationToken, bool preview = false)
    {
        var now = clock.UtcNowToSecond();
        var quiz = await db.Quizzes.AsNoTracking().Include(q => q.Slots).FirstOrDefaultAsync(q => q.Id == quizId, cancellationToken);
        var assigned = quiz is not null && (preview || await db.QuizAssignments
            .AnyAsync(a => a.QuizId == quizId && db.ClassMemberships.Any(m => m.SchoolClassId == a.SchoolClassId && m.UserId == studentId), cancellationToken));
        if (quiz is null || !assigned)
        {
            throw new NotFoundException("This quiz does not exist or is not yours.");
        }

        // No window or attempt count applies to a preview.
        if (!preview && quiz.OpensAt > now)
        {
            throw new QuizUnavailableException("The quiz is not open yet.");
        }

        if (!preview && quiz.ClosesAt <= now)
        {
            throw new QuizUnavailableException("The quiz is closed.");
        }

        var done = preview ? 0 : await db.Attempts.CountAsync(a => a.QuizId == quizId && a.StudentId == studentId && !a.IsPreview, cancellationToken);
        if (quiz.AttemptsAllowed > 0 && done >= quiz.AttemptsAllowed)
        {
            throw new QuizUnavailableException("You have used all your attempts at this quiz.");
        }

        var extra = await db.QuizExtraTimes.Where(e => e.QuizId == quizId && e.StudentId == studentId).Select(e => e.Minutes).FirstOrDefaultAsync(cancellationToken);
        var deadline = quiz.TimeLimitMinutes is { } minutes ? now.AddMinutes(minutes + extra) : (DateTime?)null;
        // A preview of a quiz that closed already runs on its time limit alone.
        if (quiz.ClosesAt is { } closes && closes > now && (deadline is null || closes < deadline))
        {
            deadline = closes;
        }

        var attempt = new Attempt { QuizId = quizId, StudentId = studentId, Number = preview ? 0 : done + 1, IsPreview = preview, StartedAt = now, Deadline = deadline };
        // Fixed questions first, so that no draw picks one of them again.
        var chosen = quiz.Slots.Where(s => s.QuestionId is not null).Select(s => s.QuestionId!.Value).ToHashSet();
        var random = Random.Shared;
        var picks = new List<(QuizSlot Slot, int Id)>();
        foreach (var slot in quiz.Slots.OrderBy(s => s.Position))
        {
            var ids = slot.QuestionId is { } fixedId ? [fixedId] : await DrawAsync(db, slot, studentId, chosen, cancellationToken);
            chosen.UnionWith(ids);
            picks.AddRange(ids.Select(id => (slot, id)));
        }

        // The chosen questions in one query, then frozen into the attempt in slot order.
        var pickedIds = picks.Select(p => p.Id).ToList();
        var questions = await db.Questions.AsNoTracking().Where(q => pickedIds.Contains(q.Id)).ToDictionaryAsync(q => q.Id, cancellationToken);
        foreach (var (slot, id) in picks)
        {
            var question = questions[id];
            var order = Enumerable.Range(0, question.Body.Choices.Count).ToList();
            if (quiz.ShuffleChoices && question.Type is QuestionType.Mcq or QuestionType.McqMulti)
            {
                random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(order));
            }

            attempt.Questions.Add(new AttemptQuestion
            {
                QuestionId = id,
                Type = question.Type,
                Stem = question.Stem,
                Body = question.Body,
                ChoiceOrder = order,
                Points = question.Type == QuestionType.Description ? 0m : slot.Points,
            });
        }

        if (quiz.ShuffleQuestions)
        {
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(attempt.Questions));
        }

        for (var i = 0; i < attempt.Questions.Count; i++)
        {
            attempt.Questions[i].Position = i + 1;
        }

        attempt.MaxScore = attempt.Questions.Sum(q => q.Points);
        return attempt;
    }

    /// <summary>
    /// A slot's random questions: from its place, level and tag, never one already in the attempt,
    /// the ones this student has seen least often first, ties broken at random.
    /// </summary>
    private static async Task<List<int>> DrawAsync(EduLoopDbContext db, QuizSlot slot, string studentId, HashSet<int> chosen, CancellationToken cancellationToken)
    {
        var candidates = await DrawPool.Of(db, slot.DrawCategoryId, slot.DrawSubCategoryId, slot.DrawLevel, slot.DrawTag).Select(q => new
        {
            q.Id,
            Seen = db.AttemptQuestions.Count(aq => aq.QuestionId == q.Id && db.Attempts.Any(a => a.Id == aq.AttemptId && a.StudentId == studentId)),
        }).ToListAsync(cancellationToken);
        var picked = candidates.Where(c => !chosen.Contains(c.Id))
            .OrderBy(c => c.Seen).ThenBy(_ => Random.Shared.Next())
            .Take(slot.DrawCount).Select(c => c.Id).ToList();
        return picked.Count == slot.DrawCount
            ? picked
            : throw new QuizUnavailableException("The quiz draws more questions than its categories hold now; ask your teacher.");
    }

    /// <summary>
    /// Saves an answer if the attempt is the student's, still open by the server's clock, and the
    /// answer's number is newer than the saved one. Returns the saved number.
    /// </summary>
    /// <exception cref="DomainValidationException">The answer holds a string that cannot be read back.</exception>
    public Task<long> SaveAnswerAsync(
        int attemptId, string studentId, int position, JsonElement response, long sequence, CancellationToken cancellationToken = default) =>
        JsonStrings.FirstInvalid(response) is { } field
            ? throw new DomainValidationException(field == "non_field_errors" ? "response" : $"response.{field}", "Not a valid string: it holds an unpaired surrogate or bytes that are not UTF-8.")
            : writer.SaveAsync(new AnswerSave(attemptId, studentId, position, response.GetRawText(), sequence), cancellationToken);

    /// <summary>
    /// Flags a question of the student's attempt to come back to it, or takes the flag away. Only the
    /// flag changes (never the answer the writer saved). Throws <see cref="NotFoundException"/> (not the
    /// student's attempt or question) or <see cref="AttemptClosedException"/> (the attempt is submitted).
    /// </summary>
    public async Task FlagAsync(int attemptId, string studentId, int position, bool flagged, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var changed = await db.AttemptQuestions
            .Where(q => q.AttemptId == attemptId && q.Position == position
                && db.Attempts.Any(a => a.Id == attemptId && a.StudentId == studentId && a.State == AttemptState.InProgress))
            .ExecuteUpdateAsync(u => u.SetProperty(q => q.Flagged, flagged), cancellationToken);
        if (changed == 0)
        {
            var open = await db.Attempts.Where(a => a.Id == attemptId && a.StudentId == studentId).Select(a => (bool?)(a.State == AttemptState.InProgress))
                .FirstOrDefaultAsync(cancellationToken);
            throw open == false ? new AttemptClosedException("This attempt is submitted; its flags can no longer change.") : new NotFoundException("Not found.");
        }
    }

    /// <summary>Submits and grades the attempt; a second submit returns the first one's result.</summary>
    public async Task<AttemptResult> SubmitAsync(int attemptId, string studentId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Attempts.AnyAsync(a => a.Id == attemptId && a.StudentId == studentId, cancellationToken))
        {
            throw new NotFoundException("Not found.");
        }

        return (await FinishAsync(db, attemptId, cancellationToken)).Result;
    }

    /// <summary>The tag on the timer's listing query, so it can be told apart in a database's statement log.</summary>
    public const string OverdueTag = "Overdue attempts round";

    /// <summary>The attempts whose deadline has passed and that are still in progress, oldest deadline first.</summary>
    public async Task<IReadOnlyList<int>> OverdueAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.Attempts.TagWith(OverdueTag).Where(a => a.State == AttemptState.InProgress && a.Deadline < now)
            .OrderBy(a => a.Deadline).Select(a => a.Id).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Submits one overdue attempt with what was saved, in a context of its own: one attempt that
    /// cannot be graded fails alone, and the others are submitted on time. False when it was submitted
    /// already (by the student, or by another server's round).
    /// </summary>
    public async Task<bool> SubmitOverdueAsync(int attemptId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return (await FinishAsync(db, attemptId, cancellationToken)).Claimed;
    }

    /// <summary>Claims the attempt with one conditional update, so concurrent submits grade it once.</summary>
    private async Task<(AttemptResult Result, bool Claimed)> FinishAsync(EduLoopDbContext db, int attemptId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var submittedAt = clock.GetUtcNow().UtcDateTime;
        var claimed = await db.Attempts.Where(a => a.Id == attemptId && a.State == AttemptState.InProgress)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.State, AttemptState.Submitted).SetProperty(a => a.SubmittedAt, submittedAt), cancellationToken);
        List<Learning.GradedAnswer> graded = [];
        if (claimed == 1)
        {
            var questions = await db.AttemptQuestions.Where(q => q.AttemptId == attemptId).ToListAsync(cancellationToken);
            var needsGrading = false;
            foreach (var question in questions)
            {
                // An answer that cannot be read earns nothing; it never stops the attempt's grading.
                var response = JsonStrings.TryParse(question.Response);
                var check = response is null
                    ? (question.Type is QuestionType.Writing ? null : new AnswerCheck(false, 0m))
                    : AnswerChecker.Check(question.Type, question.Body, response.Value);
                needsGrading |= question.Type == QuestionType.Writing && question.Response is not null;
                question.Score = question.Type == QuestionType.Writing ? (question.Response is null ? 0m : null) : Math.Round((check?.Score ?? 0m) * question.Points, 4);
                if (response is not null && check is not null && question.Type is not QuestionType.Writing)
                {
                    graded.Add(QuizReview(question, check, submittedAt) with { Chosen = AnswerChecker.Chosen(question.Type, question.Body, response.Value) });
                }
                else if (response is null && question.Type is not QuestionType.Description)
                {
                    graded.Add(QuizReview(question, new AnswerCheck(false, 0m), submittedAt) with { Blank = true });
                }
            }

            graded = WithRest(graded, questions);

            var owner = await db.Attempts.Where(a => a.Id == attemptId).Select(a => new { a.StudentId, a.IsPreview }).FirstAsync(cancellationToken);
            graded = owner.IsPreview ? [] : graded.Select(g => g with { StudentId = owner.StudentId }).ToList();

            await db.SaveChangesAsync(cancellationToken);
            var score = needsGrading ? (decimal?)null : questions.Sum(q => q.Score ?? 0m);
            var state = needsGrading ? AttemptState.Submitted : AttemptState.Graded;
            await db.Attempts.Where(a => a.Id == attemptId).ExecuteUpdateAsync(
                u => u.SetProperty(a => a.Score, score).SetProperty(a => a.NeedsGrading, needsGrading).SetProperty(a => a.State, state), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        // The attempt is graded whatever happens to its students' memory states (the recorder logs a failure).
        await RecordQuietlyAsync(recorder, graded);
        var result = await db.Attempts.AsNoTracking().Where(a => a.Id == attemptId).Select(a => new AttemptResult(a.Id, a.Score, a.MaxScore, a.NeedsGrading)).FirstAsync(cancellationToken);
        var quiz = await db.Attempts.AsNoTracking().Where(a => a.Id == attemptId)
            .Select(a => db.Quizzes.First(q => q.Id == a.QuizId)).FirstAsync(cancellationToken);
        var visible = ReviewPolicy.For(quiz, AttemptState.Submitted, clock.GetUtcNow().UtcDateTime).Score;
        return (result with { ScoreVisible = visible }, claimed == 1);
    }

    /// <summary>
    /// A marked quiz answer as the memory model learns from it: rated by its mark alone, as a quiz does
    /// not time each question (right is Good, partly right Hard, wrong Again). Questions left blank are
    /// not reviews: the student may never have reached them.
    /// </summary>
    internal static Learning.GradedAnswer QuizReview(AttemptQuestion question, AnswerCheck check, DateTime at) =>
        new("", question.QuestionId, question.Type, at, check, Learning.AnswerRating.Rate(check, null, Learning.AnswerRating.DefaultTime(question.Type))!.Value,
            Learning.ReviewSource.Quiz, AttemptId: question.AttemptId);

    /// <summary>
    /// Each marked answer with the mark of the attempt's other marked questions, as a fraction of
    /// their points: what its question's discrimination is read against. None where the attempt has
    /// no other marked question.
    /// </summary>
    private static List<Learning.GradedAnswer> WithRest(List<Learning.GradedAnswer> graded, IReadOnlyList<AttemptQuestion> questions)
    {
        var marked = questions.Where(q => q.Type is not (QuestionType.Writing or QuestionType.Description) && q.Points > 0).ToList();
        var (score, points) = (marked.Sum(q => q.Score ?? 0m), marked.Sum(q => q.Points));
        return graded.Select(g =>
        {
            if (g.Blank || marked.FirstOrDefault(q => q.QuestionId == g.QuestionId) is not { } own || points - own.Points <= 0)
            {
                return g;
            }

            return g with { Rest = (double)((score - (own.Score ?? 0m)) / (points - own.Points)) };
        }).ToList();
    }

    /// <summary>Records graded quiz answers after their attempt's commit; a failure there never fails the submit or the grade.</summary>
    internal static async Task RecordQuietlyAsync(Learning.ReviewRecorder recorder, IReadOnlyList<Learning.GradedAnswer> graded)
    {
        try
        {
            await recorder.RecordAsync(graded, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Logged by the recorder; the memory states miss these answers, the attempt keeps them.
        }
    }

    /// <summary>The quizzes given to the student's classes, with how many attempts they used and the one in progress.</summary>
    public async Task<IReadOnlyList<StudentQuiz>> QuizzesOfAsync(string studentId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var quizzes = await StudentQuizzes(db, db.Quizzes, studentId).ToListAsync(cancellationToken);
        var ids = quizzes.Select(q => q.Id).ToList();
        var settings = await db.Quizzes.AsNoTracking().Where(q => ids.Contains(q.Id)).ToDictionaryAsync(q => q.Id, cancellationToken);
        var graded = (await db.Attempts.AsNoTracking()
                .Where(a => ids.Contains(a.QuizId) && a.StudentId == studentId && a.State == AttemptState.Graded && a.Score != null)
                .Select(a => new { a.QuizId, a.Number, Score = a.Score!.Value, a.MaxScore }).ToListAsync(cancellationToken))
            .ToLookup(a => a.QuizId);
        var now = clock.GetUtcNow().UtcDateTime;
        return quizzes.Select(q =>
        {
            var attempts = graded[q.Id].OrderBy(a => a.Number).Select(a => (a.Score, a.MaxScore)).ToList();
            var quiz = settings[q.Id];
            if (attempts.Count == 0 || !ReviewPolicy.For(quiz, AttemptState.Graded, now).Score)
            {
                return q;
            }

            var (score, max) = QuizGrade(quiz.Grading, attempts);
            return q with { Score = score, MaxScore = max };
        }).ToList();
    }

    /// <summary>The attempt that counts by the grading method (the best share for "highest"), or the averages.</summary>
    private static (decimal Score, decimal MaxScore) QuizGrade(GradingMethod method, IReadOnlyList<(decimal Score, decimal MaxScore)> attempts) => method switch
    {
        GradingMethod.Average => (Math.Round(attempts.Average(a => a.Score), 2), Math.Round(attempts.Average(a => a.MaxScore), 2)),
        GradingMethod.First => attempts[0],
        GradingMethod.Last => attempts[^1],
        _ => attempts.MaxBy(a => a.MaxScore > 0 ? a.Score / a.MaxScore : a.Score),
    };

    /// <summary>Those of <paramref name="quizzes"/> given to the student, soonest closing first.</summary>
    private static IQueryable<StudentQuiz> StudentQuizzes(EduLoopDbContext db, IQueryable<Quiz> quizzes, string studentId) => quizzes.AsNoTracking()
        .Where(q => db.QuizAssignments.Any(a => a.QuizId == q.Id && db.ClassMemberships.Any(m => m.SchoolClassId == a.SchoolClassId && m.UserId == studentId)))
        .OrderBy(q => q.ClosesAt == null).ThenBy(q => q.ClosesAt).ThenBy(q => q.Title)
        .Select(q => new StudentQuiz(q.Id, q.Title, q.Instructions, q.OpensAt, q.ClosesAt, q.TimeLimitMinutes, q.AttemptsAllowed,
            db.Attempts.Count(a => a.QuizId == q.Id && a.StudentId == studentId && !a.IsPreview),
            db.Attempts.Where(a => a.QuizId == q.Id && a.StudentId == studentId && a.State == AttemptState.InProgress && !a.IsPreview).Select(a => (int?)a.Id).FirstOrDefault()));

    /// <summary>
    /// An attempt for review: its student sees it as the quiz's review policy allows (nothing while it
    /// is in progress); staff see all of it, except a preview, which shows what a student would see.
    /// Another student's attempt is not found.
    /// </summary>
    public async Task<AttemptReview> ReviewAsync(int attemptId, string viewerId, bool viewerIsStaff, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var attempt = await db.Attempts.AsNoTracking().Include(a => a.Questions.OrderBy(q => q.Position))
            .FirstOrDefaultAsync(a => a.Id == attemptId && (viewerIsStaff || a.StudentId == viewerId), cancellationToken)
            ?? throw new NotFoundException("Not found.");
        var quiz = await db.Quizzes.AsNoTracking().FirstAsync(q => q.Id == attempt.QuizId, cancellationToken);
        var student = await db.Users.Where(u => u.Id == attempt.StudentId).Select(u => u.DisplayName != "" ? u.DisplayName : u.Email ?? "").FirstAsync(cancellationToken);
        var policy = viewerIsStaff && !attempt.IsPreview ? ReviewPolicy.Everything : ReviewPolicy.For(quiz, attempt.State, clock.GetUtcNow().UtcDateTime);
        var score = policy.Score ? attempt.Score : null;
        bool? passed = score is { } points && quiz.PassPercent is { } pass && attempt.MaxScore > 0 ? points * 100m / attempt.MaxScore >= pass : null;
        var provisional = policy.Score && attempt.State == AttemptState.Submitted && attempt.Score is null;
        return new AttemptReview(
            attempt.Id, quiz.Id, quiz.Title, student, attempt.Number, attempt.State, attempt.StartedAt, attempt.SubmittedAt, score, attempt.MaxScore, passed, policy, quiz.Review,
            policy.Open ? attempt.Questions.Select(q => ReviewBuilder.Question(q, policy)).ToList() : [],
            provisional ? attempt.Questions.Sum(q => q.Score ?? 0m) : null,
            provisional ? attempt.Questions.Count(q => q.Type == QuestionType.Writing && q.Response is not null && q.Score is null) : 0,
            Attempt.EndedByClock(attempt.Deadline, attempt.SubmittedAt))
        {
            IsPreview = attempt.IsPreview,
        };
    }

    /// <summary>The student's attempts at a quiz, newest first, with the score only where the review policy shows it.</summary>
    public async Task<IReadOnlyList<AttemptSummary>> AttemptsAtAsync(int quizId, string studentId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var quiz = await db.Quizzes.AsNoTracking().FirstOrDefaultAsync(q => q.Id == quizId, cancellationToken) ?? throw new NotFoundException("Not found.");
        var now = clock.GetUtcNow().UtcDateTime;
        var attempts = await db.Attempts.AsNoTracking().Where(a => a.QuizId == quizId && a.StudentId == studentId && !a.IsPreview).OrderByDescending(a => a.Number)
            .Select(a => new { a.Id, a.Number, a.State, a.StartedAt, a.Deadline, a.SubmittedAt, a.Score, a.MaxScore }).ToListAsync(cancellationToken);
        return attempts.Select(a =>
        {
            var policy = ReviewPolicy.For(quiz, a.State, now);
            return new AttemptSummary(a.Id, a.Number, a.State, a.StartedAt, a.Deadline, a.SubmittedAt, policy.Score ? a.Score : null, a.MaxScore, policy.Open);
        }).ToList();
    }

    /// <summary>An attempt for the taking page: the student's own, with its questions, saved answers and the quiz's paging.</summary>
    public async Task<AttemptSheet> SheetAsync(int attemptId, string studentId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var attempt = await StudentsAttempt.For(db)(db, attemptId, studentId, cancellationToken) ?? throw new NotFoundException("Not found.");
        var quiz = await SheetQuiz.For(db)(db, attempt.QuizId, cancellationToken);
        return new AttemptSheet(attempt, quiz.Title, quiz.Instructions, quiz.OneQuestionPerPage, quiz.SequentialNavigation, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>
    /// The student's own attempt with its questions in order; null for another student's. Compiled
    /// once: the taking page reads it on every load, reload and reconnect.
    /// </summary>
    internal static readonly CompiledPerProvider<Func<EduLoopDbContext, int, string, CancellationToken, Task<Attempt?>>> StudentsAttempt = new(() => EF.CompileAsyncQuery(
        (EduLoopDbContext db, int attemptId, string studentId, CancellationToken cancellationToken) =>
            db.Attempts.AsNoTracking().Include(a => a.Questions.OrderBy(q => q.Position)).FirstOrDefault(a => a.Id == attemptId && a.StudentId == studentId)));

    /// <summary>What the taking page shows of the attempt's quiz, compiled with <see cref="StudentsAttempt"/>.</summary>
    internal static readonly CompiledPerProvider<Func<EduLoopDbContext, int, CancellationToken, Task<SheetSettings>>> SheetQuiz = new(() => EF.CompileAsyncQuery(
        (EduLoopDbContext db, int quizId, CancellationToken cancellationToken) => db.Quizzes.AsNoTracking().Where(q => q.Id == quizId)
            .Select(q => new SheetSettings(q.Title, q.Instructions, q.OneQuestionPerPage, q.SequentialNavigation)).First()));

    internal sealed record SheetSettings(string Title, string Instructions, bool OneQuestionPerPage, bool SequentialNavigation);

    /// <summary>A quiz as its student sees it before starting: settings, attempts so far, and whether a new one may start now.</summary>
    public async Task<StudentQuiz> QuizOfAsync(int quizId, string studentId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await StudentQuizzes(db, db.Quizzes.Where(q => q.Id == quizId), studentId).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("This quiz does not exist or is not yours.");
    }
}

/// <summary>What the taking page needs: the attempt and the quiz's title, instructions and paging, with the server's time now.</summary>
public sealed record AttemptSheet(Attempt Attempt, string Title, string Instructions, bool OneQuestionPerPage, bool SequentialNavigation, DateTime ServerNow);

/// <summary>The quiz's settings that shape an attempt, and the teacher's last preview of it (null before the first).</summary>
public sealed record PreviewInfo(
    int QuizId, string Title, bool OneQuestionPerPage, bool SequentialNavigation, int? TimeLimitMinutes, ReviewTime Review, DateTime? ClosesAt, AttemptSummary? Last);

/// <summary>One of a student's attempts in a list; <c>Score</c> is null where the review policy hides it.</summary>
public sealed record AttemptSummary(
    int Id, int Number, AttemptState State, DateTime StartedAt, DateTime? Deadline, DateTime? SubmittedAt, decimal? Score, decimal MaxScore, bool ReviewOpen);
