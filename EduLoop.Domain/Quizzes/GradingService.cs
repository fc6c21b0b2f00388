using System.Text.Json;
using EduLoop.Domain.Data;
using EduLoop.Domain.QuestionBank;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Quizzes;

/// <summary>
/// An essay waiting for its grade (or already graded, when the queue shows those too). <c>Number</c> is the
/// question's number as the student saw it: descriptions before it are not counted, as <c>Position</c> counts them.
/// </summary>
public sealed record EssayToGrade(
    int AnswerId, int AttemptId, int QuizId, string QuizTitle, string StudentName, int Position, string Stem, string Answer,
    decimal Points, decimal? Score, string? Comment, DateTime? SubmittedAt, string? GeneralFeedback, int Number);

/// <summary>How a regrade would change one attempt.</summary>
public sealed record RegradeChange(int AttemptId, string QuizTitle, string StudentName, int Position, decimal? OldScore, decimal NewScore);

/// <summary>
/// What a regrade with a question's current key would do to past attempts. <see cref="Changes"/> are the
/// ones the actor may make; <see cref="NotYours"/> counts the changes in quizzes the actor may not change,
/// which the regrade leaves for their authors.
/// </summary>
public sealed record RegradePreview(int QuestionId, int AttemptsUsingIt, IReadOnlyList<RegradeChange> Changes, int Skipped, int NotYours = 0);

/// <summary>
/// Hand grading of essays, and regrading of past attempts when a question's key changes. An
/// attempt's total follows every grade; it is final (Graded) when no essay of it waits. Grades are
/// given by the quiz's author, co-teachers and admins (<see cref="QuizAccess"/>).
/// </summary>
public sealed class GradingService(IDbContextFactory<EduLoopDbContext> contextFactory, TimeProvider clock, Learning.ReviewRecorder recorder)
{
    /// <summary>
    /// Essays of submitted attempts at the quizzes the actor may grade, oldest first; with
    /// <paramref name="includeGraded"/> the graded ones follow. A teacher's preview is never graded.
    /// </summary>
    public async Task<IReadOnlyList<EssayToGrade>> QueueAsync(Actor actor, int? quizId = null, bool includeGraded = false, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (
            from q in db.AttemptQuestions.AsNoTracking()
            join a in db.Attempts on q.AttemptId equals a.Id
            join z in db.Quizzes.Where(QuizAccess.ChangeableBy(actor)) on a.QuizId equals z.Id
            join u in db.Users on a.StudentId equals u.Id
            where q.Type == QuestionType.Writing && q.Response != null && a.State != AttemptState.InProgress && !a.IsPreview
                && (includeGraded || q.Score == null) && (quizId == null || a.QuizId == quizId)
            orderby q.Score != null, a.SubmittedAt, q.Position
            let number = db.AttemptQuestions.Count(o => o.AttemptId == q.AttemptId && o.Position <= q.Position && o.Type != QuestionType.Description)
            select new { q.Id, AttemptId = a.Id, QuizId = z.Id, z.Title, u.DisplayName, u.Email, q.Position, q.Stem, q.Response, q.Points, q.Score, q.Comment, a.SubmittedAt, q.Body, Number = number })
            .Take(500).ToListAsync(cancellationToken);
        return rows.Select(r => new EssayToGrade(
            r.Id, r.AttemptId, r.QuizId, r.Title, r.DisplayName != "" ? r.DisplayName : r.Email ?? "", r.Position, r.Stem, EssayText(r.Response),
            r.Points, r.Score, r.Comment, r.SubmittedAt, r.Body.GeneralFeedback, r.Number)).ToList();
    }

