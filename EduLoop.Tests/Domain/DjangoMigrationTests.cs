using System.Diagnostics;
using System.Text.Json;

using EduLoop.Domain.Classes;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Moving;
using EduLoop.Domain.QuestionBank;
using EduLoop.Tests.Infrastructure;

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

using Xunit.Abstractions;

namespace EduLoop.Tests.Domain;

public sealed class DjangoMigrationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RunAsync_OriginalSchool_MovesEveryKindWithItsIdsNamesAndDates()
    {
        using var files = new TempDirectory();
        await using var database = await DomainDatabase.CreateAsync();
        await using var source = await OpenSqliteSourceAsync(files, withSchool: true);

        var result = await database.Get<DjangoMigration>().RunAsync(source);

        Assert.Equal(DjangoMigrationOutcome.Moved, result.Outcome);
        var counts = result.Counts;
        Assert.Equal((2, 2, 2, 1, 5), (counts.Groups, counts.Subjects, counts.Categories, counts.SubCategories, counts.Questions));
        Assert.Equal((2, 0, 1, 1, 0), (counts.Accounts, counts.Admins, counts.Teachers, counts.Students, counts.UnusablePasswords));
        Assert.Equal((1, 2, 1), (counts.Tokens, counts.AccessKeys, counts.InactiveAccessKeys));

        await using var db = database.CreateContext();
        // A description the original left empty (NULL) stays absent, as its API showed it (null).
        Assert.Equal([(1, "Mathematik", "Mathe"), (2, "Sprachen", (string?)null)],
            (await db.Groups.OrderBy(g => g.Id).ToListAsync()).Select(g => (g.Id, g.Name, g.Description)));
        Assert.Equal([(1, "Algebra", 1), (2, "Englisch", 2)],
            (await db.Subjects.OrderBy(s => s.Id).ToListAsync()).Select(s => (s.Id, s.Name, s.GroupId)));
        Assert.Equal([(1, "Gleichungen", 1, 1), (2, "Zeitformen", 2, 2)],
            (await db.Categories.OrderBy(c => c.Id).ToListAsync()).Select(c => (c.Id, c.Name, c.SubjectId, c.GroupId)));
        var linear = Assert.Single(await db.SubCategories.ToListAsync());
        Assert.Equal((1, "Linear", 1, 1, 1), (linear.Id, linear.Name, linear.CategoryId, linear.SubjectId, linear.GroupId));

        var questions = await db.Questions.OrderBy(q => q.Id).ToDictionaryAsync(q => q.Id);
        Assert.Equal([1, 2, 3, 4, 5], questions.Keys);
        var mcq = questions[1];
        Assert.Equal((QuestionType.Mcq, QuestionLevel.Easy, "Löse 2x + 3 = 7", 1), (mcq.Type, mcq.Level, mcq.Stem, mcq.SubCategoryId));
        Assert.Equal(["x = 1", "x = 2", "x = 5"], mcq.Body.Choices.Select(c => c.Text));
        Assert.Equal("x = 2", Assert.Single(mcq.Body.Choices, c => c.IsCorrect).Text);
        Assert.Equal("2x = 4", mcq.Body.GeneralFeedback);
        Assert.Equal(new DateTime(2025, 9, 4, 10, 0, 0, DateTimeKind.Utc), mcq.CreatedAt);
        Assert.NotEqual(0, mcq.ContentHash);
        Assert.True(questions[2].Body.TrueFalseAnswer);
        Assert.Null(questions[2].SubCategoryId);
        Assert.Equal("went", Assert.Single(questions[3].Body.AcceptedAnswers).Text);
        Assert.Equal("past simple", questions[3].Body.Extra["hint"].GetString());
        Assert.Equal(QuestionLevel.Advance, questions[3].Level);
        var numeric = Assert.Single(questions[4].Body.NumericAnswers);
        Assert.Equal(0.5, numeric.Value);
        Assert.Equal(0.001, numeric.Tolerance);
        Assert.Equal(50, questions[5].Body.Extra["min_words"].GetInt32());
        Assert.Equal(new DateTime(2025, 9, 4, 10, 4, 0, DateTimeKind.Utc), questions[5].UpdatedAt);
        // As the API's question creation maps the same metadata.
        using var original = JsonDocument.Parse("""{"question": "Löse 2x + 3 = 7", "options": ["x = 1", "x = 2", "x = 5"], "answer": "x = 2", "explanation": "2x = 4"}""");
        var (_, expected) = OriginalMetadata.FromMetadata(QuestionType.Mcq, original.RootElement, new ErrorBag());
        Assert.Equal(QuestionHash.Of(QuestionType.Mcq, "Löse 2x + 3 = 7", expected), mcq.ContentHash);

        var teacher = await db.Users.SingleAsync(u => u.UserName == "teacher1");
        Assert.Equal((1, "Anna", "Schmidt", "teacher1@school.example", "TEACHER1", true), (teacher.Number, teacher.FirstName, teacher.LastName, teacher.Email, teacher.NormalizedUserName, teacher.IsActive));
        Assert.Equal(new DateTime(2025, 9, 1, 8, 0, 0, DateTimeKind.Utc), teacher.CreatedAt);
        Assert.StartsWith("pbkdf2_sha256$260000$", teacher.PasswordHash);
        Assert.Equal(Roles.Teacher, await RoleOfAsync(db, teacher.Id));
        var student = await db.Users.SingleAsync(u => u.UserName == "student1");
        Assert.Equal((2, Roles.Student), (student.Number, await RoleOfAsync(db, student.Id)));
        Assert.Equal([1, 2], await db.AccountNumbers.OrderBy(n => n.Number).Select(n => n.Number).ToListAsync());

        var token = Assert.Single(await db.ApiTokens.ToListAsync());
        Assert.Equal((ApiTokenService.Hash(OriginalSchool.TeacherToken), teacher.Id, teacher.SecurityStamp), (token.KeyHash, token.UserId, token.SecurityStamp));
        Assert.Equal(teacher.Id, (await database.Get<ApiTokenService>().FindAsync(OriginalSchool.TeacherToken))?.UserId);

        Assert.True(await database.Get<ClassService>().IsActiveKeyAsync(OriginalSchool.ActiveKey));
        Assert.False(await database.Get<ClassService>().IsActiveKeyAsync(OriginalSchool.InactiveKey));
        var key = await db.AccessKeys.SingleAsync(k => k.Key == OriginalSchool.ActiveKey);
        Assert.Equal(("Class 9a", (int?)null), (key.Description, key.SchoolClassId));
    }

    [Fact]
    public async Task RunAsync_AfterMigration_NewAccountsAndRowsContinueAfterTheMovedIds()
    {
        using var files = new TempDirectory();
        await using var database = await DomainDatabase.CreateAsync();
        await using (var source = await OpenSqliteSourceAsync(files, withSchool: true))
        {
            await database.Get<DjangoMigration>().RunAsync(source);
        }

        await using var db = database.CreateContext();
        var number = new AccountNumber();
        db.AccountNumbers.Add(number);
        var group = new Group { Name = "Neu" };
        db.Groups.Add(group);
        await db.SaveChangesAsync();

        Assert.Equal((3, 3), (number.Number, group.Id));
    }

    [Fact]
    public async Task RunAsync_LargeSchool_MovesEveryRow()
    {
        const int questions = 5_000, users = 300;
        using var files = new TempDirectory();
        await using var database = await DomainDatabase.CreateAsync();
        await using var source = await OpenSqliteSourceAsync(files, withSchool: false);
        await OriginalSchool.WriteLargeSchoolAsync(source, questions, users);

        var stopwatch = Stopwatch.StartNew();
        var result = await database.Get<DjangoMigration>().RunAsync(source);
        output.WriteLine($"Moved {questions:N0} questions and {users} accounts from SQLite in {stopwatch.Elapsed.TotalSeconds:0.00} s.");

        Assert.Equal(DjangoMigrationOutcome.Moved, result.Outcome);
        var counts = result.Counts;
        Assert.Equal((4, 20, 120, 480, questions), (counts.Groups, counts.Subjects, counts.Categories, counts.SubCategories, counts.Questions));
        Assert.Equal((users, 1, 30, 269, 6), (counts.Accounts, counts.Admins, counts.Teachers, counts.Students, counts.UnusablePasswords));
        Assert.Equal((31, 10, 4), (counts.Tokens, counts.AccessKeys, counts.InactiveAccessKeys));
        await using var db = database.CreateContext();
        Assert.Equal(questions, await db.Questions.CountAsync());
        Assert.Equal(questions / 5, await db.Questions.CountAsync(q => q.Type == QuestionType.Math));
        Assert.Equal(questions, await db.Questions.MaxAsync(q => q.Id));
        Assert.Equal(users, await db.Users.CountAsync());
        Assert.Equal(users, await db.AccountNumbers.MaxAsync(n => n.Number));
        Assert.Equal(12, await db.Users.CountAsync(u => !u.IsActive));
        Assert.True(await database.Get<ClassService>().IsActiveKeyAsync("GK-SPARE-01"));
    }

    [Fact]
    public async Task RunAsync_TargetNotEmpty_RefusesAndChangesNothing()
    {
        using var files = new TempDirectory();
        await using var database = await DomainDatabase.CreateAsync();
        await using (var db = database.CreateContext())
        {
            db.Groups.Add(new Group { Name = "Schon da" });
            await db.SaveChangesAsync();
        }

        await using var source = await OpenSqliteSourceAsync(files, withSchool: true);
        var result = await database.Get<DjangoMigration>().RunAsync(source);

        Assert.Equal(DjangoMigrationOutcome.TargetNotEmpty, result.Outcome);
        Assert.Contains("already holds 1 group.", result.Message);
        await using var check = database.CreateContext();
        Assert.Equal(["Schon da"], await check.Groups.Select(g => g.Name).ToListAsync());
        Assert.Equal(0, await check.Users.CountAsync());
        Assert.Equal(0, await check.AccessKeys.CountAsync());
    }

    [Fact]
    public async Task RunAsync_BadMetadataRow_NamesTheRowsAndWritesNothing()
    {
        using var files = new TempDirectory();
        await using var database = await DomainDatabase.CreateAsync();
        var path = Path.Combine(files.Path, "school.db");
        await OriginalSchool.CreateSqliteAsync(path);
        await OriginalSchool.ExecuteAsync(path,
            """
            INSERT INTO questions_question (id, level, metadata, created_at, updated_at, category_id, group_id, subject_id, subcategory_id, type) VALUES
             (6, 'easy', '{"question": "Welche?", "options": ["a", "b"], "answer": "c"}', '2025-09-05 10:00:00', '2025-09-05 10:00:00', 1, 1, 1, NULL, 'mcq'),
             (7, 'hard', '{"question": "Wahr?", "answer": true}', '2025-09-05 10:00:00', '2025-09-05 10:00:00', 1, 1, 1, NULL, 'true_false');
            """);
        await using var source = await OpenAsync(path);

        var result = await database.Get<DjangoMigration>().RunAsync(source);

        Assert.Equal(DjangoMigrationOutcome.RowsRejected, result.Outcome);
        Assert.Equal(["6", "7"], result.RejectedRows.Select(r => r.Id));
        Assert.All(result.RejectedRows, r => Assert.Equal("questions_question", r.Table));
        Assert.Contains("\"answer\" must be one of the options.", result.RejectedRows[0].Reason);
        Assert.Contains("level \"hard\"", result.RejectedRows[1].Reason);
        await using var db = database.CreateContext();
        Assert.Equal(0, await db.Questions.CountAsync());
        Assert.Equal(0, await db.Groups.CountAsync());
        Assert.Equal(0, await db.Users.CountAsync());
        Assert.Equal(0, await db.AccountNumbers.CountAsync());
        Assert.Equal(0, await db.ApiTokens.CountAsync());
        Assert.Equal(0, await db.AccessKeys.CountAsync());
    }

    [Fact]
    public async Task RunAsync_OtherDjangoHashes_MovesTheAccountsWithoutAPassword()
    {
        using var files = new TempDirectory();
        await using var database = await DomainDatabase.CreateAsync();
        var path = Path.Combine(files.Path, "school.db");
        await OriginalSchool.CreateSqliteAsync(path);
        await OriginalSchool.ExecuteAsync(path,
            """
            INSERT INTO auth_user (id, password, last_login, is_superuser, username, last_name, email, is_staff, is_active, date_joined, first_name) VALUES
             (7, 'argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA', NULL, 1, 'chef', '', 'chef@school.example', 1, 1, '2025-09-01 08:00:00', ''),
             (9, '!unusable', NULL, 0, 'ohne', '', '', 0, 0, '2025-09-01 08:00:00.123456', '');
            """);
        await using var source = await OpenAsync(path);

        var result = await database.Get<DjangoMigration>().RunAsync(source);

        Assert.Equal((4, 1, 2), (result.Counts.Accounts, result.Counts.Admins, result.Counts.UnusablePasswords));
        Assert.Contains(result.Warnings, w => w.Contains("no email", StringComparison.Ordinal));
        await using var db = database.CreateContext();
        var chef = await db.Users.SingleAsync(u => u.UserName == "chef");
        Assert.Equal((7, (string?)null, "chef", Roles.Admin), (chef.Number, chef.PasswordHash, chef.DisplayName, await RoleOfAsync(db, chef.Id)));
        var without = await db.Users.SingleAsync(u => u.UserName == "ohne");
        Assert.Equal((9, (string?)null, false), (without.Number, without.Email, without.IsActive));
        Assert.Equal(new DateTime(2025, 9, 1, 8, 0, 0, DateTimeKind.Utc).AddTicks(1_234_560), without.CreatedAt);
        Assert.Equal(9, await db.AccountNumbers.MaxAsync(n => n.Number));
    }

    [Fact]
    public async Task RunAsync_UserNamesDifferingOnlyInCase_RejectsTheSecondAndWritesNothing()
    {
        using var files = new TempDirectory();
        await using var database = await DomainDatabase.CreateAsync();
        var path = Path.Combine(files.Path, "school.db");
        await OriginalSchool.CreateSqliteAsync(path);
        await OriginalSchool.ExecuteAsync(path,
            """
            INSERT INTO auth_user (id, password, last_login, is_superuser, username, last_name, email, is_staff, is_active, date_joined, first_name) VALUES
             (3, '!', NULL, 0, 'Teacher1', '', 'other@school.example', 0, 1, '2025-09-01 08:00:00', '');
            """);
        await using var source = await OpenAsync(path);

        var result = await database.Get<DjangoMigration>().RunAsync(source);

        Assert.Equal(DjangoMigrationOutcome.RowsRejected, result.Outcome);
        var row = Assert.Single(result.RejectedRows);
        Assert.Equal(("auth_user", "3"), (row.Table, row.Id));
        Assert.Contains("user 1 in another case", row.Reason);
        await using var db = database.CreateContext();
        Assert.Equal(0, await db.Users.CountAsync());
    }

    [Fact]
    public async Task CheckSourceAsync_NotTheOriginalsDatabase_SaysWhichTableIsMissing()
    {
        using var files = new TempDirectory();
        var path = Path.Combine(files.Path, "other.db");
        await OriginalSchool.ExecuteAsync(path, "CREATE TABLE questions_group (id integer)");
        await using var source = await OpenAsync(path);

        Assert.Contains("questions_subject", await DjangoMigration.CheckSourceAsync(source));
    }

    private static async Task<string?> RoleOfAsync(EduLoop.Domain.Data.EduLoopDbContext db, string userId) =>
        await db.UserRoles.Where(r => r.UserId == userId).Join(db.Roles, r => r.RoleId, r => r.Id, (_, role) => role.Name).SingleAsync();

    private static async Task<SqliteConnection> OpenSqliteSourceAsync(TempDirectory files, bool withSchool)
    {
        var path = Path.Combine(files.Path, "school.db");
        await OriginalSchool.CreateSqliteAsync(path, withSchool);
        return await OpenAsync(path);
    }

    private static async Task<SqliteConnection> OpenAsync(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }
}
