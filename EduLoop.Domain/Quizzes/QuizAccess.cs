using System.Linq.Expressions;
using EduLoop.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Quizzes;

/// <summary>
/// Who may change a quiz (docs/decisions/0005-who-may-change-what.md): its author, the co-teachers the
/// author added, and admins. Every teacher may open, preview, duplicate it and read its results.
/// A quiz without an author (made from the command line) is changed by admins only.
/// </summary>
public static class QuizAccess
{
    public const string Refusal = "Only the quiz's author, its co-teachers and admins may change this quiz. You can open, preview and duplicate it.";

    public const string CoTeacherRefusal = "Only the quiz's author and admins may choose its co-teachers.";

    /// <summary>The rule as a query filter: the quizzes the actor may change.</summary>
    public static Expression<Func<Quiz, bool>> ChangeableBy(Actor actor) => actor.IsAdmin
        ? q => true
        : q => q.CreatedById == actor.UserId || q.CoTeachers.Any(c => c.TeacherId == actor.UserId);

    /// <summary>The rule on a loaded quiz (with its co-teachers).</summary>
    public static bool CanChange(this Quiz quiz, Actor actor) =>
        actor.IsAdmin || (quiz.CreatedById is { } author && author == actor.UserId) || quiz.CoTeachers.Any(c => c.TeacherId == actor.UserId);

    /// <summary>Co-teachers are chosen by the author and admins, not by the co-teachers themselves.</summary>
    public static bool CanChooseCoTeachers(this Quiz quiz, Actor actor) =>
        actor.IsAdmin || (quiz.CreatedById is { } author && author == actor.UserId);

    /// <summary>Throws <see cref="NotFoundException"/> for a missing quiz and <see cref="ForbiddenException"/> for one the actor may not change.</summary>
    internal static async Task EnsureCanChangeAsync(EduLoopDbContext db, int quizId, Actor actor, CancellationToken cancellationToken)
    {
        var quiz = await db.Quizzes.AsNoTracking().Include(q => q.CoTeachers).FirstOrDefaultAsync(q => q.Id == quizId, cancellationToken)
            ?? throw new NotFoundException("This quiz does not exist (any more).");
        if (!quiz.CanChange(actor))
        {
            throw new ForbiddenException(Refusal);
        }
    }
}
