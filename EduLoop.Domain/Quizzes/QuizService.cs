using EduLoop.Domain.Data;
using EduLoop.Domain.QuestionBank;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Quizzes;

/// <summary>A slot as the builder sends it: a fixed question, or a draw of <c>DrawCount</c> from a place.</summary>
public sealed record SlotDraft(
    int? QuestionId = null, int DrawCount = 1, int? CategoryId = null, int? SubCategoryId = null,
    QuestionLevel? Level = null, string? Tag = null, decimal Points = 1m);

/// <summary>A quiz as the builder sends it.</summary>
public sealed record QuizDraft(string Title, IReadOnlyList<SlotDraft> Slots)
{
    public string Instructions { get; init; } = "";
    public DateTime? OpensAt { get; init; }
    public DateTime? ClosesAt { get; init; }
    public int? TimeLimitMinutes { get; init; }
    public int AttemptsAllowed { get; init; } = 1;
    public GradingMethod Grading { get; init; } = GradingMethod.Highest;
    public bool ShuffleQuestions { get; init; }
    public bool ShuffleChoices { get; init; } = true;
    public bool OneQuestionPerPage { get; init; }
    public bool SequentialNavigation { get; init; }
    public decimal? PassPercent { get; init; }
    public ReviewTime Review { get; init; } = ReviewTime.ScoreNowAnswersAfterClose;
    public bool ReviewShowsScore { get; init; } = true;
    public bool ReviewShowsRightWrong { get; init; } = true;
    public bool ReviewShowsCorrectAnswers { get; init; } = true;
    public bool ReviewShowsFeedback { get; init; } = true;
    public IReadOnlyList<int> ClassIds { get; init; } = [];

    /// <summary>Extra minutes on the time limit, per student id.</summary>
    public IReadOnlyDictionary<string, int> ExtraMinutes { get; init; } = new Dictionary<string, int>();

    /// <summary>The teachers who may change the quiz besides its author; null leaves them as they are.</summary>
    public IReadOnlyList<string>? CoTeacherIds { get; init; }
}

/// <summary>A student of the quiz's classes, for the builder's extra-time list.</summary>
public sealed record QuizStudent(string Id, string Name, string Email);

/// <summary>A teacher, for the builder's co-teacher list.</summary>
public sealed record QuizTeacher(string Id, string Name, string Email);

/// <summary>A quiz the actor may change, for choosing one to add questions to.</summary>
public sealed record QuizChoice(int Id, string Title, int Slots);

/// <summary>
/// What adding questions to a quiz did: how many it added, how many the quiz had already, and how many
/// it left out because they are archived or deleted.
/// </summary>
public sealed record AddedQuestions(int Added, int AlreadyInQuiz, int Unavailable);

/// <summary>A quiz that has a question as one of its fixed slots.</summary>
public sealed record QuizUse(int Id, string Title);

/// <summary>Whose a quiz is: its author (null when it was made from the command line) and co-teachers, by name.</summary>
public sealed record QuizOwnership(QuizTeacher? Author, IReadOnlyList<QuizTeacher> CoTeachers);

/// <summary>
/// Builds quizzes from the bank: their settings, slots, classes and co-teachers, checked before anything
/// is saved. Changes are for the quiz's author, co-teachers and admins (<see cref="QuizAccess"/>).
/// </summary>
public sealed class QuizService(IDbContextFactory<EduLoopDbContext> contextFactory, TimeProvider clock)
{
    public const int MaxTimeLimitMinutes = 24 * 60;
    public const int MaxDraw = 100;
    public const int MaxAddedAtOnce = BankAddress.MaxIds;

    public async Task<int> CreateAsync(QuizDraft draft, string? userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await CheckAsync(db, draft, cancellationToken);
        var now = clock.UtcNowToSecond();
        var quiz = new Quiz { Title = draft.Title.Trim(), CreatedById = userId, CreatedAt = now };
        Apply(quiz, draft, now);
        await SetCoTeachersAsync(db, quiz, draft.CoTeacherIds ?? [], cancellationToken);
        db.Quizzes.Add(quiz);
        await db.SaveChangesAsync(cancellationToken);
        return quiz.Id;
    }

