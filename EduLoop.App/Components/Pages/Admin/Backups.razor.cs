using EduLoop.App.Components.Shared;
using EduLoop.Domain;
using EduLoop.Domain.Backups;
using EduLoop.Domain.Settings;

using Microsoft.AspNetCore.Components;

using MudBlazor;

namespace EduLoop.App.Components.Pages.Admin;

/// <summary>The backups: take one now, download one, stage one to restore at the next start.</summary>
public sealed partial class Backups
{
    private IReadOnlyList<BackupFile>? backups;
    private string? pendingRestore;
    private bool backingUp;
    private string? error;
    private ScheduleForm schedule = new();
    private string? keepError;

    [Inject]
    private BackupService BackupService { get; set; } = default!;

    [Inject]
    private SchoolSettingsService Settings { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        Load();
        var current = (await Settings.LoadAsync()).Backups;
        schedule = new ScheduleForm { Daily = current.Daily, Hour = current.Hour, Keep = current.Keep };
    }

    private async Task SaveScheduleAsync()
    {
        keepError = schedule.Keep is < 1 or > BackupSchedule.MaxKeep ? L["Keep from 1 to {0} backups.", BackupSchedule.MaxKeep].Value : null;
        if (keepError is not null)
        {
            return;
        }

        var settings = await Settings.LoadAsync();
        await Settings.SaveAsync(settings with { Backups = new BackupSchedule(schedule.Daily, schedule.Hour, schedule.Keep) });
        Snackbar.Add(schedule.Daily ? L["Daily backup at {0}:00, keeping {1}.", schedule.Hour.ToString("00"), schedule.Keep] : L["Daily backup turned off."], Severity.Success);
    }

    private void Load()
    {
        try
        {
            backups = BackupService.List();
            pendingRestore = BackupService.PendingRestore;
        }
        catch (IOException e)
        {
            backups = [];
            error = L["The backup folder cannot be read: {0}", e.Message];
        }
    }

    private async Task BackUpNowAsync()
    {
        backingUp = true;
        error = null;
        try
        {
            var backup = await BackupService.CreateAsync();
            Snackbar.Add(L["Backup {0} taken.", backup.Name], Severity.Success);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            error = L["The backup failed: {0}", e.Message];
        }
        finally
        {
            backingUp = false;
            Load();
        }
    }

    private async Task RestoreAsync(BackupFile backup)
    {
        var message = L["Restore {0}, taken {1}? Everything in the database (questions, quizzes, attempts, accounts and settings) will be replaced by the state of this backup. The current database is kept as a new backup first. The restore takes effect when EduLoop next restarts; until then everything keeps working on the current data.",
            backup.Name, backup.CreatedAtUtc.ToLocalTime().ToString("g")];
        if (!await Dialogs.ConfirmAsync(L["Restore backup"], message, L["Restore at next restart"]))
        {
            return;
        }

        error = null;
        try
        {
            await BackupService.StageRestoreAsync(backup.Name);
            Snackbar.Add(L["{0} will be restored when EduLoop next restarts.", backup.Name], Severity.Success);
        }
        catch (Exception e) when (e is DomainValidationException or NotFoundException or IOException or UnauthorizedAccessException)
        {
            error = e.Message;
        }

        Load();
    }

    private void CancelRestore()
    {
        BackupService.CancelRestore();
        Snackbar.Add(L["The restore is cancelled."], Severity.Info);
        Load();
    }

    private string SizeText(long bytes) => bytes >= 1024 * 1024
        ? L["{0} MB", (bytes / (1024.0 * 1024)).ToString("N1")]
        : L["{0} KB", Math.Max(1, (bytes + 1023) / 1024)];

    private sealed class ScheduleForm
    {
        public bool Daily { get; set; }
        public int Hour { get; set; }
        public int Keep { get; set; }
    }
}
