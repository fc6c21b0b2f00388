using System.Globalization;
using System.Text;
using EduLoop.Domain.Data;
using EduLoop.Domain.Formats.Csv;
using EduLoop.Domain.QuestionBank;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Quizzes;

/// <summary>A quiz in the teacher's list; <see cref="CanChange"/> says whether the teacher may change it, <see cref="Author"/> whose it is.</summary>
public sealed record QuizListItem(
    int Id, string Title, DateTime? OpensAt, DateTime? ClosesAt, int? TimeLimitMinutes, int Slots, IReadOnlyList<string> Classes, int Attempts, int ToGrade,
    bool CanChange = false, string Author = "");

/// <summary>
/// One attempt in a quiz's results. <see cref="ScoreSoFar"/> is the points of the answers marked so far:
/// the score once nothing waits, a provisional one while <see cref="EssaysToGrade"/> essays wait for a teacher.
/// </summary>
public sealed record ResultRow(
    int AttemptId, string StudentId, string Student, string Email, int Number, AttemptState State, DateTime StartedAt, DateTime? SubmittedAt,
    decimal? Score, decimal MaxScore, IReadOnlyDictionary<int, decimal?> ByPosition, decimal ScoreSoFar = 0m, int EssaysToGrade = 0)
{
    public decimal? Percent => Score is { } s && MaxScore > 0 ? Math.Round(s * 100m / MaxScore, 1) : null;

    /// <summary>A submitted attempt whose score is not final yet: an essay waits for its grade.</summary>
    public bool IsProvisional => State == AttemptState.Submitted && Score is null;
}

/// <summary>How far a student of the quiz's classes got: no attempt, one in progress, or one handed in.</summary>
public enum StudentProgress
{
    NotStarted,
    InProgress,
    Submitted,
}

/// <summary>How one question did: facility is the mean score over its points (0 to 1).</summary>
public sealed record ItemStatistic(int QuestionId, string Title, QuestionType Type, int Answers, decimal MeanScore, decimal Points)
{
    public decimal? Facility => Answers > 0 && Points > 0 ? Math.Round(MeanScore / Points, 3) : null;
}

/// <summary>A student's grade for the quiz, by the quiz's grading method over their finished attempts.</summary>
public sealed record StudentGrade(string StudentId, string Student, int Attempts, decimal? Percent, bool? Passed, StudentProgress Progress = StudentProgress.Submitted);

/// <summary>Everything of a quiz's results page.</summary>
public sealed record QuizResults(
    int QuizId, string Title, GradingMethod Grading, decimal? PassPercent, IReadOnlyList<ResultRow> Attempts, IReadOnlyList<int> Distribution,
    IReadOnlyList<ItemStatistic> Items, IReadOnlyList<StudentGrade> Grades);

