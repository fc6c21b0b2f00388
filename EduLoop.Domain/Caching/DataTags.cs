using System.Collections.Frozen;

namespace EduLoop.Domain.Caching;

/// <summary>
/// The kinds of data a cached value can be built from. Every cached value names the kinds it read;
/// a write invalidates only the kinds it changed, so a student's practice step or answer never
/// empties the bank's lists and counts.
/// </summary>
public static class DataTags
{
    /// <summary>Questions, their versions and tags.</summary>
    public const string Bank = "bank";

    /// <summary>
    /// Which questions a filter takes (by group, subject, category, subcategory, type, level and
    /// archive): moved on with <see cref="Bank"/> by a question added, deleted, archived or moved,
    /// not by an edit of its text.
    /// </summary>
    public const string Pools = "pools";

    /// <summary>Groups, subjects, categories and subcategories.</summary>
    public const string Taxonomy = "taxonomy";

    /// <summary>Accounts, their roles and claims, personal tokens.</summary>
    public const string Accounts = "accounts";

    /// <summary>Classes, their members and access keys.</summary>
    public const string Classes = "classes";

    /// <summary>Quizzes and how they are built and assigned.</summary>
    public const string Quizzes = "quizzes";

    /// <summary>Attempts and their answers.</summary>
    public const string Attempts = "attempts";

    /// <summary>Practice sessions.</summary>
    public const string Practice = "practice";

    /// <summary>Students' memory states and graded answers (spaced repetition).</summary>
    public const string Learning = "learning";

    /// <summary>The school's settings.</summary>
    public const string Settings = "settings";

    /// <summary>Live games, their players and answers (nothing cached reads them; a game's screens are told by its room).</summary>
    public const string Live = "live";

    /// <summary>Every kind, for a write to a table no kind names.</summary>
    public static readonly IReadOnlyList<string> All = [Bank, Pools, Taxonomy, Accounts, Classes, Quizzes, Attempts, Practice, Learning, Settings, Live];

    private static readonly FrozenDictionary<string, string> ByTable = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Questions"] = Bank,
        ["QuestionVersions"] = Bank,
        ["Tags"] = Bank,
        ["QuestionTags"] = Bank,
        ["Groups"] = Taxonomy,
        ["Subjects"] = Taxonomy,
        ["Categories"] = Taxonomy,
        ["SubCategories"] = Taxonomy,
        ["AspNetUsers"] = Accounts,
        ["AspNetRoles"] = Accounts,
        ["AspNetUserRoles"] = Accounts,
        ["AspNetUserClaims"] = Accounts,
        ["AspNetRoleClaims"] = Accounts,
        ["AspNetUserLogins"] = Accounts,
        ["AspNetUserTokens"] = Accounts,
        ["AccountNumbers"] = Accounts,
        ["ApiTokens"] = Accounts,
        ["SchoolClasses"] = Classes,
        ["ClassMemberships"] = Classes,
        ["ClassTeachers"] = Classes,
        ["AccessKeys"] = Classes,
        ["Quizzes"] = Quizzes,
        ["QuizSlots"] = Quizzes,
        ["QuizAssignments"] = Quizzes,
        ["QuizExtraTimes"] = Quizzes,
        ["QuizCoTeachers"] = Quizzes,
        ["Attempts"] = Attempts,
        ["AttemptQuestions"] = Attempts,
        ["PracticeSessions"] = Practice,
        ["ReviewStates"] = Learning,
        ["ReviewLogs"] = Learning,
        ["QuestionQualities"] = Learning,
        ["SchoolSettings"] = Settings,
        ["LiveGames"] = Live,
        ["LiveGameQuestions"] = Live,
        ["LivePlayers"] = Live,
        ["LiveAnswers"] = Live,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The kind of data a table holds, or null for a table no kind names.</summary>
    public static string? OfTable(string table) => ByTable.GetValueOrDefault(table);
}
