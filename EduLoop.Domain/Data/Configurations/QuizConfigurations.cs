using EduLoop.Domain.Classes;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EduLoop.Domain.Data.Configurations;

internal sealed class QuizConfiguration : IEntityTypeConfiguration<Quiz>
{
    public void Configure(EntityTypeBuilder<Quiz> builder)
    {
        builder.Property(q => q.Title).HasMaxLength(Limits.TitleLength);
        builder.HasMany(q => q.Slots).WithOne().HasForeignKey(s => s.QuizId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(q => q.Assignments).WithOne().HasForeignKey(a => a.QuizId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(q => q.CreatedById);
    }
}

internal sealed class QuizSlotConfiguration : IEntityTypeConfiguration<QuizSlot>
{
    public void Configure(EntityTypeBuilder<QuizSlot> builder)
    {
        builder.Property(s => s.DrawTag).HasMaxLength(Limits.TagLength);
        // A question a quiz uses cannot be deleted from under it; it can be archived.
        builder.HasOne(s => s.Question).WithMany().HasForeignKey(s => s.QuestionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Category>().WithMany().HasForeignKey(s => s.DrawCategoryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<SubCategory>().WithMany().HasForeignKey(s => s.DrawSubCategoryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => new { s.QuizId, s.Position });
    }
}

internal sealed class QuizAssignmentConfiguration : IEntityTypeConfiguration<QuizAssignment>
{
    public void Configure(EntityTypeBuilder<QuizAssignment> builder)
    {
        builder.HasKey(a => new { a.QuizId, a.SchoolClassId });
        builder.HasOne<SchoolClass>().WithMany().HasForeignKey(a => a.SchoolClassId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => a.SchoolClassId);
    }
}

internal sealed class QuizExtraTimeConfiguration : IEntityTypeConfiguration<QuizExtraTime>
{
    public void Configure(EntityTypeBuilder<QuizExtraTime> builder)
    {
        builder.HasKey(e => new { e.QuizId, e.StudentId });
        builder.HasOne<Quiz>().WithMany(q => q.ExtraTimes).HasForeignKey(e => e.QuizId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<EduLoop.Domain.Identity.ApplicationUser>().WithMany().HasForeignKey(e => e.StudentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class QuizCoTeacherConfiguration : IEntityTypeConfiguration<QuizCoTeacher>
{
    public void Configure(EntityTypeBuilder<QuizCoTeacher> builder)
    {
        builder.HasKey(c => new { c.QuizId, c.TeacherId });
        builder.HasOne<Quiz>().WithMany(q => q.CoTeachers).HasForeignKey(c => c.QuizId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<EduLoop.Domain.Identity.ApplicationUser>().WithMany().HasForeignKey(c => c.TeacherId).OnDelete(DeleteBehavior.Cascade);
        // "The quizzes I may change" looks up by teacher.
        builder.HasIndex(c => c.TeacherId);
    }
}

internal sealed class AttemptConfiguration : IEntityTypeConfiguration<Attempt>
{
    public void Configure(EntityTypeBuilder<Attempt> builder)
    {
        builder.HasOne<Quiz>().WithMany().HasForeignKey(a => a.QuizId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<EduLoop.Domain.Identity.ApplicationUser>().WithMany().HasForeignKey(a => a.StudentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(a => a.Questions).WithOne().HasForeignKey(q => q.AttemptId).OnDelete(DeleteBehavior.Cascade);
        // A preview is number 0, so this also keeps one preview per teacher and quiz.
        builder.HasIndex(a => new { a.QuizId, a.StudentId, a.Number }).IsUnique();
        // At most one attempt in progress per student and quiz: ten "start" clicks make one attempt. A
        // preview is no attempt: a teacher in one of the quiz's classes may have both.
        builder.HasIndex(a => new { a.QuizId, a.StudentId }).IsUnique().HasFilter("\"State\" = 0 AND NOT \"IsPreview\"").HasDatabaseName("IX_Attempts_OneInProgress");
        builder.HasIndex(a => new { a.State, a.Deadline });
    }
}

internal sealed class AttemptQuestionConfiguration : IEntityTypeConfiguration<AttemptQuestion>
{
    public void Configure(EntityTypeBuilder<AttemptQuestion> builder)
    {
        builder.Property(q => q.Body).HasBodyConversion();
        builder.PrimitiveCollection(q => q.ChoiceOrder);
        builder.HasIndex(q => new { q.AttemptId, q.Position }).IsUnique();
        builder.HasIndex(q => q.QuestionId);
        builder.Property(q => q.Comment).HasMaxLength(Limits.CommentLength);
    }
}