    /// <summary>
    /// Replaces the quiz's settings, slots, classes and extra time, and its co-teachers when the draft
    /// names them. For its author, co-teachers and admins; choosing co-teachers is for the author and admins.
    /// </summary>
    public async Task UpdateAsync(int id, QuizDraft draft, Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var quiz = await db.Quizzes.Include(q => q.Slots).Include(q => q.Assignments).Include(q => q.ExtraTimes).Include(q => q.CoTeachers)
            .FirstOrDefaultAsync(q => q.Id == id, cancellationToken)
            ?? throw new NotFoundException("This quiz does not exist (any more).");
        if (!quiz.CanChange(actor))
        {
            throw new ForbiddenException(QuizAccess.Refusal);
        }

        var coTeachersChange = draft.CoTeacherIds is { } wanted && !wanted.ToHashSet().SetEquals(quiz.CoTeachers.Select(c => c.TeacherId));
        if (coTeachersChange && !quiz.CanChooseCoTeachers(actor))
        {
            throw new ForbiddenException(QuizAccess.CoTeacherRefusal);
        }

        await CheckAsync(db, draft, cancellationToken);
        quiz.Slots.Clear();
        quiz.Assignments.Clear();
        quiz.ExtraTimes.Clear();
        Apply(quiz, draft, clock.UtcNowToSecond());
        if (coTeachersChange)
        {
            await SetCoTeachersAsync(db, quiz, draft.CoTeacherIds!, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// A copy for the actor to change: the settings and slots, titled as a copy; not the classes, extra
    /// time, co-teachers or attempts. Any teacher may duplicate any quiz.
    /// </summary>
    public async Task<int> DuplicateAsync(int id, Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var original = await db.Quizzes.AsNoTracking().Include(q => q.Slots).FirstOrDefaultAsync(q => q.Id == id, cancellationToken)
            ?? throw new NotFoundException("This quiz does not exist (any more).");
        var now = clock.UtcNowToSecond();
        var title = original.Title + " (copy)";
        var copy = new Quiz
        {
            Title = title.Length <= Limits.TitleLength ? title : title[..Limits.TitleLength],
            Instructions = original.Instructions,
            OpensAt = original.OpensAt,
            ClosesAt = original.ClosesAt,
            TimeLimitMinutes = original.TimeLimitMinutes,
            AttemptsAllowed = original.AttemptsAllowed,
            Grading = original.Grading,
            ShuffleQuestions = original.ShuffleQuestions,
            ShuffleChoices = original.ShuffleChoices,
            OneQuestionPerPage = original.OneQuestionPerPage,
            SequentialNavigation = original.SequentialNavigation,
            PassPercent = original.PassPercent,
            Review = original.Review,
            ReviewShowsScore = original.ReviewShowsScore,
            ReviewShowsRightWrong = original.ReviewShowsRightWrong,
            ReviewShowsCorrectAnswers = original.ReviewShowsCorrectAnswers,
            ReviewShowsFeedback = original.ReviewShowsFeedback,
            CreatedById = actor.UserId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        copy.Slots.AddRange(original.Slots.OrderBy(s => s.Position).Select(s => new QuizSlot
        {
            Position = s.Position,
            Points = s.Points,
            QuestionId = s.QuestionId,
            DrawCount = s.DrawCount,
            DrawCategoryId = s.DrawCategoryId,
            DrawSubCategoryId = s.DrawSubCategoryId,
            DrawLevel = s.DrawLevel,
            DrawTag = s.DrawTag,
        }));
        db.Quizzes.Add(copy);
        await db.SaveChangesAsync(cancellationToken);
        return copy.Id;
    }

    /// <summary>The quizzes the actor may change, the most recently changed first.</summary>
    public async Task<IReadOnlyList<QuizChoice>> ChangeableAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Quizzes.AsNoTracking().Where(QuizAccess.ChangeableBy(actor)).OrderByDescending(q => q.UpdatedAt).ThenByDescending(q => q.Id)
            .Select(q => new QuizChoice(q.Id, q.Title, q.Slots.Count))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Adds questions to the end of a quiz as fixed slots of one point each, in the order given; a
    /// question the quiz has already, or one that is archived or deleted, is counted and left out.
    /// For the quiz's author, co-teachers and admins.
    /// </summary>
    public async Task<AddedQuestions> AddQuestionsAsync(int quizId, IReadOnlyList<int> questionIds, Actor actor, CancellationToken cancellationToken = default)
    {
        var wanted = questionIds.Distinct().ToList();
        if (wanted.Count > MaxAddedAtOnce)
        {
            throw new DomainValidationException("questions", $"Add at most {MaxAddedAtOnce} questions at once.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var quiz = await db.Quizzes.Include(q => q.Slots).Include(q => q.CoTeachers).FirstOrDefaultAsync(q => q.Id == quizId, cancellationToken)
            ?? throw new NotFoundException("This quiz does not exist (any more).");
        if (!quiz.CanChange(actor))
        {
            throw new ForbiddenException(QuizAccess.Refusal);
        }

        var inQuiz = quiz.Slots.Where(s => s.QuestionId is not null).Select(s => s.QuestionId!.Value).ToHashSet();
        var usable = (await db.Questions.Where(q => wanted.Contains(q.Id) && !q.IsArchived).Select(q => q.Id).ToListAsync(cancellationToken)).ToHashSet();
        var position = quiz.Slots.Count == 0 ? 0 : quiz.Slots.Max(s => s.Position);
        var (added, already, unavailable) = (0, 0, 0);
        foreach (var id in wanted)
        {
            if (inQuiz.Contains(id))
            {
                already++;
            }
            else if (!usable.Contains(id))
            {
                unavailable++;
            }
            else
            {
                quiz.Slots.Add(new QuizSlot { Position = ++position, Points = 1m, QuestionId = id });
                added++;
            }
        }

        if (added > 0)
        {
            quiz.UpdatedAt = clock.UtcNowToSecond();
            await db.SaveChangesAsync(cancellationToken);
        }

        return new AddedQuestions(added, already, unavailable);
    }

    /// <summary>The quizzes that have the question as a fixed slot, by title.</summary>
    public async Task<IReadOnlyList<QuizUse>> UsesOfQuestionAsync(int questionId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Quizzes.AsNoTracking().Where(q => q.Slots.Any(s => s.QuestionId == questionId))
            .OrderBy(q => q.Title).ThenBy(q => q.Id)
            .Select(q => new QuizUse(q.Id, q.Title))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The teachers who may be co-teachers, by name.</summary>
    public async Task<IReadOnlyList<QuizTeacher>> TeachersAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await Teachers(db).OrderBy(u => u.DisplayName).ThenBy(u => u.Email)
            .Select(u => new QuizTeacher(u.Id, u.DisplayName != "" ? u.DisplayName : u.Email ?? "", u.Email ?? ""))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The quiz's author and co-teachers, by name.</summary>
    public async Task<QuizOwnership> OwnershipAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var authorId = await db.Quizzes.Where(q => q.Id == id).Select(q => new { q.CreatedById }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("This quiz does not exist (any more).");
        var people = await db.Users.AsNoTracking()
            .Where(u => u.Id == authorId.CreatedById || db.QuizCoTeachers.Any(c => c.QuizId == id && c.TeacherId == u.Id))
            .OrderBy(u => u.DisplayName).ThenBy(u => u.Email)
            .Select(u => new QuizTeacher(u.Id, u.DisplayName != "" ? u.DisplayName : u.Email ?? "", u.Email ?? ""))
            .ToListAsync(cancellationToken);
        return new QuizOwnership(people.FirstOrDefault(p => p.Id == authorId.CreatedById), people.Where(p => p.Id != authorId.CreatedById).ToList());
    }

    private static IQueryable<Identity.ApplicationUser> Teachers(EduLoopDbContext db) =>
        db.Users.AsNoTracking().Where(u => u.IsActive && db.UserRoles.Any(r => r.UserId == u.Id
            && db.Roles.Any(role => role.Id == r.RoleId && role.Name == Identity.Roles.Teacher)));

    /// <summary>Makes the given teachers the quiz's co-teachers; each must be a teacher other than the author.</summary>
    private static async Task SetCoTeachersAsync(EduLoopDbContext db, Quiz quiz, IReadOnlyList<string> teacherIds, CancellationToken cancellationToken)
    {
        var ids = teacherIds.Where(t => t != quiz.CreatedById).Distinct().ToList();
        if (await Teachers(db).CountAsync(u => ids.Contains(u.Id), cancellationToken) != ids.Count)
        {
            throw new DomainValidationException("co_teachers", "A co-teacher must be a teacher's active account.");
        }

        quiz.CoTeachers.RemoveAll(c => !ids.Contains(c.TeacherId));
        quiz.CoTeachers.AddRange(ids.Where(id => quiz.CoTeachers.All(c => c.TeacherId != id)).Select(id => new QuizCoTeacher { TeacherId = id }));
    }

    public async Task<Quiz> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Quizzes.AsNoTracking().Include(q => q.Slots.OrderBy(s => s.Position)).Include(q => q.Assignments).Include(q => q.ExtraTimes)
            .Include(q => q.CoTeachers)
            .FirstOrDefaultAsync(q => q.Id == id, cancellationToken) ?? throw new NotFoundException("This quiz does not exist (any more).");
    }

    /// <summary>How many questions a draw could pick from: not archived, in the place, of the level and tag asked.</summary>
    public async Task<int> AvailableAsync(SlotDraft slot, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await Pool(db, slot).CountAsync(cancellationToken);
    }

    private static IQueryable<Question> Pool(EduLoopDbContext db, SlotDraft slot) =>
        DrawPool.Of(db, slot.CategoryId, slot.SubCategoryId, slot.Level, slot.Tag);

    private static void Apply(Quiz quiz, QuizDraft draft, DateTime now)
    {
        quiz.Title = draft.Title.Trim();
        quiz.Instructions = draft.Instructions.Trim();
        (quiz.OpensAt, quiz.ClosesAt, quiz.TimeLimitMinutes, quiz.AttemptsAllowed, quiz.Grading) =
            (draft.OpensAt, draft.ClosesAt, draft.TimeLimitMinutes, draft.AttemptsAllowed, draft.Grading);
        (quiz.ShuffleQuestions, quiz.ShuffleChoices, quiz.OneQuestionPerPage, quiz.SequentialNavigation, quiz.PassPercent) =
            (draft.ShuffleQuestions, draft.ShuffleChoices, draft.OneQuestionPerPage, draft.SequentialNavigation, draft.PassPercent);
        (quiz.Review, quiz.ReviewShowsScore, quiz.ReviewShowsRightWrong, quiz.ReviewShowsCorrectAnswers, quiz.ReviewShowsFeedback) =
            (draft.Review, draft.ReviewShowsScore, draft.ReviewShowsRightWrong, draft.ReviewShowsCorrectAnswers, draft.ReviewShowsFeedback);
        quiz.UpdatedAt = now;
        var position = 0;
        foreach (var slot in draft.Slots)
        {
            quiz.Slots.Add(new QuizSlot
            {
                Position = ++position,
                Points = slot.Points,
                QuestionId = slot.QuestionId,
                DrawCount = slot.QuestionId is null ? slot.DrawCount : 1,
                DrawCategoryId = slot.QuestionId is null ? slot.CategoryId : null,
                DrawSubCategoryId = slot.QuestionId is null ? slot.SubCategoryId : null,
                DrawLevel = slot.QuestionId is null ? slot.Level : null,
                DrawTag = slot.QuestionId is null && !string.IsNullOrWhiteSpace(slot.Tag) ? slot.Tag.Trim() : null,
            });
        }

        foreach (var classId in draft.ClassIds.Distinct())
        {
            quiz.Assignments.Add(new QuizAssignment { SchoolClassId = classId });
        }

        foreach (var (studentId, minutes) in draft.ExtraMinutes.Where(e => e.Value > 0))
        {
            quiz.ExtraTimes.Add(new QuizExtraTime { StudentId = studentId, Minutes = minutes });
        }
    }

    /// <summary>The students of the given classes, by name.</summary>
    public async Task<IReadOnlyList<QuizStudent>> StudentsOfAsync(IReadOnlyList<int> classIds, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking()
            .Where(u => db.ClassMemberships.Any(m => m.UserId == u.Id && classIds.Contains(m.SchoolClassId)))
            .OrderBy(u => u.DisplayName).ThenBy(u => u.Email)
            .Select(u => new QuizStudent(u.Id, u.DisplayName != "" ? u.DisplayName : u.Email ?? "", u.Email ?? ""))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Gives the quiz's questions back to practice now, before its close time (they return by
    /// themselves when it closes); <paramref name="release"/> false holds them again.
    /// </summary>
    public async Task ReleaseQuestionsAsync(int id, bool release, Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await QuizAccess.EnsureCanChangeAsync(db, id, actor, cancellationToken);
        var releasedAt = release ? clock.UtcNowToSecond() : (DateTime?)null;
        if (await db.Quizzes.Where(q => q.Id == id).ExecuteUpdateAsync(u => u.SetProperty(q => q.QuestionsReleasedAt, releasedAt), cancellationToken) == 0)
        {
            throw new NotFoundException("This quiz does not exist (any more).");
        }
    }

    /// <summary>Deletes a quiz with its attempts, after the caller confirmed it; for its author, co-teachers and admins.</summary>
    public async Task DeleteAsync(int id, Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await QuizAccess.EnsureCanChangeAsync(db, id, actor, cancellationToken);
        if (await db.Quizzes.Where(q => q.Id == id).Where(QuizAccess.ChangeableBy(actor)).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            throw new NotFoundException("This quiz does not exist (any more).");
        }
    }

    /// <summary>Every rule of a quiz; the first broken one is thrown with its field.</summary>
    private static async Task CheckAsync(EduLoopDbContext db, QuizDraft draft, CancellationToken cancellationToken)
    {
        static void Require(bool ok, string field, string message)
        {
            if (!ok)
            {
                throw new DomainValidationException(field, message);
            }
        }

        Require(!string.IsNullOrWhiteSpace(draft.Title), "title", "Give the quiz a title.");
        Require(draft.Title.Trim().Length <= Limits.TitleLength, "title", $"A title may have at most {Limits.TitleLength} characters.");
        Require(draft.OpensAt is null || draft.ClosesAt is null || draft.ClosesAt > draft.OpensAt, "closes_at", "The quiz must close after it opens.");
        Require(draft.TimeLimitMinutes is null or (>= 1 and <= MaxTimeLimitMinutes), "time_limit", $"A time limit is 1 to {MaxTimeLimitMinutes} minutes.");
        Require(draft.AttemptsAllowed is >= 0 and <= 100, "attempts", "Attempts allowed: 0 (no limit) to 100.");
        Require(draft.PassPercent is null or (>= 0 and <= 100), "pass", "The pass mark is a percentage from 0 to 100.");
        Require(draft.Slots.Count > 0, "slots", "Add at least one question or draw.");
        Require(draft.Slots.All(s => s.Points is > 0 and <= 100), "slots", "Each question is worth more than 0 and at most 100 points.");

        var fixedIds = draft.Slots.Where(s => s.QuestionId is not null).Select(s => s.QuestionId!.Value).ToList();
        Require(fixedIds.Count == fixedIds.Distinct().Count(), "slots", "A question can be in a quiz only once.");
        var usable = await db.Questions.Where(q => fixedIds.Contains(q.Id) && !q.IsArchived).Select(q => q.Id).ToListAsync(cancellationToken);
        Require(usable.Count == fixedIds.Count, "slots", "A chosen question does not exist or is archived.");

        foreach (var (slot, index) in draft.Slots.Select((s, i) => (s, i + 1)).Where(x => x.s.QuestionId is null))
        {
            Require(slot.CategoryId is not null || slot.SubCategoryId is not null, "slots", $"Slot {index}: choose the category or subcategory to draw from.");
            Require(slot.DrawCount is >= 1 and <= MaxDraw, "slots", $"Slot {index}: draw 1 to {MaxDraw} questions.");
            if (slot.SubCategoryId is { } sub)
            {
                Require(await db.SubCategories.AnyAsync(s => s.Id == sub && (slot.CategoryId == null || s.CategoryId == slot.CategoryId), cancellationToken),
                    "slots", $"Slot {index}: the subcategory does not exist.");
            }
            else
            {
                Require(await db.Categories.AnyAsync(c => c.Id == slot.CategoryId, cancellationToken), "slots", $"Slot {index}: the category does not exist.");
            }

            var available = await Pool(db, slot).CountAsync(cancellationToken);
            Require(available >= slot.DrawCount, "slots",
                $"Slot {index}: only {available} {(available == 1 ? "question matches" : "questions match")}, fewer than the {slot.DrawCount} to draw.");
        }

        Require(draft.ExtraMinutes.Values.All(m => m is >= 0 and <= MaxTimeLimitMinutes), "extra_time", $"Extra time is 0 to {MaxTimeLimitMinutes} minutes.");
        var studentIds = draft.ExtraMinutes.Keys.ToList();
        Require(await db.Users.CountAsync(u => studentIds.Contains(u.Id), cancellationToken) == studentIds.Count, "extra_time", "A student given extra time does not exist.");

        var classIds = draft.ClassIds.Distinct().ToList();
        Require(await db.SchoolClasses.CountAsync(c => classIds.Contains(c.Id), cancellationToken) == classIds.Count, "classes", "A chosen class does not exist.");
    }
}
