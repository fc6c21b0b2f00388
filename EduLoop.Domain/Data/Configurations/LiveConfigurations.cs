using EduLoop.Domain.Live;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EduLoop.Domain.Data.Configurations;

internal sealed class LiveGameConfiguration : IEntityTypeConfiguration<LiveGame>
{
    public void Configure(EntityTypeBuilder<LiveGame> builder)
    {
        builder.Property(g => g.Pin).HasMaxLength(LiveRules.PinLength);
        builder.Property(g => g.Title).HasMaxLength(Limits.TitleLength);
        builder.Property(g => g.HostId).HasMaxLength(450);
        // A PIN names one game at a time: free again once its game is over.
        builder.HasIndex(g => g.Pin).IsUnique().HasFilter("\"FinishedAt\" IS NULL");
        builder.HasIndex(g => new { g.HostId, g.CreatedAt });
        builder.HasIndex(g => g.QuizId);
        builder.HasMany(g => g.Questions).WithOne().HasForeignKey(q => q.GameId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class LiveGameQuestionConfiguration : IEntityTypeConfiguration<LiveGameQuestion>
{
    public void Configure(EntityTypeBuilder<LiveGameQuestion> builder)
    {
        builder.HasKey(q => new { q.GameId, q.Index });
        builder.Property(q => q.Body).HasBodyConversion();
    }
}

internal sealed class LivePlayerConfiguration : IEntityTypeConfiguration<LivePlayer>
{
    public void Configure(EntityTypeBuilder<LivePlayer> builder)
    {
        builder.Property(p => p.Nickname).HasMaxLength(LiveRules.NicknameLength);
        builder.Property(p => p.UserId).HasMaxLength(450);
        builder.Property(p => p.TokenHash).HasMaxLength(64);
        builder.HasOne<LiveGame>().WithMany().HasForeignKey(p => p.GameId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(p => p.NicknameKey).HasMaxLength(LiveRules.NicknameLength);
        builder.HasIndex(p => new { p.GameId, p.NicknameKey }).IsUnique();
        builder.HasIndex(p => new { p.GameId, p.UserId });
        builder.HasIndex(p => p.TokenHash);
    }
}

internal sealed class LiveAnswerConfiguration : IEntityTypeConfiguration<LiveAnswer>
{
    public void Configure(EntityTypeBuilder<LiveAnswer> builder)
    {
        // One answer per player and question: the first one received counts.
        builder.HasKey(a => new { a.PlayerId, a.QuestionIndex });
        builder.Property(a => a.Response).HasMaxLength(LiveRules.ResponseLength);
        builder.HasOne<LivePlayer>().WithMany().HasForeignKey(a => a.PlayerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.GameId, a.QuestionIndex });
    }
}
