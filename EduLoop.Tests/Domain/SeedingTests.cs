using EduLoop.Domain.Data.Seeding;
using EduLoop.Domain.Identity;
using EduLoop.Domain.QuestionBank;
using EduLoop.Tests.Infrastructure;

using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Domain;

public sealed class SeedingTests
{
    [Fact]
    public async Task SeedAsync_EmptyDatabase_LoadsABelievableSchool()
    {
        await using var database = await DomainDatabase.CreateAsync();
        await database.Get<AccountSetup>().EnsureRolesAsync();

        var school = await database.Get<DemoDataSeeder>().SeedAsync(new() { TeacherPassword = "teacher passphrase" });

        Assert.NotNull(school);
        await using var db = database.CreateContext();
        Assert.True(await db.Groups.CountAsync() >= 3);
        Assert.True(await db.Subjects.CountAsync() >= 8);
        Assert.True(await db.Categories.CountAsync() >= 40);
        Assert.True(await db.SubCategories.CountAsync() >= 150);
        Assert.Equal(2000, await db.Questions.CountAsync());
        Assert.Equal(Enum.GetValues<QuestionType>().Order(), (await db.Questions.Select(q => q.Type).Distinct().ToListAsync()).Order());
        Assert.True(await db.Questions.CountAsync(q => q.Stem.Contains("$")) > 100, "some questions have math");

        // Every question hangs consistently in the hierarchy.
        var inconsistent = await db.Questions.CountAsync(q =>
            q.SubCategory!.CategoryId != q.CategoryId || q.Category!.SubjectId != q.SubjectId || q.Category.GroupId != q.GroupId);
        Assert.Equal(0, inconsistent);

        // The teacher's password is the configured one; the student's was generated and reported.
        Assert.Contains(school.Accounts, a => a is { Role: Roles.Teacher, PasswordWasGenerated: false });
        Assert.Contains(school.Accounts, a => a is { Role: Roles.Student, PasswordWasGenerated: true });
        var student = await db.Users.SingleAsync(u => u.Email == DemoDataSeeder.StudentEmail);
        Assert.Equal(1, await db.ClassMemberships.CountAsync(m => m.UserId == student.Id));
    }

    [Fact]
    public async Task SeedAsync_BankNotEmpty_DoesNothing()
    {
        await using var database = await DomainDatabase.CreateAsync();
        await using (var db = database.CreateContext())
        {
            db.Groups.Add(new Group { Name = "Existing" });
            await db.SaveChangesAsync();
        }

        Assert.Null(await database.Get<DemoDataSeeder>().SeedAsync(new()));
        await using var check = database.CreateContext();
        Assert.Equal(0, await check.Users.CountAsync());
        Assert.Equal(1, await check.Groups.CountAsync());
    }

    [Fact]
    public async Task WriteAsync_SyntheticBank_WritesTheShapeOfTheOriginalLoadTest()
    {
        await using var database = await DomainDatabase.CreateAsync();
        var taxonomy = SyntheticBank.Taxonomy();
        var indexesBefore = await QuestionIndexesAsync(database);

        await database.Get<BankWriter>().WriteAsync(taxonomy, SyntheticBank.Questions(5000, taxonomy.SubCategories.Count), createdById: null);

        // The writer drops the indexes for speed; every one of them is back.
        Assert.True(indexesBefore.Count >= 8);
        Assert.Equal(indexesBefore, await QuestionIndexesAsync(database));
        await using var db = database.CreateContext();
        Assert.Equal(10, await db.Groups.CountAsync());
        Assert.Equal(50, await db.Subjects.CountAsync());
        Assert.Equal(200, await db.Categories.CountAsync());
        Assert.Equal(1000, await db.SubCategories.CountAsync());
        Assert.Equal(5000, await db.Questions.CountAsync());
        var question = await db.Questions.AsNoTracking().OrderBy(q => q.Id).FirstAsync();
        Assert.Equal(4, question.Body.Choices.Count);
        Assert.Single(question.Body.Choices, c => c.IsCorrect);
        Assert.StartsWith("Question 1:", question.Title);
    }

    private static async Task<List<string>> QuestionIndexesAsync(DomainDatabase database)
    {
        await using var db = database.CreateContext();
        var sql = TestDatabase.IsPostgres
            ? "SELECT indexname AS \"Value\" FROM pg_indexes WHERE tablename = 'Questions' ORDER BY indexname"
            : "SELECT name AS Value FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Questions' ORDER BY name";
        return await db.Database.SqlQueryRaw<string>(sql).ToListAsync();
    }

    [Fact]
    public void Taxonomy_DemoBank_MeetsTheDemoMinimums()
    {
        var taxonomy = DemoBank.Taxonomy();

        Assert.Equal(3, taxonomy.Groups.Count);
        Assert.Equal(8, taxonomy.Subjects.Count);
        Assert.Equal(40, taxonomy.Categories.Count);
        Assert.InRange(taxonomy.SubCategories.Count, 150, 200);
    }

    [Theory]
    [InlineData("**Bold** start of a question", "Bold start of a question")]
    [InlineData("$$x^2$$ is what?", "$x^2$ is what?")]
    [InlineData("Solve $2x = 4$ for $x$. Then **$x^2$**?", "Solve $2x = 4$ for $x$. Then $x^2$?")]
    [InlineData("one two three four five six seven eight nine ten eleven $x + y = z$", "one two three four five six seven eight nine ten eleven $x + y = z$")]
    [InlineData("one two three four five six seven eight nine ten eleven twelve $x + y$", "one two three four five six seven eight nine ten eleven twelve …")]
    [InlineData("one two three four five six seven eight nine ten eleven twelve thirteen", "one two three four five six seven eight nine ten eleven twelve …")]
    public void TitleOf_Stem_IsItsFirstWords(string stem, string title) => Assert.Equal(title, QuestionText.TitleOf(stem));

    [Theory]
    [InlineData("mcq", QuestionType.Mcq)]
    [InlineData("MCQ_MULTI", QuestionType.McqMulti)]
    [InlineData(" true_false ", QuestionType.TrueFalse)]
    [InlineData("fill_blank", QuestionType.FillBlank)]
    [InlineData("math", QuestionType.Math)]
    public void TryParseType_OriginalNames_RoundTrip(string name, QuestionType expected)
    {
        Assert.True(QuestionNames.TryParseType(name, out var type));
        Assert.Equal(expected, type);
        Assert.Equal(name.Trim().ToLowerInvariant(), type.ToName());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("essay")]
    [InlineData("hard")]
    public void TryParse_UnknownNames_AreRefused(string? name)
    {
        Assert.False(QuestionNames.TryParseType(name, out _));
        Assert.False(QuestionNames.TryParseLevel(name, out _));
    }
}
