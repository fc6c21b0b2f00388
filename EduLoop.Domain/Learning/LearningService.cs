using EduLoop.Domain.Classes;
using EduLoop.Domain.Data;
using EduLoop.Domain.Practice;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Learning;

/// <summary>A subject's questions due for a student today.</summary>
public sealed record SubjectDue(int SubjectId, string Subject, int Due);

/// <summary>What a student has due before the end of today (UTC), by subject.</summary>
public sealed record DueToday(int Total, IReadOnlyList<SubjectDue> Subjects);

/// <summary>
/// How well a student knows a part of the bank: <see cref="Retrievability"/> is the mean chance of
/// recall now over the questions they have answered (null before any), <see cref="Seen"/> of
/// <see cref="Total"/> the coverage.
/// </summary>
public sealed record Mastery(BankNodeKind Kind, int Id, string Name, int Seen, int Total, double? Retrievability, IReadOnlyList<Mastery> Children)
{
    public double Coverage => Total == 0 ? 0 : Math.Min(1, (double)Seen / Total);
}

/// <summary>The graded answers of one day (UTC).</summary>
public sealed record DayCount(DateOnly Day, int Reviews);

/// <summary>A quiz attempt on a student's progress page; the score only where the quiz's review shows it.</summary>
public sealed record AttemptLine(int AttemptId, int QuizId, string Quiz, int Number, DateTime? SubmittedAt, AttemptState State, decimal? Score, decimal MaxScore, bool CanReview);

/// <summary>A student's progress: mastery by subject (with categories and subcategories), reviews per day, streak and quiz attempts.</summary>
public sealed record LearningProgress(IReadOnlyList<Mastery> Subjects, IReadOnlyList<DayCount> ReviewsPerDay, int Streak, int ReviewsToday, IReadOnlyList<AttemptLine> Attempts);

/// <summary>A column of a class's heatmap: a subcategory, or a category's questions outside any subcategory.</summary>
public sealed record HeatmapTopic(BankNodeKind Kind, int Id, int SubjectId, int CategoryId, string Subject, string Category, string Name);

/// <summary>One student's mastery of one topic; <see cref="Seen"/> 0 means not started.</summary>
public sealed record HeatmapCell(int Seen, double? Retrievability);

public sealed record HeatmapRow(string StudentId, string Name, IReadOnlyList<HeatmapCell> Cells);

/// <summary>A topic the class knows least: mean mastery over the students who have started it.</summary>
public sealed record WeakTopic(HeatmapTopic Topic, double Retrievability, int Students);

/// <summary>A quiz of the class and its students who have not started it.</summary>
public sealed record QuizNotStarted(int QuizId, string Title, IReadOnlyList<string> Students);

/// <summary>A class's progress for its teacher: students × topics, the weakest topics and who has not started each quiz.</summary>
public sealed record ClassProgress(
    int ClassId, string ClassName, double DesiredRetention, IReadOnlyList<HeatmapTopic> Topics, IReadOnlyList<HeatmapRow> Students, IReadOnlyList<WeakTopic> Weakest,
    IReadOnlyList<QuizNotStarted> NotStarted);

/// <summary>
/// What the memory states say: a student's due questions and progress, a class's heatmap. Mastery is
/// computed at read time from each state's stability and last review (recall fades by the hour, so it
/// cannot be kept as a sum).
/// </summary>
public sealed class LearningService(IDbContextFactory<EduLoopDbContext> contextFactory, BankService bank, TimeProvider clock)
{
    /// <summary>The weakest topics list at most this many.</summary>
    public const int WeakestCount = 5;

    /// <summary>A topic is among the weakest only once this many students have started it.</summary>
    public const int WeakestMinimumStudents = 2;

    /// <summary>The reviews-per-day chart spans this many days, today included.</summary>
    public const int ChartDays = 30;

    /// <summary>The student's questions due before the end of today, by subject; archived questions and those an open quiz holds are not counted.</summary>
    public async Task<DueToday> DueTodayAsync(string studentId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var endOfDay = now.Date.AddDays(1);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var hold = await QuizHold.ForAsync(db, Learner.Student(studentId), now, cancellationToken);
        var questions = hold.Exclude(db.Questions.Where(q => !q.IsArchived && q.Type != QuestionType.Description));
        var counts = await db.ReviewStates.Where(s => s.StudentId == studentId && s.Due < endOfDay)
            .Join(questions, s => s.QuestionId, q => q.Id, (s, q) => q.SubjectId)
            .GroupBy(subject => subject).Select(g => new { SubjectId = g.Key, Due = g.Count() })
            .ToListAsync(cancellationToken);
        if (counts.Count == 0)
        {
            return new DueToday(0, []);
        }

        var ids = counts.Select(c => c.SubjectId).ToList();
        var names = await db.Subjects.Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        var subjects = counts.Select(c => new SubjectDue(c.SubjectId, names.GetValueOrDefault(c.SubjectId, "?"), c.Due))
            .OrderByDescending(s => s.Due).ThenBy(s => s.Subject, StringComparer.CurrentCulture).ToList();
        return new DueToday(subjects.Sum(s => s.Due), subjects);
    }

