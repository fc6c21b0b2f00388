using EduLoop.Domain.Classes;
using EduLoop.Domain.Identity;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EduLoop.Domain.Data.Configurations;

internal sealed class SchoolClassConfiguration : IEntityTypeConfiguration<SchoolClass>
{
    public void Configure(EntityTypeBuilder<SchoolClass> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(Limits.NameLength);
        builder.Property(c => c.Description).HasMaxLength(Limits.DescriptionLength);
        builder.HasIndex(c => c.Name).IsUnique();
        // Classes made before desired retention existed aim at the default.
        builder.Property(c => c.DesiredRetention).HasDefaultValue(Learning.ReviewRecorder.DefaultRetention);
    }
}

internal sealed class ClassMembershipConfiguration : IEntityTypeConfiguration<ClassMembership>
{
    public void Configure(EntityTypeBuilder<ClassMembership> builder)
    {
        builder.HasKey(m => new { m.SchoolClassId, m.UserId });
        builder.HasIndex(m => m.UserId);
        builder.HasOne(m => m.SchoolClass).WithMany(c => c.Members)
            .HasForeignKey(m => m.SchoolClassId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(m => m.User).WithMany()
            .HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ClassTeacherConfiguration : IEntityTypeConfiguration<ClassTeacher>
{
    public void Configure(EntityTypeBuilder<ClassTeacher> builder)
    {
        builder.HasKey(t => new { t.SchoolClassId, t.TeacherId });
        builder.HasIndex(t => t.TeacherId);
        builder.HasOne(t => t.SchoolClass).WithMany(c => c.Teachers)
            .HasForeignKey(t => t.SchoolClassId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(t => t.Teacher).WithMany()
            .HasForeignKey(t => t.TeacherId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AccessKeyConfiguration : IEntityTypeConfiguration<AccessKey>
{
    public void Configure(EntityTypeBuilder<AccessKey> builder)
    {
        builder.Property(k => k.Key).HasMaxLength(AccessKey.MaxLength);
        builder.Property(k => k.Description).HasMaxLength(Limits.DescriptionLength);
        builder.HasIndex(k => k.Key).IsUnique();
        builder.HasIndex(k => k.SchoolClassId);
        builder.HasOne(k => k.SchoolClass).WithMany(c => c.AccessKeys)
            .HasForeignKey(k => k.SchoolClassId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ApplicationUserConfiguration : IEntityTypeConfiguration<ApplicationUser>
{
    public void Configure(EntityTypeBuilder<ApplicationUser> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(Limits.NameLength);
        builder.Property(u => u.FirstName).HasMaxLength(ApplicationUser.NamePartLength);
        builder.Property(u => u.LastName).HasMaxLength(ApplicationUser.NamePartLength);
        builder.HasIndex(u => u.Number).IsUnique();
    }
}

internal sealed class AccountNumberConfiguration : IEntityTypeConfiguration<AccountNumber>
{
    public void Configure(EntityTypeBuilder<AccountNumber> builder)
    {
        builder.HasKey(n => n.Number);
        builder.Property(n => n.Number).ValueGeneratedOnAdd();
    }
}

/// <summary>The three roles exist in every database from its first migration.</summary>
internal sealed class RoleConfiguration : IEntityTypeConfiguration<Microsoft.AspNetCore.Identity.IdentityRole>
{
    public void Configure(EntityTypeBuilder<Microsoft.AspNetCore.Identity.IdentityRole> builder) =>
        builder.HasData(Roles.All.Select(role => new Microsoft.AspNetCore.Identity.IdentityRole
        {
            Id = role.ToLowerInvariant(),
            Name = role,
            NormalizedName = role.ToUpperInvariant(),
            ConcurrencyStamp = $"{role.ToLowerInvariant()}-role",
        }));
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        // The column that held the keys in clear before they were hashed: its rows are kept across
        // the upgrade and hashed at start-up (ApiTokenService.HashClearKeysAsync).
        builder.Property(t => t.KeyHash).HasColumnName("Key").HasMaxLength(ApiToken.HashLength);
        builder.HasIndex(t => t.KeyHash).IsUnique();
        builder.HasIndex(t => t.UserId);
        builder.Property(t => t.Name).HasMaxLength(ApiToken.NameLength);
        builder.Property(t => t.SecurityStamp).HasMaxLength(256);
        builder.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PracticeSessionConfiguration : IEntityTypeConfiguration<Practice.PracticeSession>
{
    public void Configure(EntityTypeBuilder<Practice.PracticeSession> builder)
    {
        builder.Property(s => s.Id).HasMaxLength(32);
        builder.HasIndex(s => s.ExpiresAt);
        builder.Property(s => s.Owner).HasMaxLength(64);
        builder.HasIndex(s => new { s.Owner, s.CreatedAt });
        builder.PrimitiveCollection(s => s.CategoryIds);
        builder.PrimitiveCollection(s => s.SubCategoryIds);
        builder.PrimitiveCollection(s => s.Levels);
        builder.PrimitiveCollection(s => s.Queue);
        builder.PrimitiveCollection(s => s.Drawn);
        builder.PrimitiveCollection(s => s.SubjectIds);
    }
}

internal sealed class ReviewStateConfiguration : IEntityTypeConfiguration<Learning.ReviewState>
{
    public void Configure(EntityTypeBuilder<Learning.ReviewState> builder)
    {
        builder.HasKey(s => new { s.StudentId, s.QuestionId });
        // "Due today" and the review session read a student's due question ids from this index alone.
        builder.HasIndex(s => new { s.StudentId, s.Due, s.QuestionId });
        // Recall by place (the progress page, the class heatmap) reads a student's states from this index
        // alone: their rows are never looked up (on SQLite that lookup was half of the heatmap's time).
        builder.HasIndex(s => new { s.StudentId, s.QuestionId, s.LastReview, s.Stability });
        builder.HasIndex(s => s.QuestionId);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(s => s.StudentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<QuestionBank.Question>().WithMany().HasForeignKey(s => s.QuestionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReviewLogConfiguration : IEntityTypeConfiguration<Learning.ReviewLog>
{
    public void Configure(EntityTypeBuilder<Learning.ReviewLog> builder)
    {
        builder.Property(l => l.SessionId).HasMaxLength(32);
        // Reviews per day, the streak and the typical time read a student's logs by time.
        builder.HasIndex(l => new { l.StudentId, l.ReviewedAt });
        builder.HasIndex(l => l.QuestionId);
        builder.HasIndex(l => l.SessionId).HasFilter("\"SessionId\" IS NOT NULL");
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(l => l.StudentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<QuestionBank.Question>().WithMany().HasForeignKey(l => l.QuestionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class QuestionQualityConfiguration : IEntityTypeConfiguration<Learning.QuestionQuality>
{
    public void Configure(EntityTypeBuilder<Learning.QuestionQuality> builder)
    {
        builder.HasKey(q => q.QuestionId);
        builder.Property(q => q.QuestionId).ValueGeneratedNever();
        builder.PrimitiveCollection(q => q.Picks);
        builder.Ignore(q => q.Discrimination);
        builder.Ignore(q => q.Facility);
        // The bank's "Needs review" starts from the few flagged rows, not from a million questions.
        builder.HasIndex(q => q.OpenFlags).HasFilter("\"OpenFlags\" <> 0");
        builder.HasOne<QuestionBank.Question>().WithMany().HasForeignKey(q => q.QuestionId).OnDelete(DeleteBehavior.Cascade);
    }
}