/// <summary>
/// What teachers see of quizzes: the list, each quiz's attempts, score distribution and item statistics,
/// and their CSV. Every teacher may read every quiz's results; changing them is the quiz's owners' (<see cref="QuizAccess"/>).
/// A teacher's preview (<see cref="Attempt.IsPreview"/>) is never part of them.
/// </summary>
public sealed class QuizResultsService(IDbContextFactory<EduLoopDbContext> contextFactory)
{
    /// <summary>Every quiz, newest change first, marked with whether the actor may change it.</summary>
    public async Task<IReadOnlyList<QuizListItem>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var changeable = (await db.Quizzes.Where(QuizAccess.ChangeableBy(actor)).Select(q => q.Id).ToListAsync(cancellationToken)).ToHashSet();
        var quizzes = await db.Quizzes.AsNoTracking().OrderByDescending(q => q.UpdatedAt)
            .Select(q => new
            {
                q.Id,
                q.Title,
                q.OpensAt,
                q.ClosesAt,
                q.TimeLimitMinutes,
                Slots = q.Slots.Sum(s => s.QuestionId == null ? s.DrawCount : 1),
                Classes = db.QuizAssignments.Where(a => a.QuizId == q.Id).Join(db.SchoolClasses, a => a.SchoolClassId, c => c.Id, (a, c) => c.Name).ToList(),
                Attempts = db.Attempts.Count(a => a.QuizId == q.Id && !a.IsPreview),
                ToGrade = db.Attempts.Count(a => a.QuizId == q.Id && a.NeedsGrading && !a.IsPreview),
                Author = db.Users.Where(u => u.Id == q.CreatedById).Select(u => u.DisplayName != "" ? u.DisplayName : u.Email).FirstOrDefault(),
            }).ToListAsync(cancellationToken);
        return quizzes.Select(q => new QuizListItem(q.Id, q.Title, q.OpensAt, q.ClosesAt, q.TimeLimitMinutes, q.Slots, q.Classes.Order().ToList(), q.Attempts, q.ToGrade,
            changeable.Contains(q.Id), q.Author ?? "")).ToList();
    }

    public async Task<QuizResults> ResultsAsync(int quizId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var quiz = await db.Quizzes.AsNoTracking().FirstOrDefaultAsync(q => q.Id == quizId, cancellationToken)
            ?? throw new NotFoundException("This quiz does not exist (any more).");
        var attempts = await (from a in db.Attempts.AsNoTracking()
                              join u in db.Users on a.StudentId equals u.Id
                              where a.QuizId == quizId && !a.IsPreview
                              orderby u.DisplayName, u.Email, a.Number
                              select new { a.Id, a.StudentId, u.DisplayName, u.Email, a.Number, a.State, a.StartedAt, a.SubmittedAt, a.Score, a.MaxScore })
            .ToListAsync(cancellationToken);
        var answers = await db.AttemptQuestions.AsNoTracking()
            .Where(q => db.Attempts.Any(a => a.Id == q.AttemptId && a.QuizId == quizId && !a.IsPreview))
            .Select(q => new { q.AttemptId, q.Position, q.QuestionId, q.Type, q.Score, q.Points, Answered = q.Response != null })
            .ToListAsync(cancellationToken);
        var byAttempt = answers.ToLookup(a => a.AttemptId);
        var rows = attempts.Select(a => new ResultRow(
            a.Id, a.StudentId, a.DisplayName != "" ? a.DisplayName : a.Email ?? "", a.Email ?? "", a.Number, a.State, a.StartedAt, a.SubmittedAt,
            a.Score, a.MaxScore, byAttempt[a.Id].ToDictionary(q => q.Position, q => q.Score),
            byAttempt[a.Id].Sum(q => q.Score ?? 0m), byAttempt[a.Id].Count(q => q.Type == QuestionType.Writing && q.Answered && q.Score is null))).ToList();

        // Ten bands of 10 %; 100 % falls in the last one.
        var distribution = new int[10];
        foreach (var percent in rows.Where(r => r.State == AttemptState.Graded).Select(r => r.Percent).OfType<decimal>())
        {
            distribution[Math.Clamp((int)(percent / 10m), 0, 9)]++;
        }

        var finished = attempts.Where(a => a.State != AttemptState.InProgress).Select(a => a.Id).ToHashSet();
        var questionIds = answers.Select(a => a.QuestionId).Distinct().ToList();
        var titles = await db.Questions.AsNoTracking().Where(q => questionIds.Contains(q.Id))
            .Select(q => new { q.Id, q.Title, q.Stem })
            .ToDictionaryAsync(q => q.Id, q => q.Title != "" ? q.Title : QuestionText.TitleOf(q.Stem), cancellationToken);
        var items = answers.Where(a => finished.Contains(a.AttemptId) && a.Type != QuestionType.Description && a.Score is not null)
            .GroupBy(a => a.QuestionId)
            .Select(g => new ItemStatistic(g.Key, titles.GetValueOrDefault(g.Key, $"#{g.Key}"), g.First().Type, g.Count(),
                Math.Round(g.Average(a => a.Score!.Value), 3), g.Max(a => a.Points)))
            .OrderBy(i => i.Facility).ToList();

        var grades = rows.GroupBy(r => r.StudentId).Select(g =>
        {
            var graded = g.Where(r => r.State == AttemptState.Graded && r.Percent is not null).OrderBy(r => r.Number).Select(r => r.Percent!.Value).ToList();
            decimal? percent = graded.Count == 0 ? null : quiz.Grading switch
            {
                GradingMethod.Average => Math.Round(graded.Average(), 1),
                GradingMethod.First => graded[0],
                GradingMethod.Last => graded[^1],
                _ => graded.Max(),
            };
            bool? passed = percent is { } p && quiz.PassPercent is { } pass ? p >= pass : null;
            var progress = g.Any(r => r.State != AttemptState.InProgress) ? StudentProgress.Submitted : StudentProgress.InProgress;
            return new StudentGrade(g.Key, g.First().Student, g.Count(), percent, passed, progress);
        }).ToList();

        // Every member of the assigned classes has a line, also before their first attempt.
        var started = grades.Select(g => g.StudentId).ToHashSet();
        var members = await (from m in db.ClassMemberships.AsNoTracking()
                             join u in db.Users on m.UserId equals u.Id
                             where db.QuizAssignments.Any(a => a.QuizId == quizId && a.SchoolClassId == m.SchoolClassId)
                             select new { u.Id, u.DisplayName, u.Email }).Distinct().ToListAsync(cancellationToken);
        grades.AddRange(members.Where(m => !started.Contains(m.Id))
            .Select(m => new StudentGrade(m.Id, m.DisplayName != "" ? m.DisplayName : m.Email ?? "", 0, null, null, StudentProgress.NotStarted)));
        grades = grades.OrderBy(g => g.Student, StringComparer.CurrentCultureIgnoreCase).ToList();
        return new QuizResults(quiz.Id, quiz.Title, quiz.Grading, quiz.PassPercent, rows, distribution, items, grades);
    }

    /// <summary>
    /// The results as CSV (UTF-8 with BOM for spreadsheets): one row per attempt with the score per
    /// question. A score an essay still waits for is the points so far, marked "provisional" in its own column.
    /// Cells a spreadsheet would run as formulas are escaped with a leading '.
    /// </summary>
    public async Task<string> CsvAsync(int quizId, CancellationToken cancellationToken = default)
    {
        var results = await ResultsAsync(quizId, cancellationToken);
        var positions = results.Attempts.SelectMany(r => r.ByPosition.Keys).Distinct().Order().ToList();
        var csv = new StringBuilder();
        void Row(IEnumerable<string> cells) => csv.Append(string.Join(",", cells.Select(CsvCells.Quote))).Append("\r\n");
        static string Number(decimal? value) => value?.ToString("0.####", CultureInfo.InvariantCulture) ?? "";
        static string Time(DateTime? value) => value?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "";
        Row(["Student", "Email", "Attempt", "State", "Started (UTC)", "Submitted (UTC)", "Score", "Max", "Percent", "Score status", .. positions.Select(p => $"Q{p}")]);
        foreach (var row in results.Attempts)
        {
            var score = row.IsProvisional ? row.ScoreSoFar : row.Score;
            decimal? percent = row.IsProvisional && row.MaxScore > 0 ? Math.Round(row.ScoreSoFar * 100m / row.MaxScore, 1) : row.Percent;
            var status = row.IsProvisional ? "provisional" : row.Score is null ? "" : "final";
            Row([row.Student, row.Email, row.Number.ToString(CultureInfo.InvariantCulture), row.State.ToString(), Time(row.StartedAt), Time(row.SubmittedAt),
                Number(score), Number(row.MaxScore), Number(percent), status, .. positions.Select(p => Number(row.ByPosition.GetValueOrDefault(p)))]);
        }

        return csv.ToString();
    }
}
