using EduLoop.Domain.Quizzes;

namespace EduLoop.Domain.Settings;

/// <summary>One stored setting: a key and its value as invariant text.</summary>
public sealed class SchoolSetting
{
    public required string Key { get; set; }
    public required string Value { get; set; }
}

/// <summary>The review a new quiz starts with; the teacher can change it per quiz.</summary>
public sealed record DefaultReview(
    ReviewTime Review = ReviewTime.ScoreNowAnswersAfterClose,
    bool ShowsScore = true,
    bool ShowsRightWrong = true,
    bool ShowsCorrectAnswers = true,
    bool ShowsFeedback = true);

/// <summary>The daily backup: whether it runs, the local hour it runs at, and how many backups are kept.</summary>
public sealed record BackupSchedule(bool Daily = false, int Hour = 2, int Keep = 7)
{
    public const int MaxKeep = 365;
}

/// <summary>What an admin sets for the whole school. The defaults are how EduLoop behaves untouched.</summary>
public sealed record SchoolSettings
{
    public const int SchoolNameLength = 80;
    public static readonly IReadOnlyList<string> Languages = ["en", "de"];

    public string SchoolName { get; init; } = "EduLoop";
    public string DefaultLanguage { get; init; } = "en";
    public bool StudentsMayRegister { get; init; } = true;
    public DefaultReview DefaultReview { get; init; } = new();
    public BackupSchedule Backups { get; init; } = new();

    /// <summary>
    /// The words a guest's nickname in a live game may not have, one per line, as the admin wrote them;
    /// null for <see cref="Live.LiveRules.DefaultBlockedWords"/>.
    /// </summary>
    public string? LiveBlockedWordsText { get; init; }

    public const int BlockedWordsLength = 20_000;

    /// <summary>The words of <see cref="LiveBlockedWordsText"/>, or the default list.</summary>
    public IReadOnlyList<string> LiveBlockedWords => LiveBlockedWordsText is null
        ? Live.LiveRules.DefaultBlockedWords
        : LiveBlockedWordsText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The problems with these settings, by field; empty when they can be saved.</summary>
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(SchoolName))
        {
            errors[nameof(SchoolName)] = "Enter the school's name.";
        }
        else if (SchoolName.Trim().Length > SchoolNameLength)
        {
            errors[nameof(SchoolName)] = $"The school's name can have at most {SchoolNameLength} characters.";
        }

        if (!Languages.Contains(DefaultLanguage))
        {
            errors[nameof(DefaultLanguage)] = "Choose English or German.";
        }

        if (Backups.Hour is < 0 or > 23)
        {
            errors["BackupHour"] = "Choose an hour from 0 to 23.";
        }

        if (Backups.Keep is < 1 or > BackupSchedule.MaxKeep)
        {
            errors["BackupKeep"] = $"Keep from 1 to {BackupSchedule.MaxKeep} backups.";
        }

        if (LiveBlockedWordsText is { Length: > BlockedWordsLength })
        {
            errors["LiveBlockedWords"] = $"The list can have at most {BlockedWordsLength} characters.";
        }

        return errors;
    }
}
