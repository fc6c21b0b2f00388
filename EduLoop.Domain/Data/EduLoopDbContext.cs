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
    public DbSet<Practice.PracticeSession> PracticeSessions => Set<Practice.PracticeSession>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(EduLoopDbContext).Assembly);
    }
}
