using System.Data.Common;
using System.Globalization;

using EduLoop.Domain.Data;
using EduLoop.Domain.Quizzes;

using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Settings;

/// <summary>
/// Reads and saves <see cref="SchoolSettings"/> as key/value rows. The app bar and every page title
/// read them, so the service keeps the current settings in memory and replaces them on save; a new
/// setting is a new key with a default, not a migration. A save through another server (several
/// servers on one database) is read again when it is announced.
/// </summary>
public sealed class SchoolSettingsService
{
    private readonly IDbContextFactory<EduLoopDbContext> contextFactory;
    private SchoolSettings? _current;

    public SchoolSettingsService(IDbContextFactory<EduLoopDbContext> contextFactory, Caching.DataChanges? changes = null)
    {
        this.contextFactory = contextFactory;
        if (changes is not null)
        {
            changes.Announced += tags =>
            {
                if (_current is not null && tags.Contains(Caching.DataTags.Settings))
                {
                    _ = ReloadAsync();
                }
            };
        }
    }

    /// <summary>The settings last loaded or saved; the defaults until <see cref="LoadAsync"/> ran.</summary>
    public SchoolSettings Current => _current ?? new SchoolSettings();

    /// <summary>Raised after a save, with the new settings.</summary>
    public event Action<SchoolSettings>? Changed;

    public async Task<SchoolSettings> LoadAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.SchoolSettings.AsNoTracking().ToDictionaryAsync(s => s.Key, s => s.Value, cancellationToken);
        var defaults = new SchoolSettings();
        var review = defaults.DefaultReview;
        var backups = defaults.Backups;
        var settings = new SchoolSettings
        {
            SchoolName = rows.GetValueOrDefault("SchoolName") ?? defaults.SchoolName,
            DefaultLanguage = rows.GetValueOrDefault("DefaultLanguage") ?? defaults.DefaultLanguage,
            StudentsMayRegister = Bool(rows, "StudentsMayRegister", defaults.StudentsMayRegister),
            DefaultReview = new DefaultReview(
                Enum.TryParse<ReviewTime>(rows.GetValueOrDefault("Review.Time"), out var time) ? time : review.Review,
                Bool(rows, "Review.ShowsScore", review.ShowsScore),
                Bool(rows, "Review.ShowsRightWrong", review.ShowsRightWrong),
                Bool(rows, "Review.ShowsCorrectAnswers", review.ShowsCorrectAnswers),
                Bool(rows, "Review.ShowsFeedback", review.ShowsFeedback)),
            Backups = new BackupSchedule(
                Bool(rows, "Backups.Daily", backups.Daily),
                Int(rows, "Backups.Hour", backups.Hour),
                Int(rows, "Backups.Keep", backups.Keep)),
            LiveBlockedWordsText = rows.GetValueOrDefault("Live.BlockedWords"),
        };
        _current = settings;
        return settings;
    }

    /// <summary>Saves the settings; throws <see cref="DomainValidationException"/> naming the first field at fault.</summary>
    public async Task SaveAsync(SchoolSettings settings, CancellationToken cancellationToken = default)
    {
        if (settings.Validate().FirstOrDefault() is { Key: not null } error)
        {
            throw new DomainValidationException(error.Key, error.Value);
        }

        settings = settings with { SchoolName = settings.SchoolName.Trim() };
        var values = new Dictionary<string, string>
        {
            ["SchoolName"] = settings.SchoolName,
            ["DefaultLanguage"] = settings.DefaultLanguage,
            ["StudentsMayRegister"] = Text(settings.StudentsMayRegister),
            ["Review.Time"] = settings.DefaultReview.Review.ToString(),
            ["Review.ShowsScore"] = Text(settings.DefaultReview.ShowsScore),
            ["Review.ShowsRightWrong"] = Text(settings.DefaultReview.ShowsRightWrong),
            ["Review.ShowsCorrectAnswers"] = Text(settings.DefaultReview.ShowsCorrectAnswers),
            ["Review.ShowsFeedback"] = Text(settings.DefaultReview.ShowsFeedback),
            ["Backups.Daily"] = Text(settings.Backups.Daily),
            ["Backups.Hour"] = settings.Backups.Hour.ToString(CultureInfo.InvariantCulture),
            ["Backups.Keep"] = settings.Backups.Keep.ToString(CultureInfo.InvariantCulture),
        };
        if (settings.LiveBlockedWordsText is { } words)
        {
            values["Live.BlockedWords"] = string.Join('\n', words.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.SchoolSettings.ToDictionaryAsync(s => s.Key, cancellationToken);
        foreach (var (key, value) in values)
        {
            if (rows.TryGetValue(key, out var row))
            {
                row.Value = value;
            }
            else
            {
                db.SchoolSettings.Add(new SchoolSetting { Key = key, Value = value });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        _current = settings;
        Changed?.Invoke(settings);
    }

    /// <summary>Reads the settings again after a change; tells the pages when they differ from those in memory.</summary>
    private async Task ReloadAsync()
    {
        var before = _current;
        try
        {
            var now = await LoadAsync();
            if (now != before)
            {
                Changed?.Invoke(now);
            }
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // The settings in memory stay until the next change or start; the database is being
            // replaced or is gone, and the next request will say so.
        }
    }

    private static string Text(bool value) => value ? "true" : "false";

    private static bool Bool(Dictionary<string, string> rows, string key, bool fallback) =>
        rows.TryGetValue(key, out var value) && bool.TryParse(value, out var parsed) ? parsed : fallback;

    private static int Int(Dictionary<string, string> rows, string key, int fallback) =>
        rows.TryGetValue(key, out var value) && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : fallback;
}
