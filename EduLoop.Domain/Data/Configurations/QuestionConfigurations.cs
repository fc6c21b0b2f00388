using System.Text.Json;

using EduLoop.Domain.Identity;
using EduLoop.Domain.QuestionBank;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EduLoop.Domain.Data.Configurations;

internal sealed class QuestionConfiguration : IEntityTypeConfiguration<Question>
{
    public void Configure(EntityTypeBuilder<Question> builder)
    {
        builder.Property(q => q.Title).HasMaxLength(Limits.TitleLength);
        builder.Property(q => q.Body).HasBodyConversion();
        builder.Property(q => q.ConcurrencyStamp).IsConcurrencyToken();

        builder.HasOne(q => q.Category).WithMany()
            .HasForeignKey(q => q.CategoryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(q => q.SubCategory).WithMany()
            .HasForeignKey(q => q.SubCategoryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Group>().WithMany()
            .HasForeignKey(q => q.GroupId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Subject>().WithMany()
            .HasForeignKey(q => q.SubjectId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<ApplicationUser>().WithMany()
            .HasForeignKey(q => q.CreatedById).OnDelete(DeleteBehavior.SetNull);

        // Every filter of the API and the bank browser is one of these, paged newest first.
        builder.HasIndex(q => q.CreatedAt);
        builder.HasIndex(q => new { q.GroupId, q.CreatedAt });
        builder.HasIndex(q => new { q.SubjectId, q.CreatedAt });
        builder.HasIndex(q => new { q.CategoryId, q.CreatedAt });
        builder.HasIndex(q => new { q.SubCategoryId, q.CreatedAt });
        builder.HasIndex(q => new { q.Level, q.CreatedAt });
        builder.HasIndex(q => new { q.Type, q.CreatedAt });
        builder.HasIndex(q => q.CreatedById);
        builder.HasIndex(q => q.ContentHash);
        builder.HasIndex(q => q.UpdatedAt);
        // Partial: only the few archived questions are in it, so the planner never prefers it for the rest.
        builder.HasIndex(q => q.IsArchived).HasFilter("\"IsArchived\"");

        builder.HasMany(q => q.Tags).WithOne()
            .HasForeignKey(t => t.QuestionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class QuestionVersionConfiguration : IEntityTypeConfiguration<QuestionVersion>
{
    public void Configure(EntityTypeBuilder<QuestionVersion> builder)
    {
        builder.Property(v => v.Body).HasBodyConversion();
        builder.HasIndex(v => new { v.QuestionId, v.Number }).IsUnique();
        builder.HasOne(v => v.Question).WithMany()
            .HasForeignKey(v => v.QuestionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TagConfiguration : IEntityTypeConfiguration<Tag>
{
    public void Configure(EntityTypeBuilder<Tag> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(Limits.TagLength);
        builder.HasIndex(t => t.Name).IsUnique();
    }
}

internal sealed class QuestionTagConfiguration : IEntityTypeConfiguration<QuestionTag>
{
    public void Configure(EntityTypeBuilder<QuestionTag> builder)
    {
        builder.HasKey(t => new { t.QuestionId, t.TagId });
        builder.HasIndex(t => t.TagId);
        builder.HasOne(t => t.Tag).WithMany().HasForeignKey(t => t.TagId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal static class QuestionBodyConversion
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        // Most bodies use one or two of their lists; empty ones are not stored (a million rows × ~80 bytes).
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver
        {
            Modifiers = { SkipEmptyCollections },
        },
    };

    private static void SkipEmptyCollections(System.Text.Json.Serialization.Metadata.JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            if (typeof(System.Collections.ICollection).IsAssignableFrom(property.PropertyType))
            {
                property.ShouldSerialize = (_, value) => value is System.Collections.ICollection { Count: > 0 };
            }
        }
    }

    public static string Serialize(QuestionBody body) => JsonSerializer.Serialize(body, _json);

    public static QuestionBody Deserialize(string json) =>
        JsonSerializer.Deserialize<QuestionBody>(json, _json) ?? new QuestionBody();

    /// <summary>Stores the body as JSON text and compares bodies by their JSON.</summary>
    public static PropertyBuilder<QuestionBody> HasBodyConversion(this PropertyBuilder<QuestionBody> property) =>
        property.HasConversion(
            body => Serialize(body),
            json => Deserialize(json),
            new ValueComparer<QuestionBody>(
                (a, b) => Serialize(a!) == Serialize(b!),
                body => Serialize(body).GetHashCode(),
                body => Deserialize(Serialize(body))));
}
