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
    public ReviewTime Review { get; init; } = ReviewTime.AfterClose;
    public bool ReviewShowsScore { get; init; } = true;
    public bool ReviewShowsRightWrong { get; init; } = true;
    public bool ReviewShowsCorrectAnswers { get; init; }
    public bool ReviewShowsFeedback { get; init; } = true;
    public IReadOnlyList<int> ClassIds { get; init; } = [];

    /// <summary>Extra minutes on the time limit, per student id.</summary>
    public IReadOnlyDictionary<string, int> ExtraMinutes { get; init; } = new Dictionary<string, int>();
}

/// <summary>A student of the quiz's classes, for the builder's extra-time list.</summary>
public sealed record QuizStudent(string Id, string Name, string Email);

/// <summary>Builds quizzes from the bank: their settings, slots and classes, checked before anything is saved.</summary>
public sealed class QuizService(IDbContextFactory<EduLoopDbContext> contextFactory, TimeProvider clock)
{
    public const int MaxTimeLimitMinutes = 24 * 60;
    public const int MaxDraw = 100;

    public async Task<int> CreateAsync(QuizDraft draft, string? userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await CheckAsync(db, draft, cancellationToken);
        var now = clock.UtcNowToSecond();
        var quiz = new Quiz { Title = draft.Title.Trim(), CreatedById = userId, CreatedAt = now };
        Apply(quiz, draft, now);
        db.Quizzes.Add(quiz);
        await db.SaveChangesAsync(cancellationToken);
        return quiz.Id;
    }

    public async Task UpdateAsync(int id, QuizDraft draft, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var quiz = await db.Quizzes.Include(q => q.Slots).Include(q => q.Assignments).Include(q => q.ExtraTimes).FirstOrDefaultAsync(q => q.Id == id, cancellationToken)
            ?? throw new NotFoundException("This quiz does not exist (any more).");
        await CheckAsync(db, draft, cancellationToken);
        quiz.Slots.Clear();
        quiz.Assignments.Clear();
        quiz.ExtraTimes.Clear();
        Apply(quiz, draft, clock.UtcNowToSecond());
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<Quiz> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Quizzes.AsNoTracking().Include(q => q.Slots.OrderBy(s => s.Position)).Include(q => q.Assignments).Include(q => q.ExtraTimes)
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
    public async Task ReleaseQuestionsAsync(int id, bool release, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var releasedAt = release ? clock.UtcNowToSecond() : (DateTime?)null;
        if (await db.Quizzes.Where(q => q.Id == id).ExecuteUpdateAsync(u => u.SetProperty(q => q.QuestionsReleasedAt, releasedAt), cancellationToken) == 0)
        {
            throw new NotFoundException("This quiz does not exist (any more).");
        }
    }

    /// <summary>Deletes a quiz with its attempts, after the caller confirmed it.</summary>
    public async Task DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Quizzes.Where(q => q.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
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
                $"Slot {index}: only {available} question(s) match, fewer than the {slot.DrawCount} to draw.");
        }

        Require(draft.ExtraMinutes.Values.All(m => m is >= 0 and <= MaxTimeLimitMinutes), "extra_time", $"Extra time is 0 to {MaxTimeLimitMinutes} minutes.");
        var studentIds = draft.ExtraMinutes.Keys.ToList();
        Require(await db.Users.CountAsync(u => studentIds.Contains(u.Id), cancellationToken) == studentIds.Count, "extra_time", "A student given extra time does not exist.");

        var classIds = draft.ClassIds.Distinct().ToList();
        Require(await db.SchoolClasses.CountAsync(c => classIds.Contains(c.Id), cancellationToken) == classIds.Count, "classes", "A chosen class does not exist.");
    }
}
