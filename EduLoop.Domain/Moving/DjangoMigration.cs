using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

using EduLoop.Domain.Classes;
using EduLoop.Domain.Data;
using EduLoop.Domain.Identity;
using EduLoop.Domain.QuestionBank;

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Moving;

/// <summary>
/// Moves a school from the original Django service into an empty EduLoop database: the bank's
/// hierarchy and questions with their ids, the accounts (their ids become account numbers), their
/// password hashes, API tokens and the access keys. All or nothing: one transaction on the target,
/// committed only when every row was read and mapped.
/// </summary>
/// <remarks>
/// The source is any ADO.NET connection to the original's database (SQLite or PostgreSQL): only plain
/// SELECTs of its tables are sent, and values are read by their .NET type, whatever the provider gives.
/// "Empty" means no account, no bank, no class, no access key, no token and no quiz: a database the app
/// has never started on (its first start creates an admin), or one only migrated to the current schema.
/// </remarks>
public sealed class DjangoMigration(IDbContextFactory<EduLoopDbContext> contextFactory)
{
    /// <summary>The name moved tokens carry, so they are told from those made here (and never trimmed as sign-in tokens are).</summary>
    public const string MovedTokenName = "original service";

    private const int QuestionBatch = 2_000;

    // Django's tables the migration reads, checked before anything is written.
    private static readonly string[] _sourceTables =
        ["questions_group", "questions_subject", "questions_category", "questions_subcategory", "questions_question",
         "auth_user", "authtoken_token", "users_accesstoken"];

    private static readonly UpperInvariantLookupNormalizer _normalizer = new();

    /// <summary>
    /// Checks that <paramref name="source"/> (open) holds the original's tables; the first problem, or null.
    /// </summary>
    public static async Task<string?> CheckSourceAsync(DbConnection source, CancellationToken cancellationToken = default)
    {
        foreach (var table in _sourceTables)
        {
            try
            {
                await using var command = source.CreateCommand();
                command.CommandText = $"SELECT COUNT(*) FROM {table}";
                await command.ExecuteScalarAsync(cancellationToken);
            }
            catch (DbException e)
            {
                return $"The source database has no readable table {table}: {e.Message}";
            }
        }

        return null;
    }

