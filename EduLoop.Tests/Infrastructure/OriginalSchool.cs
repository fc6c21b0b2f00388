using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

using Microsoft.Data.Sqlite;

namespace EduLoop.Tests.Infrastructure;

/// <summary>
/// Databases shaped like the original Django service's: the small school of
/// <c>../shared/corpus/django-contract/original-school.sql</c>, and a larger one made up here, in
/// SQLite or (through the same inserts) PostgreSQL.
/// </summary>
public static class OriginalSchool
{
    public const string TeacherPassword = "Legacy-Teacher-Passw0rd";
    public const string StudentPassword = "Legacy-Student-Passw0rd";
    public const string TeacherToken = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b";
    public const string ActiveKey = "48213657";
    public const string InactiveKey = "77001122";

    public static string SqlPath { get; } =
        Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "corpus", "django-contract", "original-school.sql"));

    /// <summary>
    /// The original's schema as its Django migrations make it in PostgreSQL: big serial ids for the
    /// bank (BigAutoField), serial for Django's own tables, boolean, timestamptz, and jsonb for the metadata.
    /// </summary>
    public const string PostgresSchema =
        """
        CREATE TABLE questions_group (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL, description text NULL, name varchar(100) NOT NULL UNIQUE);
        CREATE TABLE questions_subject (id bigserial PRIMARY KEY, name varchar(100) NOT NULL, created_at timestamptz NOT NULL,
            group_id bigint NOT NULL REFERENCES questions_group (id) DEFERRABLE INITIALLY DEFERRED, description text NULL, UNIQUE (name, group_id));
        CREATE TABLE questions_category (id bigserial PRIMARY KEY, name varchar(100) NOT NULL, created_at timestamptz NOT NULL,
            subject_id bigint NOT NULL REFERENCES questions_subject (id) DEFERRABLE INITIALLY DEFERRED,
            group_id bigint NOT NULL REFERENCES questions_group (id) DEFERRABLE INITIALLY DEFERRED, UNIQUE (name, subject_id, group_id));
        CREATE TABLE questions_subcategory (id bigserial PRIMARY KEY, name varchar(100) NOT NULL, created_at timestamptz NOT NULL,
            category_id bigint NOT NULL REFERENCES questions_category (id) DEFERRABLE INITIALLY DEFERRED,
            group_id bigint NOT NULL REFERENCES questions_group (id) DEFERRABLE INITIALLY DEFERRED,
            subject_id bigint NOT NULL REFERENCES questions_subject (id) DEFERRABLE INITIALLY DEFERRED, UNIQUE (name, category_id, subject_id, group_id));
        CREATE TABLE questions_question (id bigserial PRIMARY KEY, level varchar(20) NOT NULL, metadata jsonb NOT NULL,
            created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
            category_id bigint NOT NULL REFERENCES questions_category (id) DEFERRABLE INITIALLY DEFERRED,
            group_id bigint NOT NULL REFERENCES questions_group (id) DEFERRABLE INITIALLY DEFERRED,
            subject_id bigint NOT NULL REFERENCES questions_subject (id) DEFERRABLE INITIALLY DEFERRED,
            subcategory_id bigint NULL REFERENCES questions_subcategory (id) DEFERRABLE INITIALLY DEFERRED, type varchar(200) NOT NULL);
        CREATE TABLE auth_user (id serial PRIMARY KEY, password varchar(128) NOT NULL, last_login timestamptz NULL, is_superuser boolean NOT NULL,
            username varchar(150) NOT NULL UNIQUE, last_name varchar(150) NOT NULL, email varchar(254) NOT NULL, is_staff boolean NOT NULL,
            is_active boolean NOT NULL, date_joined timestamptz NOT NULL, first_name varchar(150) NOT NULL);
        CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamptz NOT NULL,
            user_id integer NOT NULL UNIQUE REFERENCES auth_user (id) DEFERRABLE INITIALLY DEFERRED);
        CREATE TABLE users_accesstoken (description varchar(100) NULL, is_active boolean NOT NULL, created_at timestamptz NOT NULL, key varchar(12) PRIMARY KEY);
        """;

    private static readonly string[] _tablesInOrder =
        ["auth_user", "authtoken_token", "users_accesstoken", "questions_group", "questions_subject", "questions_category", "questions_subcategory", "questions_question"];

    private static readonly HashSet<string> _booleanColumns = ["is_superuser", "is_staff", "is_active"];
    private static readonly HashSet<string> _dateColumns = ["created_at", "updated_at", "date_joined", "last_login", "created"];

    /// <summary>
    /// Copies every row of the original's tables from an SQLite file into <paramref name="target"/> (open,
    /// with the tables made), as PostgreSQL's types want them: 0/1 as booleans, texts as UTC dates.
    /// </summary>
    public static async Task CopySqliteAsync(string path, DbConnection target, string jsonCast)
    {
        await using var from = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        await from.OpenAsync();
        await using var transaction = await target.BeginTransactionAsync();
        foreach (var table in _tablesInOrder)
        {
            await using var select = from.CreateCommand();
            select.CommandText = $"SELECT * FROM {table}";
            await using var reader = await select.ExecuteReaderAsync();
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
            await using var insert = Command(target, transaction,
                $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "@" + c + (c == "metadata" ? jsonCast : "")))})");
            while (await reader.ReadAsync())
            {
                await RunAsync(insert, columns.Select((column, i) => (column, Value(reader, column, i))).ToArray());
            }
        }

        await transaction.CommitAsync();
    }

    private static object Value(DbDataReader reader, string column, int i) =>
        reader.IsDBNull(i) ? DBNull.Value
        : _booleanColumns.Contains(column) ? reader.GetInt64(i) != 0
        : _dateColumns.Contains(column) ? DateTime.Parse(reader.GetString(i), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
        : reader.GetValue(i);

    /// <summary>The original's schema and small school in a new SQLite file at <paramref name="path"/>.</summary>
    public static async Task CreateSqliteAsync(string path, bool withSchool = true)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = withSchool ? await File.ReadAllTextAsync(SqlPath) : await SchemaAsync();
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The CREATE statements of the original's schema, without the school.</summary>
    public static async Task<string> SchemaAsync()
    {
        var lines = await File.ReadAllLinesAsync(SqlPath);
        return string.Join('\n', lines.Where(l => l.StartsWith("CREATE ", StringComparison.Ordinal)));
    }

    /// <summary>Runs one statement on an SQLite file.</summary>
    public static async Task ExecuteAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// A larger school in the original's (empty) tables: 4 groups × 5 subjects × 6 categories × 4
    /// subcategories, <paramref name="questions"/> questions of all five types (every third without a
    /// subcategory), <paramref name="users"/> accounts (one admin, a tenth teachers), a token each for the
    /// staff, and ten access keys. <paramref name="jsonCast"/> is what the metadata parameter needs in the
    /// dialect, such as "::jsonb" for PostgreSQL.
    /// </summary>
    public static async Task WriteLargeSchoolAsync(DbConnection connection, int questions, int users, string jsonCast = "")
    {
        await using var transaction = await connection.BeginTransactionAsync();
        var joined = new DateTime(2024, 9, 1, 8, 0, 0, DateTimeKind.Utc);
        // One hash for all: PBKDF2 is slow on purpose.
        var hash = DjangoHash("Legacy-Passw0rd", "largeschoolsalt", 1_000);
        await using (var insert = Command(connection, transaction,
            "INSERT INTO auth_user (id, password, last_login, is_superuser, username, last_name, email, is_staff, is_active, date_joined, first_name) " +
            "VALUES (@id, @password, NULL, @superuser, @username, @last, @email, @staff, @active, @joined, @first)"))
        {
            for (var id = 1; id <= users; id++)
            {
                await RunAsync(insert, ("id", id), ("password", id % 50 == 0 ? "argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA" : hash),
                    ("superuser", id == 1), ("username", $"user{id}"), ("last", $"Last{id}"), ("email", $"user{id}@school.example"),
                    ("staff", id == 1 || id % 10 == 0), ("active", id % 25 != 0), ("joined", joined.AddHours(id)), ("first", $"First{id}"));
            }
        }

        await using (var insert = Command(connection, transaction, "INSERT INTO authtoken_token (key, created, user_id) VALUES (@key, @created, @user)"))
        {
            for (var id = 1; id <= users; id++)
            {
                if (id == 1 || id % 10 == 0)
                {
                    await RunAsync(insert, ("key", TokenKey(id)), ("created", joined.AddHours(id + 1)), ("user", id));
                }
            }
        }

        await using (var insert = Command(connection, transaction,
            "INSERT INTO users_accesstoken (description, is_active, created_at, key) VALUES (@description, @active, @created, @key)"))
        {
            for (var i = 0; i < 10; i++)
            {
                await RunAsync(insert, ("description", i == 0 ? DBNull.Value : $"Class {i}"), ("active", i % 3 != 0), ("created", joined.AddDays(i)),
                    ("key", i == 8 ? "GK-SPARE-01" : (30_000_000 + i).ToString(CultureInfo.InvariantCulture)));
            }
        }

        var categories = new List<(int Id, int Subject, int Group)>();
        var subCategories = new List<int>();
        await using (var group = Command(connection, transaction, "INSERT INTO questions_group (id, created_at, description, name) VALUES (@id, @created, @description, @name)"))
        await using (var subject = Command(connection, transaction,
            "INSERT INTO questions_subject (id, name, created_at, group_id, description) VALUES (@id, @name, @created, @group, NULL)"))
        await using (var category = Command(connection, transaction,
            "INSERT INTO questions_category (id, name, created_at, subject_id, group_id) VALUES (@id, @name, @created, @subject, @group)"))
        await using (var subCategory = Command(connection, transaction,
            "INSERT INTO questions_subcategory (id, name, created_at, category_id, group_id, subject_id) VALUES (@id, @name, @created, @category, @group, @subject)"))
        {
            int s = 0, c = 0, sc = 0;
            for (var g = 1; g <= 4; g++)
            {
                await RunAsync(group, ("id", g), ("created", joined), ("description", $"Group {g}"), ("name", $"Gruppe {g}"));
                for (var i = 0; i < 5; i++)
                {
                    await RunAsync(subject, ("id", ++s), ("name", $"Fach {g}.{i}"), ("created", joined), ("group", g));
                    for (var j = 0; j < 6; j++)
                    {
                        await RunAsync(category, ("id", ++c), ("name", $"Kapitel {j}"), ("created", joined), ("subject", s), ("group", g));
                        categories.Add((c, s, g));
                        for (var k = 0; k < 4; k++)
                        {
                            await RunAsync(subCategory, ("id", ++sc), ("name", $"Abschnitt {k}"), ("created", joined), ("category", c), ("group", g), ("subject", s));
                            subCategories.Add(sc);
                        }
                    }
                }
            }
        }

        await using (var insert = Command(connection, transaction,
            "INSERT INTO questions_question (id, level, metadata, created_at, updated_at, category_id, group_id, subject_id, subcategory_id, type) " +
            $"VALUES (@id, @level, @metadata{jsonCast}, @created, @updated, @category, @group, @subject, @subcategory, @type)"))
        {
            string[] levels = ["easy", "medium", "advance"];
            string[] types = ["mcq", "true_false", "fill_blank", "math", "writing"];
            for (var id = 1; id <= questions; id++)
            {
                var category = categories[id % categories.Count];
                object subcategoryId = id % 3 == 0 ? DBNull.Value : subCategories[(category.Id - 1) * 4 + id % 4];
                var type = types[id % types.Length];
                var created = joined.AddMinutes(id);
                await RunAsync(insert, ("id", id), ("level", levels[id % 3]), ("metadata", Metadata(type, id)), ("created", created),
                    ("updated", created.AddDays(id % 7)), ("category", category.Id), ("group", category.Group), ("subject", category.Subject),
                    ("subcategory", subcategoryId), ("type", type));
            }
        }

        await transaction.CommitAsync();
    }

    /// <summary>A well-formed key of the original's tokens (40 hex digits), different for each account.</summary>
    public static string TokenKey(int userId) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes($"token-{userId}")));

    /// <summary>A hash as Django's PBKDF2PasswordHasher makes it.</summary>
    public static string DjangoHash(string password, string salt, int iterations) =>
        $"pbkdf2_sha256${iterations}${salt}$" + Convert.ToBase64String(
            Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(salt), iterations, HashAlgorithmName.SHA256, 32));

    /// <summary>The original's metadata for a question of each type, as its clients wrote it.</summary>
    public static string Metadata(string type, int id) => (type switch
    {
        "mcq" => new JsonObject
        {
            ["question"] = $"Frage {id}: Was ist {id} + 1?",
            ["options"] = new JsonArray($"{id}", $"{id + 1}", $"{id + 2}"),
            ["answer"] = $"{id + 1}",
            ["explanation"] = "Eins mehr.",
        },
        "true_false" => new JsonObject { ["question"] = $"Frage {id}: {id} ist gerade.", ["answer"] = id % 2 == 0 },
        "fill_blank" => new JsonObject { ["question"] = $"Frage {id}: She ___ (go) home.", ["answer"] = "went", ["hint"] = "past simple" },
        "math" => new JsonObject { ["question"] = $"Frage {id}: $\\frac{{{id}}}{{2}}$", ["answer"] = id / 2.0, ["tolerance"] = 0.01 },
        _ => new JsonObject { ["question"] = $"Frage {id}: Beschreibe deinen Tag.", ["min_words"] = 50 },
    }).ToJsonString();

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static async Task RunAsync(DbCommand command, params (string Name, object Value)[] values)
    {
        command.Parameters.Clear();
        foreach (var (name, value) in values)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        await command.ExecuteNonQueryAsync();
    }
}