    /// <summary>How many essays wait for a grade.</summary>
    public async Task<int> PendingCountAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.AttemptQuestions.CountAsync(q => q.Type == QuestionType.Writing && q.Response != null && q.Score == null
            && db.Attempts.Any(a => a.Id == q.AttemptId && a.State != AttemptState.InProgress && !a.IsPreview), cancellationToken);
    }

    private static string EssayText(string? response)
    {
        if (response is null)
        {
            return "";
        }

        return JsonStrings.TryParse(response) is not { } value ? ReviewBuilder.UnreadableResponse
            : value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText();
    }

    /// <summary>
    /// Grades (or re-grades) an essay: 0 to its points, with an optional comment; the attempt's total
    /// follows. For the quiz's author, co-teachers and admins.
    /// </summary>
    public async Task GradeAsync(int answerId, decimal score, string? comment, Actor grader, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var answer = await db.AttemptQuestions.FirstOrDefaultAsync(q => q.Id == answerId, cancellationToken)
            ?? throw new NotFoundException("This answer does not exist (any more).");
        var attempt = await db.Attempts.FirstAsync(a => a.Id == answer.AttemptId, cancellationToken);
        await QuizAccess.EnsureCanChangeAsync(db, attempt.QuizId, grader, cancellationToken);
        if (answer.Type != QuestionType.Writing || attempt.State == AttemptState.InProgress)
        {
            throw new DomainValidationException("score", "Only essays of submitted attempts are graded by hand.");
        }

        if (score < 0 || score > answer.Points)
        {
            throw new DomainValidationException("score", $"The score is from 0 to {answer.Points:0.##}.");
        }

        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (comment?.Length > Limits.CommentLength)
        {
            throw new DomainValidationException("comment", $"A comment may have at most {Limits.CommentLength} characters.");
        }

        // A first grade is the student's review of the question; a change of grade is not another one.
        var firstGrade = answer.GradedAt is null;
        (answer.Score, answer.Comment, answer.GradedById, answer.GradedAt) = (score, comment, grader.UserId, clock.UtcNowToSecond());
        await db.SaveChangesAsync(cancellationToken);
        await TotalAsync(db, attempt, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (firstGrade && !attempt.IsPreview && answer.Points > 0)
        {
            var share = score / answer.Points;
            var graded = AttemptService.QuizReview(answer, new AnswerCheck(share == 1m, share), clock.GetUtcNow().UtcDateTime) with { StudentId = attempt.StudentId };
            await AttemptService.RecordQuietlyAsync(recorder, [graded]);
        }
    }

    /// <summary>The attempt's total from its answers; final once no essay waits.</summary>
    private static async Task TotalAsync(EduLoopDbContext db, Attempt attempt, CancellationToken cancellationToken)
    {
        var scores = await db.AttemptQuestions.Where(q => q.AttemptId == attempt.Id).Select(q => new { q.Type, q.Score, Answered = q.Response != null }).ToListAsync(cancellationToken);
        var waiting = scores.Any(q => q.Type == QuestionType.Writing && q.Answered && q.Score is null);
        attempt.NeedsGrading = waiting;
        attempt.Score = waiting ? null : scores.Sum(q => q.Score ?? 0m);
        attempt.State = waiting ? AttemptState.Submitted : AttemptState.Graded;
    }

    /// <summary>
    /// What marking the submitted answers to a question again with its current key would change, in the
    /// quizzes the actor may change. Answers whose question changed type or number of choices since the
    /// attempt are left as they are (skipped).
    /// </summary>
    public async Task<RegradePreview> PreviewRegradeAsync(int questionId, Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var (preview, _, _) = await PlanAsync(db, questionId, actor, cancellationToken);
        return preview;
    }

    /// <summary>
    /// Regrades as the preview says, in one transaction; returns how many answers changed. Attempts at
    /// other teachers' quizzes stay as they are; when only those would change, the regrade is refused.
    /// </summary>
    public async Task<int> RegradeAsync(int questionId, Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (preview, plan, key) = await PlanAsync(db, questionId, actor, cancellationToken);
        if (preview.Changes.Count == 0 && preview.NotYours > 0)
        {
            throw new ForbiddenException(QuizAccess.Refusal);
        }

        var attemptIds = new HashSet<int>();
        var changed = 0;
        foreach (var (answer, score, response) in plan)
        {
            changed += answer.Score != score ? 1 : 0;
            // The attempt keeps its text and choice order; its key becomes the question's current one.
            answer.Body = key;
            answer.Response = response;
            answer.Score = score;
            attemptIds.Add(answer.AttemptId);
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var attempt in await db.Attempts.Where(a => attemptIds.Contains(a.Id)).ToListAsync(cancellationToken))
        {
            await TotalAsync(db, attempt, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    private static async Task<(RegradePreview Preview, List<(AttemptQuestion Answer, decimal Score, string? Response)> Plan, QuestionBody Key)> PlanAsync(
        EduLoopDbContext db, int questionId, Actor actor, CancellationToken cancellationToken)
    {
        var question = await db.Questions.AsNoTracking().FirstOrDefaultAsync(q => q.Id == questionId, cancellationToken)
            ?? throw new NotFoundException("This question does not exist (any more).");
        var answers = await db.AttemptQuestions
            .Where(q => q.QuestionId == questionId && db.Attempts.Any(a => a.Id == q.AttemptId && a.State != AttemptState.InProgress && !a.IsPreview))
            .ToListAsync(cancellationToken);
        var names = await (from a in db.Attempts
                           join u in db.Users on a.StudentId equals u.Id
                           join z in db.Quizzes on a.QuizId equals z.Id
                           where db.AttemptQuestions.Any(q => q.QuestionId == questionId && q.AttemptId == a.Id)
                           select new { a.Id, Student = u.DisplayName != "" ? u.DisplayName : u.Email ?? "", z.Title, QuizId = z.Id })
            .ToDictionaryAsync(x => x.Id, cancellationToken);
        var quizIds = names.Values.Select(n => n.QuizId).Distinct().ToList();
        var mine = (await db.Quizzes.Where(z => quizIds.Contains(z.Id)).Where(QuizAccess.ChangeableBy(actor)).Select(z => z.Id).ToListAsync(cancellationToken)).ToHashSet();
        var plan = new List<(AttemptQuestion, decimal, string?)>();
        var changes = new List<RegradeChange>();
        var skipped = 0;
        var notYours = 0;
        foreach (var answer in answers)
        {
            if (answer.Type != question.Type || answer.Body.Choices.Count != question.Body.Choices.Count
                || question.Type is QuestionType.Writing or QuestionType.Description)
            {
                skipped += question.Type is QuestionType.Writing or QuestionType.Description ? 0 : 1;
                continue;
            }

            // Choices are matched by their place, so a corrected typo in a choice keeps the student's pick.
            // An unreadable answer is kept as it is and earns nothing.
            var response = answer.Response is null || JsonStrings.TryParse(answer.Response) is null ? answer.Response : SameChoices(answer.Response, answer.Body, question.Body);
            var check = JsonStrings.TryParse(response) is not { } parsed
                ? new AnswerCheck(false, 0m)
                : AnswerChecker.Check(question.Type, question.Body, parsed) ?? new AnswerCheck(false, 0m);
            var score = Math.Round(check.Score * answer.Points, 4);
            var name = names[answer.AttemptId];
            if (!mine.Contains(name.QuizId))
            {
                // Another teacher's quiz: its attempts are theirs to regrade.
                notYours += score != answer.Score ? 1 : 0;
                continue;
            }

            plan.Add((answer, score, response));
            if (score != answer.Score)
            {
                changes.Add(new RegradeChange(answer.AttemptId, name.Title, name.Student, answer.Position, answer.Score, score));
            }
        }

        return (new RegradePreview(questionId, answers.Count, changes, skipped, notYours), plan, question.Body);
    }

    /// <summary>A choice answer given as the old choices' texts, written as the new choices' texts at the same places.</summary>
    private static string SameChoices(string response, QuestionBody before, QuestionBody after)
    {
        if (before.Choices.Count == 0)
        {
            return response;
        }

        string Map(string text) => before.Choices.FindIndex(c => c.Text == text) is var i and >= 0 && i < after.Choices.Count ? after.Choices[i].Text : text;
        using var document = JsonDocument.Parse(response);
        var root = document.RootElement;
        return root.ValueKind switch
        {
            JsonValueKind.String => JsonSerializer.Serialize(Map(root.GetString()!)),
            JsonValueKind.Array => JsonSerializer.Serialize(root.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? Map(e.GetString()!) : e.GetRawText()).ToList()),
            _ => response,
        };
    }
}
