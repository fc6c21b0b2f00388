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
        builder.Property(q => q.PassPercent).HasConversion<double?>();
        builder.HasMany(q => q.Slots).WithOne().HasForeignKey(s => s.QuizId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(q => q.Assignments).WithOne().HasForeignKey(a => a.QuizId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(q => q.CreatedById);
    }
}

internal sealed class QuizSlotConfiguration : IEntityTypeConfiguration<QuizSlot>
{
    public void Configure(EntityTypeBuilder<QuizSlot> builder)
    {
        builder.Property(s => s.Points).HasConversion<double>();
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