    /// <summary>The student's progress page.</summary>
    public async Task<LearningProgress> ProgressAsync(string studentId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var tree = await bank.TreeAsync(cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var recall = await RecallSql.OfStudentAsync(db, studentId, now, MemoryModel.Default, cancellationToken);
        var bySubject = recall.ToLookup(r => r.SubjectId);
        var byCategory = recall.ToLookup(r => r.CategoryId);
        var bySubCategory = recall.Where(r => r.SubCategoryId is not null).ToLookup(r => r.SubCategoryId!.Value);
        var subjects = tree.SelectMany(g => g.Children).Where(s => bySubject[s.Id].Any())
            .Select(s => Node(s, bySubject[s.Id], s.Children.Select(c =>
                Node(c, byCategory[c.Id], c.Children.Select(sc => Node(sc, bySubCategory[sc.Id], [])).ToList())).ToList()))
            .OrderBy(s => s.Name, StringComparer.CurrentCulture).ToList();

        var from = now.Date.AddDays(-365);
        var days = (await db.ReviewLogs.Where(l => l.StudentId == studentId && l.ReviewedAt >= from)
                .GroupBy(l => l.ReviewedAt.Date).Select(g => new { Day = g.Key, Count = g.Count() }).ToListAsync(cancellationToken))
            .ToDictionary(d => DateOnly.FromDateTime(d.Day), d => d.Count);
        var today = DateOnly.FromDateTime(now);
        var chart = Enumerable.Range(0, ChartDays).Select(i => today.AddDays(i - ChartDays + 1)).Select(d => new DayCount(d, days.GetValueOrDefault(d))).ToList();
        return new LearningProgress(subjects, chart, Streak(days, today), days.GetValueOrDefault(today), await AttemptsAsync(db, studentId, now, cancellationToken));
    }

    /// <summary>Days in a row with at least one graded answer, ending today, or yesterday while today has none yet.</summary>
    public static int Streak(IReadOnlyDictionary<DateOnly, int> reviewsPerDay, DateOnly today)
    {
        var day = reviewsPerDay.GetValueOrDefault(today) > 0 ? today : today.AddDays(-1);
        var streak = 0;
        while (reviewsPerDay.GetValueOrDefault(day) > 0)
        {
            streak++;
            day = day.AddDays(-1);
        }

        return streak;
    }

    private static async Task<IReadOnlyList<AttemptLine>> AttemptsAsync(EduLoopDbContext db, string studentId, DateTime now, CancellationToken cancellationToken)
    {
        var attempts = await db.Attempts.AsNoTracking().Where(a => a.StudentId == studentId && !a.IsPreview && a.State != AttemptState.InProgress)
            .Join(db.Quizzes, a => a.QuizId, q => q.Id, (a, q) => new { Attempt = a, Quiz = q })
            .ToListAsync(cancellationToken);
        return attempts.OrderByDescending(x => x.Attempt.SubmittedAt).Select(x =>
        {
            var policy = ReviewPolicy.For(x.Quiz, x.Attempt.State, now);
            return new AttemptLine(x.Attempt.Id, x.Quiz.Id, x.Quiz.Title, x.Attempt.Number, x.Attempt.SubmittedAt, x.Attempt.State,
                policy.Score && x.Attempt.State == AttemptState.Graded ? x.Attempt.Score : null, x.Attempt.MaxScore, policy.Open);
        }).ToList();
    }

    /// <summary>
    /// The class's heatmap: each student's mastery of each topic the class has started (subcategories,
    /// or a category's questions outside any), the weakest topics and who has not started each quiz.
    /// </summary>
    /// <exception cref="NotFoundException">No such class.</exception>
    /// <exception cref="ForbiddenException">The actor does not teach the class and is no admin.</exception>
    public async Task<ClassProgress> ClassProgressAsync(int classId, Actor actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await ClassService.EnsureMayManageAsync(db, classId, actor, cancellationToken);
        var schoolClass = await db.SchoolClasses.Where(c => c.Id == classId).Select(c => new { c.Name, c.DesiredRetention }).FirstAsync(cancellationToken);
        var students = await db.ClassMemberships.AsNoTracking().Where(m => m.SchoolClassId == classId)
            .Select(m => new { m.UserId, m.User!.DisplayName, m.User.Email }).ToListAsync(cancellationToken);
        var memberIds = db.ClassMemberships.Where(m => m.SchoolClassId == classId).Select(m => m.UserId);
        var cells = (await RecallSql.OfClassAsync(db, classId, now, MemoryModel.Default, cancellationToken))
            .ToDictionary(r => (r.StudentId, Topic: r.SubCategoryId is { } sub ? (BankNodeKind.SubCategory, sub) : (BankNodeKind.Category, r.CategoryId)),
                r => new HeatmapCell(r.Seen, r.Recall / r.Seen));
        var topics = await TopicsAsync(db, cells.Keys.Select(k => k.Topic).Distinct().ToList(), cancellationToken);
        var rows = students
            .Select(s => new HeatmapRow(s.UserId, string.IsNullOrWhiteSpace(s.DisplayName) ? s.Email ?? s.UserId : s.DisplayName,
                topics.Select(t => cells.GetValueOrDefault((s.UserId, (t.Kind, t.Id))) ?? new HeatmapCell(0, null)).ToList()))
            .OrderBy(r => r.Name, StringComparer.CurrentCulture).ToList();
        var weakest = topics.Select((t, i) => (Topic: t, Started: rows.Select(r => r.Cells[i]).Where(c => c.Seen > 0).ToList()))
            .Where(t => t.Started.Count >= WeakestMinimumStudents)
            .Select(t => new WeakTopic(t.Topic, t.Started.Average(c => c.Retrievability!.Value), t.Started.Count))
            .OrderBy(w => w.Retrievability).Take(WeakestCount).ToList();

        var quizzes = await db.QuizAssignments.AsNoTracking().Where(a => a.SchoolClassId == classId)
            .Join(db.Quizzes, a => a.QuizId, q => q.Id, (a, q) => new { q.Id, q.Title, q.OpensAt }).ToListAsync(cancellationToken);
        var quizIds = quizzes.Select(q => q.Id).ToList();
        var started = (await db.Attempts.AsNoTracking().Where(a => quizIds.Contains(a.QuizId) && !a.IsPreview && memberIds.Contains(a.StudentId))
            .Select(a => new { a.QuizId, a.StudentId }).Distinct().ToListAsync(cancellationToken)).ToHashSet();
        var notStarted = quizzes.OrderBy(q => q.OpensAt ?? DateTime.MinValue).ThenBy(q => q.Title, StringComparer.CurrentCulture)
            .Select(q => new QuizNotStarted(q.Id, q.Title, rows.Where(r => !started.Contains(new { QuizId = q.Id, StudentId = r.StudentId })).Select(r => r.Name).ToList()))
            .ToList();
        return new ClassProgress(classId, schoolClass.Name, schoolClass.DesiredRetention, topics, rows, weakest, notStarted);
    }

    /// <summary>
    /// Sets the chance of recall practice aims at for the class's students, from
    /// <see cref="ReviewRecorder.MinimumRetention"/> to <see cref="ReviewRecorder.MaximumRetention"/>;
    /// it applies from each student's next answer.
    /// </summary>
    public async Task SetDesiredRetentionAsync(int classId, double desiredRetention, Actor actor, CancellationToken cancellationToken = default)
    {
        if (!double.IsFinite(desiredRetention) || desiredRetention < ReviewRecorder.MinimumRetention || desiredRetention > ReviewRecorder.MaximumRetention)
        {
            throw new DomainValidationException("desired_retention",
                FormattableString.Invariant($"The desired retention is from {ReviewRecorder.MinimumRetention:0.##} to {ReviewRecorder.MaximumRetention:0.##}."));
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await ClassService.EnsureMayManageAsync(db, classId, actor, cancellationToken);
        await db.SchoolClasses.Where(c => c.Id == classId).ExecuteUpdateAsync(u => u.SetProperty(c => c.DesiredRetention, desiredRetention), cancellationToken);
    }

    /// <summary>The topics' names and places, ordered by subject, category and name.</summary>
    private static async Task<List<HeatmapTopic>> TopicsAsync(EduLoopDbContext db, List<(BankNodeKind Kind, int Id)> keys, CancellationToken cancellationToken)
    {
        var subIds = keys.Where(k => k.Kind == BankNodeKind.SubCategory).Select(k => k.Id).ToList();
        var categoryIds = keys.Where(k => k.Kind == BankNodeKind.Category).Select(k => k.Id).ToList();
        var subs = await db.SubCategories.AsNoTracking().Where(s => subIds.Contains(s.Id))
            .Select(s => new HeatmapTopic(BankNodeKind.SubCategory, s.Id, s.SubjectId, s.CategoryId, s.Category!.Subject!.Name, s.Category.Name, s.Name))
            .ToListAsync(cancellationToken);
        var categories = await db.Categories.AsNoTracking().Where(c => categoryIds.Contains(c.Id))
            .Select(c => new HeatmapTopic(BankNodeKind.Category, c.Id, c.SubjectId, c.Id, c.Subject!.Name, c.Name, c.Name))
            .ToListAsync(cancellationToken);
        return [.. subs.Concat(categories).OrderBy(t => t.Subject, StringComparer.CurrentCulture).ThenBy(t => t.Category, StringComparer.CurrentCulture)
            .ThenBy(t => t.Kind).ThenBy(t => t.Name, StringComparer.CurrentCulture)];
    }

    private static Mastery Node(BankNode node, IEnumerable<TopicRecall> recall, IReadOnlyList<Mastery> children)
    {
        var (seen, sum) = recall.Aggregate((Seen: 0, Sum: 0.0), (total, r) => (total.Seen + r.Seen, total.Sum + r.Recall));
        return new Mastery(node.Kind, node.Id, node.Name, seen, node.Questions, seen == 0 ? null : sum / seen, children.Where(c => c.Seen > 0).ToList());
    }
}
