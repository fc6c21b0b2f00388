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
    public DbSet<ClassTeacher> ClassTeachers => Set<ClassTeacher>();
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
    public DbSet<Settings.SchoolSetting> SchoolSettings => Set<Settings.SchoolSetting>();
    public DbSet<Learning.ReviewState> ReviewStates => Set<Learning.ReviewState>();
    public DbSet<Learning.ReviewLog> ReviewLogs => Set<Learning.ReviewLog>();
    public DbSet<Learning.QuestionQuality> QuestionQualities => Set<Learning.QuestionQuality>();
    public DbSet<Live.LiveGame> LiveGames => Set<Live.LiveGame>();
    public DbSet<Live.LiveGameQuestion> LiveGameQuestions => Set<Live.LiveGameQuestion>();
    public DbSet<Live.LivePlayer> LivePlayers => Set<Live.LivePlayer>();
    public DbSet<Live.LiveAnswer> LiveAnswers => Set<Live.LiveAnswer>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampContentHashes();
        NumberNewAccounts(() => AccountNumbers.Max(n => (int?)n.Number));
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampContentHashes();
        for (var attempt = 1; ; attempt++)
        {
            var numbered = new List<AccountNumber>();
            if (HasUnnumberedAccounts())
            {
                var highest = await AccountNumbers.MaxAsync(n => (int?)n.Number, cancellationToken);
                numbered = NumberNewAccounts(() => highest);
            }

            try
            {
                return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }
            catch (DbUpdateException) when (numbered.Count > 0 && attempt < 5)
            {
                // Another save took the same numbers first (many students registering at once): draw again.
                foreach (var number in numbered)
                {
                    Entry(number).State = EntityState.Detached;
                }

                foreach (var user in ChangeTracker.Entries<ApplicationUser>().Where(e => e.State == EntityState.Added))
                {
                    user.Entity.Number = 0;
                }
            }
        }
    }

    /// <summary>
    /// Whether a new account waits for its number. An added entity is known as added without a scan
    /// for changes, so the check does not make every save (an answer commit) detect changes twice.
    /// </summary>
    private bool HasUnnumberedAccounts()
    {
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return ChangeTracker.Entries<ApplicationUser>().Any(e => e.State == EntityState.Added && e.Entity.Number == 0);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    /// <summary>
    /// Every new account gets the next number, taken in the sequence table in the same save, so that
    /// no number is given twice or again after its account is deleted. An account that brings its own
    /// (one moved from the original service) keeps it.
    /// </summary>
    private List<AccountNumber> NumberNewAccounts(Func<int?> highestTaken)
    {
        if (!HasUnnumberedAccounts())
        {
            return [];
        }

        var unnumbered = ChangeTracker.Entries<ApplicationUser>()
            .Where(e => e.State == EntityState.Added && e.Entity.Number == 0).Select(e => e.Entity).ToList();

        var next = Math.Max(highestTaken() ?? 0, ChangeTracker.Entries<AccountNumber>().Select(e => e.Entity.Number).DefaultIfEmpty(0).Max()) + 1;
        var taken = new List<AccountNumber>();
        foreach (var user in unnumbered)
        {
            user.Number = next++;
            taken.Add(new AccountNumber { Number = user.Number });
        }

        AccountNumbers.AddRange(taken);
        return taken;
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
        ProviderTypes.Apply(builder, Database);
    }
}
