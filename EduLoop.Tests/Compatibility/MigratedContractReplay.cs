using System.Text.Json.Nodes;
using EduLoop.App.Hosting;
using EduLoop.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace EduLoop.Tests.Compatibility;

/// <summary>
/// The recording's school as the original kept it in its own tables (made from the setup cases'
/// answers: the same ids, names, metadata, accounts, tokens and keys), moved by
/// <c>migrate-from-django</c> into an empty data folder, then served by the real app: every read the
/// recording made before its first change to the data must answer the same.
/// </summary>
public class MigratedContractReplay : ContractReplay
{
    /// <summary>The last case before the first one that changes what the reads show (practice sessions, then edits).</summary>
    private const int LastReadBeforeChanges = 262;

    private const string AccessKey = "31415926";

    public string MigrationOutput { get; private set; } = "";

    public override bool Replays(ContractCase contractCase) => IsRead(contractCase);

    /// <summary>The recorded reads of data the setup made, before any case changes it.</summary>
    public static bool IsRead(ContractCase contractCase) =>
        !contractCase.Setup && contractCase.N <= LastReadBeforeChanges
        && contractCase.Method is "GET" or "HEAD" or "OPTIONS"
        && !contractCase.Path.StartsWith("/api/questions/", StringComparison.Ordinal);

