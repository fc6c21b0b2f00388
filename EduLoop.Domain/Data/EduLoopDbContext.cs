using EduLoop.Domain.Classes;
using EduLoop.Domain.Identity;
using EduLoop.Domain.QuestionBank;

using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Data;

public sealed class EduLoopDbContext(DbContextOptions<EduLoopDbContext> options)
    : IdentityDbContext<ApplicationUser>(options)
{
    public DbSet<Group> Groups => Set<Group>();
    public DbSet<Subject> Subjects => Set<Subject>();
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<SubCategory> SubCategories => Set<SubCategory>();
    public DbSet<Question> Questions => Set<Question>();
    public DbSet<QuestionVersion> QuestionVersions => Set<QuestionVersion>();
    public DbSet<Tag> Tags => Set<Tag>();
    public DbSet<QuestionTag> QuestionTags => Set<QuestionTag>();
    public DbSet<SchoolClass> SchoolClasses => Set<SchoolClass>();
    public DbSet<ClassMembership> ClassMemberships => Set<ClassMembership>();
    public DbSet<AccessKey> AccessKeys => Set<AccessKey>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AccountNumber> AccountNumbers => Set<AccountNumber>();
    public DbSet<Practice.PracticeSession> PracticeSessions => Set<Practice.PracticeSession>();
    public DbSet<Quizzes.Quiz> Quizzes => Set<Quizzes.Quiz>();
    public DbSet<Quizzes.QuizSlot> QuizSlots => Set<Quizzes.QuizSlot>();
    public DbSet<Quizzes.QuizAssignment> QuizAssignments => Set<Quizzes.QuizAssignment>();
    public DbSet<Quizzes.QuizExtraTime> QuizExtraTimes => Set<Quizzes.QuizExtraTime>();
    public DbSet<Quizzes.QuizCoTeacher> QuizCoTeachers => Set<Quizzes.QuizCoTeacher>();
    public DbSet<Quizzes.Attempt> Attempts => Set<Quizzes.Attempt>();
    public DbSet<Quizzes.AttemptQuestion> AttemptQuestions => Set<Quizzes.AttemptQuestion>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampContentHashes();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampContentHashes();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>Every question saved through EF gets the fingerprint of what it now says.</summary>
    private void StampContentHashes()
    {
        foreach (var entry in ChangeTracker.Entries<Question>())
        {
            if (entry.State is EntityState.Added or EntityState.Modified)
            {
                entry.Entity.ContentHash = QuestionHash.Of(entry.Entity.Type, entry.Entity.Stem, entry.Entity.Body);
            }
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(EduLoopDbContext).Assembly);
    }
}
