using EduLoop.Domain.QuestionBank;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EduLoop.Domain.Data.Configurations;

internal sealed class GroupConfiguration : IEntityTypeConfiguration<Group>
{
    public void Configure(EntityTypeBuilder<Group> builder)
    {
        builder.Property(g => g.Name).HasMaxLength(Limits.NameLength);
        builder.Property(g => g.Description).HasMaxLength(Limits.DescriptionLength);
        builder.HasIndex(g => g.Name).IsUnique();
    }
}

internal sealed class SubjectConfiguration : IEntityTypeConfiguration<Subject>
{
    public void Configure(EntityTypeBuilder<Subject> builder)
    {
        builder.Property(s => s.Name).HasMaxLength(Limits.NameLength);
        builder.Property(s => s.Description).HasMaxLength(Limits.DescriptionLength);
        builder.HasIndex(s => new { s.GroupId, s.Name }).IsUnique();
        builder.HasIndex(s => s.Name);
        builder.HasOne(s => s.Group).WithMany(g => g.Subjects)
            .HasForeignKey(s => s.GroupId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CategoryConfiguration : IEntityTypeConfiguration<Category>
{
    public void Configure(EntityTypeBuilder<Category> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(Limits.NameLength);
        builder.HasIndex(c => new { c.SubjectId, c.Name }).IsUnique();
        builder.HasIndex(c => new { c.GroupId, c.Name });
        builder.HasIndex(c => c.Name);
        builder.HasOne(c => c.Subject).WithMany(s => s.Categories)
            .HasForeignKey(c => c.SubjectId).OnDelete(DeleteBehavior.Cascade);
        // The group follows from the subject. NO ACTION (checked at the end of the statement) lets a
        // group delete cascade through its subjects; RESTRICT would refuse it.
        builder.HasOne(c => c.Group).WithMany()
            .HasForeignKey(c => c.GroupId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class SubCategoryConfiguration : IEntityTypeConfiguration<SubCategory>
{
    public void Configure(EntityTypeBuilder<SubCategory> builder)
    {
        builder.Property(s => s.Name).HasMaxLength(Limits.NameLength);
        builder.HasIndex(s => new { s.CategoryId, s.Name }).IsUnique();
        builder.HasIndex(s => new { s.SubjectId, s.Name });
        builder.HasIndex(s => new { s.GroupId, s.Name });
        builder.HasIndex(s => s.Name);
        builder.HasOne(s => s.Category).WithMany(c => c.SubCategories)
            .HasForeignKey(s => s.CategoryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Subject>().WithMany()
            .HasForeignKey(s => s.SubjectId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Group>().WithMany()
            .HasForeignKey(s => s.GroupId).OnDelete(DeleteBehavior.NoAction);
    }
}