    protected override async Task PrepareAsync()
    {
        var source = Path.Combine(DataDirectory, "original.db");
        await OriginalSchool.CreateSqliteAsync(source, withSchool: false);
        await WriteRecordedSchoolAsync(source);
        var (exitCode, output, error) = await ConsoleOutput.CaptureAsync(() => MigrateFromDjangoCommand.RunAsync(["--database", source, "--data-dir", DataDirectory]));
        MigrationOutput = output + error;
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"migrate-from-django failed ({exitCode}): {MigrationOutput}");
        }

        await MovedAsync();
        await StartAsync(throttled: false);
        Bindings.Bind("admin_token", OriginalSchool.TokenKey(1));
        Bindings.Bind("student_token", OriginalSchool.TokenKey(2));
        Bindings.Bind("access_key", AccessKey);
    }

    /// <summary>What happens between the move and the app's start: nothing here.</summary>
    protected virtual Task MovedAsync() => Task.CompletedTask;

    /// <summary>The school the setup cases made, written into the original's tables as its views would have.</summary>
    private static async Task WriteRecordedSchoolAsync(string path)
    {
        var setup = ContractCase.All.Where(c => c.Setup).ToDictionary(c => c.N);
        var groups = Created(setup, 3, 4);
        var subjects = Created(setup, 5, 6);
        var categories = Created(setup, 7, 8);
        var subCategories = Created(setup, 9, 10);
        var questions = Enumerable.Range(11, 6).Select(n => setup[n].ResponseBody!.AsObject()).ToList();
        var uploaded = setup[17].Request["body"]!.AsArray().Select(q => q!.AsObject()).ToList();

        var groupId = groups.ToDictionary(g => Text(g, "name"), g => Id(g));
        var subjectId = subjects.ToDictionary(s => (Text(s, "group"), Text(s, "name")), s => Id(s));
        var categoryId = categories.ToDictionary(c => (Text(c, "group"), Text(c, "subject"), Text(c, "name")), c => Id(c));
        var subCategoryId = subCategories.ToDictionary(s => (Text(s, "group"), Text(s, "subject"), Text(s, "category"), Text(s, "name")), s => Id(s));

        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        var clock = new DateTime(2026, 12, 3, 10, 0, 0, DateTimeKind.Utc);
        string Next() => (clock = clock.AddSeconds(1)).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

        var hashes = (OriginalSchool.DjangoHash(ContractReplay.AdminPassword, "replaysalt01", 1_000), OriginalSchool.DjangoHash(ContractReplay.StudentPassword, "replaysalt02", 1_000));
        await ExecuteAsync(connection, "INSERT INTO auth_user (id, password, is_superuser, username, last_name, email, is_staff, is_active, date_joined, first_name) VALUES (1, $p, 1, 'admin', '', 'admin@example.test', 1, 1, $d, '')",
            ("$p", hashes.Item1), ("$d", Next()));
        await ExecuteAsync(connection, "INSERT INTO auth_user (id, password, is_superuser, username, last_name, email, is_staff, is_active, date_joined, first_name) VALUES (2, $p, 0, 'student', '', 'student@example.test', 0, 1, $d, '')",
            ("$p", hashes.Item2), ("$d", Next()));
        foreach (var user in (int[])[1, 2])
        {
            await ExecuteAsync(connection, "INSERT INTO authtoken_token (key, created, user_id) VALUES ($k, $d, $u)", ("$k", OriginalSchool.TokenKey(user)), ("$d", Next()), ("$u", user));
        }

        foreach (var key in (string[])[AccessKey, "GK-SPARE-01", "GK-DELETE-01"])
        {
            await ExecuteAsync(connection, "INSERT INTO users_accesstoken (description, is_active, created_at, key) VALUES (NULL, 1, $d, $k)", ("$d", Next()), ("$k", key));
        }

        foreach (var group in groups)
        {
            await ExecuteAsync(connection, "INSERT INTO questions_group (id, created_at, description, name) VALUES ($i, $d, $x, $n)",
                ("$i", Id(group)), ("$d", Next()), ("$x", NullableText(group, "description")), ("$n", Text(group, "name")));
        }

        foreach (var subject in subjects)
        {
            await ExecuteAsync(connection, "INSERT INTO questions_subject (id, name, created_at, group_id, description) VALUES ($i, $n, $d, $g, $x)",
                ("$i", Id(subject)), ("$n", Text(subject, "name")), ("$d", Next()), ("$g", groupId[Text(subject, "group")]), ("$x", NullableText(subject, "description")));
        }

        foreach (var category in categories)
        {
            await ExecuteAsync(connection, "INSERT INTO questions_category (id, name, created_at, subject_id, group_id) VALUES ($i, $n, $d, $s, $g)",
                ("$i", Id(category)), ("$n", Text(category, "name")), ("$d", Next()),
                ("$s", subjectId[(Text(category, "group"), Text(category, "subject"))]), ("$g", groupId[Text(category, "group")]));
        }

        foreach (var subCategory in subCategories)
        {
            var (group, subject, category) = (Text(subCategory, "group"), Text(subCategory, "subject"), Text(subCategory, "category"));
            await ExecuteAsync(connection, "INSERT INTO questions_subcategory (id, name, created_at, category_id, group_id, subject_id) VALUES ($i, $n, $d, $c, $g, $s)",
                ("$i", Id(subCategory)), ("$n", Text(subCategory, "name")), ("$d", Next()),
                ("$c", categoryId[(group, subject, category)]), ("$g", groupId[group]), ("$s", subjectId[(group, subject)]));
        }

        var id = 0;
        foreach (var question in questions.Concat(uploaded))
        {
            id = question["id"]?.GetValue<int>() ?? id + 1;
            var (group, subject, category) = (Text(question, "group"), Text(question, "subject"), Text(question, "category"));
            var subCategory = NullableText(question, "subcategory");
            var time = Next();
            await ExecuteAsync(connection,
                "INSERT INTO questions_question (id, level, metadata, created_at, updated_at, category_id, group_id, subject_id, subcategory_id, type) VALUES ($i, $l, $m, $d, $d, $c, $g, $s, $b, $t)",
                ("$i", id), ("$l", Text(question, "level")), ("$m", question["metadata"]!.ToJsonString()), ("$d", time),
                ("$c", categoryId[(group, subject, category)]), ("$g", groupId[group]), ("$s", subjectId[(group, subject)]),
                ("$b", subCategory is null ? null : subCategoryId[(group, subject, category, subCategory)]), ("$t", Text(question, "type")));
        }
    }

    /// <summary>What two setup cases made: each answer's object, or every object of its list.</summary>
    private static List<JsonObject> Created(Dictionary<int, ContractCase> setup, params int[] cases) =>
        cases.SelectMany(n => setup[n].ResponseBody is JsonArray list ? list.Select(o => o!.AsObject()) : [setup[n].ResponseBody!.AsObject()]).ToList();

    private static int Id(JsonObject item) => item["id"]!.GetValue<int>();

    private static string Text(JsonObject item, string name) => item[name]!.GetValue<string>();

    private static string? NullableText(JsonObject item, string name) => item[name]?.GetValue<string>();

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        await command.ExecuteNonQueryAsync();
    }
}
