using EduLoop.Domain;
using EduLoop.Domain.Quizzes;
using EduLoop.Domain.Settings;

using Microsoft.AspNetCore.Components;

using MudBlazor;

namespace EduLoop.App.Components.Pages.Admin;

/// <summary>The school's settings: its name, default language, self-registration, the review of new quizzes and the words live games' nicknames may not have.</summary>
public sealed partial class SchoolSettingsPage
{
    private SettingsForm? form;
    private SchoolSettings loaded = new();
    private Dictionary<string, string> errors = [];
    private bool saving;

    [Inject]
    private SchoolSettingsService SettingsService { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        loaded = await SettingsService.LoadAsync();
        form = SettingsForm.From(loaded);
    }

    private string? Error(string field) => errors.GetValueOrDefault(field);

    private async Task SaveAsync()
    {
        var settings = form!.ToSettings(loaded);
        errors = settings.Validate().ToDictionary(e => e.Key, e => Localized(e.Key));
        if (errors.Count > 0)
        {
            Snackbar.Add(L["Check the highlighted fields."], Severity.Warning);
            return;
        }

        saving = true;
        try
        {
            await SettingsService.SaveAsync(settings);
            loaded = settings with { SchoolName = settings.SchoolName.Trim() };
            Snackbar.Add(L["Settings saved."], Severity.Success);
        }
        catch (DomainValidationException e)
        {
            errors[e.Field ?? ""] = e.Message;
        }
        finally
        {
            saving = false;
        }
    }

    private string Localized(string field) => field switch
    {
        nameof(SchoolSettings.SchoolName) when string.IsNullOrWhiteSpace(form!.SchoolName) => L["Enter the school's name."],
        nameof(SchoolSettings.SchoolName) => L["The school's name can have at most {0} characters.", SchoolSettings.SchoolNameLength],
        nameof(SchoolSettings.DefaultLanguage) => L["Choose English or German."],
        "LiveBlockedWords" => L["The list can have at most {0} characters.", SchoolSettings.BlockedWordsLength],
        _ => L["Check this field."],
    };

    /// <summary>The page's editable copy of the settings; the backup schedule is edited on the Backups page.</summary>
    private sealed class SettingsForm
    {
        public string SchoolName { get; set; } = "";
        public string DefaultLanguage { get; set; } = "en";
        public bool StudentsMayRegister { get; set; }
        public ReviewTime Review { get; set; }
        public bool ShowsScore { get; set; }
        public bool ShowsRightWrong { get; set; }
        public bool ShowsCorrectAnswers { get; set; }
        public bool ShowsFeedback { get; set; }
        public string BlockedWords { get; set; } = "";

        public static SettingsForm From(SchoolSettings settings) => new()
        {
            SchoolName = settings.SchoolName,
            DefaultLanguage = settings.DefaultLanguage,
            StudentsMayRegister = settings.StudentsMayRegister,
            Review = settings.DefaultReview.Review,
            ShowsScore = settings.DefaultReview.ShowsScore,
            ShowsRightWrong = settings.DefaultReview.ShowsRightWrong,
            ShowsCorrectAnswers = settings.DefaultReview.ShowsCorrectAnswers,
            ShowsFeedback = settings.DefaultReview.ShowsFeedback,
            BlockedWords = string.Join('\n', settings.LiveBlockedWords),
        };

        public SchoolSettings ToSettings(SchoolSettings current) => current with
        {
            SchoolName = SchoolName ?? "",
            DefaultLanguage = DefaultLanguage,
            StudentsMayRegister = StudentsMayRegister,
            DefaultReview = new DefaultReview(Review, ShowsScore, ShowsRightWrong, ShowsCorrectAnswers, ShowsFeedback),
            // The default list stays the default (and follows its updates) until the admin changes it.
            LiveBlockedWordsText = (BlockedWords ?? "").ReplaceLineEndings("\n").Trim() == string.Join('\n', current.LiveBlockedWords)
                ? current.LiveBlockedWordsText
                : (BlockedWords ?? "").ReplaceLineEndings("\n"),
        };
    }
}