    /// <summary>
    /// Reads the original's tables from <paramref name="source"/> (open) into the target database,
    /// which must be empty. Nothing is written unless the result is <see cref="DjangoMigrationOutcome.Moved"/>.
    /// </summary>
    public async Task<DjangoMigrationResult> RunAsync(DbConnection source, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        if (await DescribeContentAsync(db, cancellationToken) is { } content)
        {
            return DjangoMigrationResult.Refused(
                $"The target database already holds {content}. migrate-from-django needs an empty database: " +
                "run it on a new data folder, before the app's first start (which creates the admin account).");
        }

        var counts = new DjangoMigrationCounts();
        var warnings = new List<string>();
        var rejected = new List<RejectedRow>();

        try
        {
            var users = await MoveUsersAsync(db, source, counts, warnings, rejected, cancellationToken);
            await MoveTokensAsync(db, source, users, counts, rejected, cancellationToken);
            await MoveAccessKeysAsync(db, source, counts, rejected, cancellationToken);
            var taxonomy = await MoveTaxonomyAsync(db, source, counts, rejected, cancellationToken);
            await MoveQuestionsAsync(db, source, taxonomy, counts, rejected, cancellationToken);
        }
        catch (DbUpdateException e)
        {
            // A row the checks above let through but a constraint of the target refuses (such as two
            // names that differ only in case where EduLoop's unique index ignores case).
            rejected.Add(new RejectedRow("(target)", "-", $"The target refused a row: {e.InnerException?.Message ?? e.Message}"));
        }

        if (rejected.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return DjangoMigrationResult.Rejected(rejected);
        }

        await SqlDialect.Of(db).ContinueIdsAfterMovedRowsAsync(db, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return DjangoMigrationResult.Moved(counts, warnings, stopwatch.Elapsed);
    }

    /// <summary>What the target holds that stops a migration, such as "2 accounts, 10 questions"; null when empty.</summary>
    private static async Task<string?> DescribeContentAsync(EduLoopDbContext db, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        void Add(int count, string one, string many)
        {
            if (count > 0)
            {
                found.Add(string.Create(CultureInfo.InvariantCulture, $"{count:N0} {(count == 1 ? one : many)}"));
            }
        }

        Add(await db.Users.CountAsync(cancellationToken), "account", "accounts");
        Add(await db.AccountNumbers.CountAsync(cancellationToken), "account number given out", "account numbers given out");
        Add(await db.Groups.CountAsync(cancellationToken), "group", "groups");
        Add(await db.Subjects.CountAsync(cancellationToken), "subject", "subjects");
        Add(await db.Categories.CountAsync(cancellationToken), "category", "categories");
        Add(await db.SubCategories.CountAsync(cancellationToken), "subcategory", "subcategories");
        Add(await db.Questions.CountAsync(cancellationToken), "question", "questions");
        Add(await db.SchoolClasses.CountAsync(cancellationToken), "class", "classes");
        Add(await db.AccessKeys.CountAsync(cancellationToken), "access key", "access keys");
        Add(await db.ApiTokens.CountAsync(cancellationToken), "API token", "API tokens");
        Add(await db.Quizzes.CountAsync(cancellationToken), "quiz", "quizzes");
        return found.Count == 0 ? null : string.Join(", ", found);
    }

    /// <summary>The accounts; the original's user id maps to the new account and its stamp.</summary>
    private static async Task<Dictionary<long, ApplicationUser>> MoveUsersAsync(
        EduLoopDbContext db, DbConnection source, DjangoMigrationCounts counts, List<string> warnings, List<RejectedRow> rejected,
        CancellationToken cancellationToken)
    {
        var users = new Dictionary<long, ApplicationUser>();
        var names = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var reader = await QueryAsync(source,
            "SELECT id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined FROM auth_user ORDER BY id",
            cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = Long(reader, 0);
                var hash = Text(reader, 1) ?? "";
                var userName = Text(reader, 3) ?? "";
                var email = Text(reader, 6) is { Length: > 0 } e ? e.Trim() : null;
                // Django's user names are case-sensitive, Identity's are not: two that differ only in case cannot both move.
                var normalizedName = _normalizer.NormalizeName(userName);
                if (userName.Length == 0 || !names.TryAdd(normalizedName, id))
                {
                    rejected.Add(new RejectedRow("auth_user", id.ToString(CultureInfo.InvariantCulture), userName.Length == 0
                        ? "The user name is empty."
                        : $"The user name \"{userName}\" is that of user {names[normalizedName]} in another case; EduLoop's user names ignore case."));
                    continue;
                }

                var firstName = Text(reader, 4) ?? "";
                var lastName = Text(reader, 5) ?? "";
                var user = new ApplicationUser
                {
                    Number = checked((int)id),
                    UserName = userName,
                    NormalizedUserName = normalizedName,
                    Email = email,
                    NormalizedEmail = email is null ? null : _normalizer.NormalizeEmail(email),
                    EmailConfirmed = email is not null,
                    FirstName = firstName,
                    LastName = lastName,
                    DisplayName = $"{firstName} {lastName}".Trim() is { Length: > 0 } name ? name : userName,
                    IsActive = Bool(reader, 8),
                    CreatedAt = Date(reader, 9),
                    // Identity checks pbkdf2_sha256 hashes (DjangoPasswordHasher); others (argon2, bcrypt,
                    // "!" for no password) cannot be, so those accounts need a new password.
                    PasswordHash = DjangoPasswordHasher.IsDjangoPbkdf2(hash) ? hash : null,
                    SecurityStamp = Guid.NewGuid().ToString("N").ToUpperInvariant(),
                    ConcurrencyStamp = Guid.NewGuid().ToString(),
                    LockoutEnabled = false,
                };
                var role = Bool(reader, 2) ? Roles.Admin : Bool(reader, 7) ? Roles.Teacher : Roles.Student;
                db.Users.Add(user);
                db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = role.ToLowerInvariant() });
                db.AccountNumbers.Add(new AccountNumber { Number = user.Number });
                users[id] = user;
                counts.Accounts++;
                counts.CountRole(role);
                if (user.PasswordHash is null)
                {
                    counts.UnusablePasswords++;
                }
            }
        }

        var withoutEmail = users.Values.Count(u => u.Email is null);
        if (withoutEmail > 0)
        {
            warnings.Add($"{withoutEmail:N0} {(withoutEmail == 1 ? "account has" : "accounts have")} no email: they sign in with their user name; give them an email before editing them.");
        }

        var sharedEmails = users.Values.Where(u => u.NormalizedEmail is not null).GroupBy(u => u.NormalizedEmail).Where(g => g.Count() > 1).ToList();
        if (sharedEmails.Count > 0)
        {
            warnings.Add($"{sharedEmails.Sum(g => g.Count()):N0} accounts share an email with another ({string.Join(", ", sharedEmails.Take(5).Select(g => g.Key))}" +
                $"{(sharedEmails.Count > 5 ? ", …" : "")}): they sign in with their user name; give each its own email.");
        }

        await db.SaveChangesAsync(cancellationToken);
        return users;
    }

    /// <summary>DRF tokens: stored as their hashes, bound to the account's stamp, so <c>Token &lt;key&gt;</c> keeps working.</summary>
    private static async Task MoveTokensAsync(
        EduLoopDbContext db, DbConnection source, Dictionary<long, ApplicationUser> users, DjangoMigrationCounts counts,
        List<RejectedRow> rejected, CancellationToken cancellationToken)
    {
        await using (var reader = await QueryAsync(source, "SELECT key, created, user_id FROM authtoken_token ORDER BY created", cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = Text(reader, 0) ?? "";
                if (!users.TryGetValue(Long(reader, 2), out var user))
                {
                    rejected.Add(new RejectedRow("authtoken_token", Mask(key), $"user_id {Long(reader, 2)} is not in auth_user."));
                    continue;
                }

                db.ApiTokens.Add(new ApiToken
                {
                    KeyHash = ApiTokenService.Hash(key),
                    UserId = user.Id,
                    Name = MovedTokenName,
                    CreatedAt = Date(reader, 1),
                    SecurityStamp = user.SecurityStamp,
                });
                counts.Tokens++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Access keys, with no class (as those made through the original's token routes).</summary>
    private static async Task MoveAccessKeysAsync(
        EduLoopDbContext db, DbConnection source, DjangoMigrationCounts counts, List<RejectedRow> rejected, CancellationToken cancellationToken)
    {
        await using (var reader = await QueryAsync(source, "SELECT key, description, is_active, created_at FROM users_accesstoken ORDER BY created_at", cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = Text(reader, 0) ?? "";
                if (key.Length is 0 or > AccessKey.MaxLength)
                {
                    rejected.Add(new RejectedRow("users_accesstoken", Mask(key), $"A key has 1 to {AccessKey.MaxLength} characters."));
                    continue;
                }

                var active = Bool(reader, 2);
                db.AccessKeys.Add(new AccessKey
                {
                    Key = key,
                    Description = Text(reader, 1),
                    IsActive = active,
                    CreatedAt = Date(reader, 3),
                });
                counts.AccessKeys++;
                if (!active)
                {
                    counts.InactiveAccessKeys++;
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Groups, subjects, categories and subcategories with their ids; the ids of each level for the next.</summary>
    private static async Task<Taxonomy> MoveTaxonomyAsync(
        EduLoopDbContext db, DbConnection source, DjangoMigrationCounts counts, List<RejectedRow> rejected, CancellationToken cancellationToken)
    {
        var taxonomy = new Taxonomy();
        await using (var reader = await QueryAsync(source, "SELECT id, name, description, created_at FROM questions_group ORDER BY id", cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var group = new Group { Id = Int(reader, 0), Name = Text(reader, 1) ?? "", Description = Text(reader, 2), CreatedAt = Date(reader, 3) };
                db.Groups.Add(group);
                taxonomy.Groups.Add(group.Id);
                counts.Groups++;
            }
        }

        await using (var reader = await QueryAsync(source, "SELECT id, name, description, created_at, group_id FROM questions_subject ORDER BY id", cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var subject = new Subject
                {
                    Id = Int(reader, 0),
                    Name = Text(reader, 1) ?? "",
                    Description = Text(reader, 2),
                    CreatedAt = Date(reader, 3),
                    GroupId = Int(reader, 4),
                };
                if (!taxonomy.Groups.Contains(subject.GroupId))
                {
                    rejected.Add(new RejectedRow("questions_subject", Id(subject.Id), $"group_id {subject.GroupId} is not in questions_group."));
                    continue;
                }

                db.Subjects.Add(subject);
                taxonomy.Subjects[subject.Id] = subject.GroupId;
                counts.Subjects++;
            }
        }

        // The group of a category or subcategory follows from its subject, as EduLoop keeps it.
        await using (var reader = await QueryAsync(source, "SELECT id, name, created_at, subject_id FROM questions_category ORDER BY id", cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = Int(reader, 0);
                var subjectId = Int(reader, 3);
                if (!taxonomy.Subjects.TryGetValue(subjectId, out var groupId))
                {
                    rejected.Add(new RejectedRow("questions_category", Id(id), $"subject_id {subjectId} is not in questions_subject."));
                    continue;
                }

                db.Categories.Add(new Category { Id = id, Name = Text(reader, 1) ?? "", CreatedAt = Date(reader, 2), SubjectId = subjectId, GroupId = groupId });
                taxonomy.Categories[id] = (subjectId, groupId);
                counts.Categories++;
            }
        }

        await using (var reader = await QueryAsync(source, "SELECT id, name, created_at, category_id FROM questions_subcategory ORDER BY id", cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = Int(reader, 0);
                var categoryId = Int(reader, 3);
                if (!taxonomy.Categories.TryGetValue(categoryId, out var parent))
                {
                    rejected.Add(new RejectedRow("questions_subcategory", Id(id), $"category_id {categoryId} is not in questions_category."));
                    continue;
                }

                db.SubCategories.Add(new SubCategory
                {
                    Id = id,
                    Name = Text(reader, 1) ?? "",
                    CreatedAt = Date(reader, 2),
                    CategoryId = categoryId,
                    SubjectId = parent.SubjectId,
                    GroupId = parent.GroupId,
                });
                taxonomy.SubCategories[id] = categoryId;
                counts.SubCategories++;
            }
        }

        if (rejected.Count == 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return taxonomy;
    }

    /// <summary>
    /// Questions with their ids and dates; the metadata is read by <see cref="OriginalMetadata.FromMetadata"/>, as
    /// the API's question creation reads it. Every row is checked; once one is rejected, no more are written.
    /// </summary>
    private static async Task MoveQuestionsAsync(
        EduLoopDbContext db, DbConnection source, Taxonomy taxonomy, DjangoMigrationCounts counts, List<RejectedRow> rejected,
        CancellationToken cancellationToken)
    {
        var pending = 0;
        await using (var reader = await QueryAsync(source,
            "SELECT id, level, type, metadata, created_at, updated_at, category_id, subcategory_id FROM questions_question ORDER BY id",
            cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = Int(reader, 0);
                var question = MapQuestion(reader, id, taxonomy, out var reason);
                if (question is null)
                {
                    rejected.Add(new RejectedRow("questions_question", Id(id), reason!));
                    continue;
                }

                if (rejected.Count > 0)
                {
                    continue;
                }

                db.Questions.Add(question);
                counts.Questions++;
                if (++pending == QuestionBatch)
                {
                    await db.SaveChangesAsync(cancellationToken);
                    db.ChangeTracker.Clear();
                    pending = 0;
                }
            }
        }

        if (rejected.Count == 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
    }

    private static Question? MapQuestion(DbDataReader reader, int id, Taxonomy taxonomy, out string? reason)
    {
        var problems = new List<string>();
        var categoryId = Int(reader, 6);
        int? subCategoryId = reader.IsDBNull(7) ? null : Int(reader, 7);
        if (!taxonomy.Categories.TryGetValue(categoryId, out var parent))
        {
            problems.Add($"category_id {categoryId} is not in questions_category.");
        }
        else if (subCategoryId is { } s && (!taxonomy.SubCategories.TryGetValue(s, out var ofCategory) || ofCategory != categoryId))
        {
            problems.Add($"subcategory_id {s} is not a subcategory of category {categoryId}.");
        }

        var levelName = Text(reader, 1);
        if (!QuestionNames.TryParseLevel(levelName, out var level))
        {
            problems.Add($"level \"{levelName}\" is not one of {string.Join(", ", QuestionNames.LevelNames)}.");
        }

        var typeName = Text(reader, 2);
        var typeKnown = QuestionNames.TryParseType(typeName, out var type);
        if (!typeKnown)
        {
            problems.Add($"type \"{typeName}\" is not one of {string.Join(", ", QuestionNames.TypeNames)}.");
        }

        var stem = "";
        var body = new QuestionBody();
        try
        {
            using var metadata = JsonDocument.Parse(Text(reader, 3) ?? "null");
            if (typeKnown)
            {
                var errors = new ErrorBag();
                (stem, body) = OriginalMetadata.FromMetadata(type, metadata.RootElement, errors);
                problems.AddRange(errors.ToDictionary().SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}")));
            }
        }
        catch (JsonException e)
        {
            problems.Add($"metadata is not JSON: {e.Message}");
        }

        if (problems.Count > 0)
        {
            reason = string.Join(" ", problems);
            return null;
        }

        reason = null;
        return new Question
        {
            Id = id,
            GroupId = parent.GroupId,
            SubjectId = parent.SubjectId,
            CategoryId = categoryId,
            SubCategoryId = subCategoryId,
            Level = level,
            Type = type,
            Stem = stem,
            Title = QuestionText.TitleOf(stem),
            Body = body,
            CreatedAt = Date(reader, 4),
            UpdatedAt = Date(reader, 5),
        };
    }

    private static async Task<DbDataReader> QueryAsync(DbConnection source, string sql, CancellationToken cancellationToken)
    {
        // Not disposed here: disposing a command closes its reader (SQLite); the reader's disposal ends both.
        var command = source.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteReaderAsync(cancellationToken);
    }

    // Values by their .NET type: SQLite gives longs and strings, PostgreSQL ints, bools and DateTimes.
    private static long Long(DbDataReader reader, int i) => Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);

    private static int Int(DbDataReader reader, int i) => checked((int)Long(reader, i));

    private static string? Text(DbDataReader reader, int i) =>
        reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);

    private static bool Bool(DbDataReader reader, int i) => reader.GetValue(i) switch
    {
        bool b => b,
        string s => s is "1" or "t" or "true" or "True",
        var v => Convert.ToInt64(v, CultureInfo.InvariantCulture) != 0,
    };

    /// <summary>A date in UTC: Django stores UTC (without an offset in SQLite, as timestamptz in PostgreSQL).</summary>
    private static DateTime Date(DbDataReader reader, int i) => reader.GetValue(i) switch
    {
        DateTime d => d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : DateTime.SpecifyKind(d, DateTimeKind.Utc),
        DateTimeOffset o => o.UtcDateTime,
        var v => DateTime.Parse(Convert.ToString(v, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
    };

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>A credential named in a report without giving it away.</summary>
    private static string Mask(string key) => key.Length <= 4 ? "••••" : key[..4] + "…";

    private sealed class Taxonomy
    {
        public HashSet<int> Groups { get; } = [];
        public Dictionary<int, int> Subjects { get; } = [];
        public Dictionary<int, (int SubjectId, int GroupId)> Categories { get; } = [];
        public Dictionary<int, int> SubCategories { get; } = [];
    }
}

public enum DjangoMigrationOutcome
{
    Moved,

    /// <summary>The target was not empty; nothing was written.</summary>
    TargetNotEmpty,

    /// <summary>Some rows could not be mapped; nothing was written.</summary>
    RowsRejected,
}

/// <summary>A source row that cannot be moved: its table, its id (a key only by its start), and why.</summary>
public sealed record RejectedRow(string Table, string Id, string Reason);

/// <summary>How many of each kind were moved.</summary>
public sealed class DjangoMigrationCounts
{
    public int Groups { get; set; }
    public int Subjects { get; set; }
    public int Categories { get; set; }
    public int SubCategories { get; set; }
    public int Questions { get; set; }
    public int Accounts { get; set; }
    public int Admins { get; set; }
    public int Teachers { get; set; }
    public int Students { get; set; }

    /// <summary>Accounts whose hash is not <c>pbkdf2_sha256</c> (argon2, bcrypt, none): they need a new password.</summary>
    public int UnusablePasswords { get; set; }

    public int Tokens { get; set; }
    public int AccessKeys { get; set; }
    public int InactiveAccessKeys { get; set; }

    internal void CountRole(string role)
    {
        switch (role)
        {
            case Roles.Admin:
                Admins++;
                break;
            case Roles.Teacher:
                Teachers++;
                break;
            default:
                Students++;
                break;
        }
    }
}

public sealed record DjangoMigrationResult(
    DjangoMigrationOutcome Outcome,
    DjangoMigrationCounts Counts,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<RejectedRow> RejectedRows,
    string? Message,
    TimeSpan Elapsed)
{
    internal static DjangoMigrationResult Moved(DjangoMigrationCounts counts, IReadOnlyList<string> warnings, TimeSpan elapsed) =>
        new(DjangoMigrationOutcome.Moved, counts, warnings, [], null, elapsed);

    internal static DjangoMigrationResult Refused(string message) =>
        new(DjangoMigrationOutcome.TargetNotEmpty, new DjangoMigrationCounts(), [], [], message, TimeSpan.Zero);

    internal static DjangoMigrationResult Rejected(IReadOnlyList<RejectedRow> rows) =>
        new(DjangoMigrationOutcome.RowsRejected, new DjangoMigrationCounts(), [], rows, $"{rows.Count:N0} {(rows.Count == 1 ? "row" : "rows")} cannot be moved; nothing was written.", TimeSpan.Zero);
}
