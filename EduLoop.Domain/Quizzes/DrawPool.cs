using EduLoop.Domain.Data;
using EduLoop.Domain.QuestionBank;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Quizzes;

/// <summary>The questions a random slot may draw: not archived, not a bare description, in the place, of the level and tag asked.</summary>
internal static class DrawPool
{
    public static IQueryable<Question> Of(EduLoopDbContext db, int? categoryId, int? subCategoryId, QuestionLevel? level, string? tag)
    {
        var pool = db.Questions.AsNoTracking().Where(q => !q.IsArchived && q.Type != QuestionType.Description);
        pool = subCategoryId is { } sub ? pool.Where(q => q.SubCategoryId == sub) : pool.Where(q => q.CategoryId == categoryId);
        if (level is { } wanted)
        {
            pool = pool.Where(q => q.Level == wanted);
        }

        if (!string.IsNullOrWhiteSpace(tag))
        {
            var name = tag.Trim();
            pool = pool.Where(q => q.Tags.Any(t => t.Tag!.Name == name));
        }

        return pool;
    }
}
