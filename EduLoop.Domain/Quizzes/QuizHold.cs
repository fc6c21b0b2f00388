using EduLoop.Domain.Data;
using EduLoop.Domain.Practice;
using EduLoop.Domain.QuestionBank;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Quizzes;

/// <summary>
/// The questions held back from a learner: every question that a quiz assigned to one of the
/// learner's classes can show (a fixed slot's question, or any question a draw slot's pool may draw),
/// while that quiz has not closed and its teacher has not released its questions. Practice and the
/// answer check leave them out, so no student can read a key of a quiz before taking it.
/// </summary>
internal sealed class QuizHold
{
    private readonly IReadOnlyList<int> _questionIds;
    private readonly IReadOnlyList<DrawRule> _pools;

    private QuizHold(IReadOnlyList<int> questionIds, IReadOnlyList<DrawRule> pools) => (_questionIds, _pools) = (questionIds, pools);

    /// <summary>Nothing held: staff, or a learner whose classes have no open quiz.</summary>
    public static QuizHold None { get; } = new([], []);

    public bool IsEmpty => _questionIds.Count == 0 && _pools.Count == 0;

    /// <summary>What the open quizzes of the learner's classes hold at <paramref name="now"/>.</summary>
    public static async Task<QuizHold> ForAsync(EduLoopDbContext db, Learner learner, DateTime now, CancellationToken cancellationToken)
    {
        IQueryable<int> classIds;
        switch (learner.Kind)
        {
            case LearnerKind.Student:
                classIds = db.ClassMemberships.Where(m => m.UserId == learner.Id).Select(m => m.SchoolClassId);
                break;
            case LearnerKind.AccessKey:
                classIds = db.AccessKeys.Where(k => k.Key == learner.Id && k.SchoolClassId != null).Select(k => k.SchoolClassId!.Value);
                break;
            default:
                return None;
        }

        var slots = await db.QuizSlots.AsNoTracking()
            .Where(s => db.Quizzes.Any(q => q.Id == s.QuizId
                && (q.ClosesAt == null || q.ClosesAt > now)
                && (q.QuestionsReleasedAt == null || q.QuestionsReleasedAt > now)
                && db.QuizAssignments.Any(a => a.QuizId == q.Id && classIds.Contains(a.SchoolClassId))))
            .Select(s => new { s.QuestionId, s.DrawCategoryId, s.DrawSubCategoryId, s.DrawLevel, s.DrawTag })
            .ToListAsync(cancellationToken);
        var fixedIds = slots.Where(s => s.QuestionId is not null).Select(s => s.QuestionId!.Value).Distinct().ToList();
        var pools = slots.Where(s => s.QuestionId is null)
            .Select(s => new DrawRule(s.DrawCategoryId, s.DrawSubCategoryId, s.DrawLevel, string.IsNullOrWhiteSpace(s.DrawTag) ? null : s.DrawTag.Trim()))
            .Distinct().ToList();
        return new QuizHold(fixedIds, pools);
    }

    /// <summary><paramref name="questions"/> without the held ones.</summary>
    public IQueryable<Question> Exclude(IQueryable<Question> questions)
    {
        if (_questionIds.Count > 0)
        {
            var ids = _questionIds;
            questions = questions.Where(q => !ids.Contains(q.Id));
        }

        foreach (var pool in _pools)
        {
            // The same place, level and tag test as the draw (DrawPool); archived and description
            // questions are held too, which only errs on the side of holding.
            var (category, subCategory, level, tag) = (pool.CategoryId, pool.SubCategoryId, pool.Level, pool.Tag);
            questions = questions.Where(q => !(
                (subCategory != null ? q.SubCategoryId == subCategory : q.CategoryId == category)
                && (level == null || q.Level == level)
                && (tag == null || q.Tags.Any(t => t.Tag!.Name == tag))));
        }

        return questions;
    }

    private sealed record DrawRule(int? CategoryId, int? SubCategoryId, QuestionLevel? Level, string? Tag);
}
