using System.Security.Claims;

using Bunit;

using EduLoop.App.Components.Pages.Admin;
using EduLoop.Domain.Backups;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Settings;
using EduLoop.Tests.Infrastructure;

using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Components;

public sealed class BackupsPageTests : MudComponentTest
{
    private DomainDatabase _database = null!;

    public override async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        Services.AddSingleton(_database.Get<BackupService>());
        Services.AddSingleton(_database.Get<SchoolSettingsService>());
        var auth = Context.AddAuthorization();
        auth.SetAuthorized("head@school.test");
        auth.SetRoles(Roles.Admin);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, "admin"));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public void Backups_ShouldShowAnEmptyState_WithoutBackups()
    {
        RenderProviders();
        var page = Render<Backups>();

        page.WaitForAssertion(() => Assert.Contains("No backups yet.", page.Find("[data-testid=no-backups]").TextContent));
    }

    [Fact]
    public void Backups_BackUpNow_ShouldListTheNewBackup()
    {
        RenderProviders();
        var page = Render<Backups>();

        page.Find("[data-testid=back-up-now]").Click();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=restore-backup]")));
        var name = _database.Get<BackupService>().List().Single().Name;
        Assert.Contains(name, page.Find("[data-testid=backups-table]").TextContent);
        Assert.Equal($"admin/backups/download/{name}", page.Find("[data-testid=download-backup]").GetAttribute("href"));
    }

    [Fact]
    public async Task Backups_ShouldAskBeforeRestoring_SayingWhatIsReplacedAndWhen()
    {
        var backups = _database.Get<BackupService>();
        var backup = await backups.CreateAsync();
        var dialogs = RenderProviders().Dialogs;
        var page = Render<Backups>();

        page.WaitForElement("[data-testid=restore-backup]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("will be replaced by the state of this backup", dialogs.Markup));
        Assert.Contains("The current database is kept as a new backup first.", dialogs.Markup);
        Assert.Contains("takes effect when EduLoop next restarts", dialogs.Markup);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();
        Assert.Null(backups.PendingRestore);

        page.Find("[data-testid=restore-backup]").Click();
        dialogs.WaitForElement("[data-testid=confirm]").Click();

        page.WaitForAssertion(() => Assert.Contains(backup.Name, page.Find("[data-testid=pending-restore]").TextContent));
        Assert.Equal(backup.Name, backups.PendingRestore);

        page.Find("[data-testid=cancel-restore]").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=pending-restore]")));
        Assert.Null(backups.PendingRestore);
    }

    [Fact]
    public async Task Backups_ABrokenBackup_ShouldShowTheErrorAndNotCrash()
    {
        var location = _database.Get<EduLoop.Domain.DataLocation>();
        Directory.CreateDirectory(location.BackupDirectory);
        await File.WriteAllTextAsync(Path.Combine(location.BackupDirectory, "broken.db"), "not a database");
        var dialogs = RenderProviders().Dialogs;
        var page = Render<Backups>();

        page.WaitForElement("[data-testid=restore-backup]").Click();
        dialogs.WaitForElement("[data-testid=confirm]").Click();

        page.WaitForAssertion(() => Assert.Contains("is not a readable EduLoop database", page.Find("[data-testid=backup-error]").TextContent));
        Assert.Null(_database.Get<BackupService>().PendingRestore);
    }

    [Fact]
    public async Task Backups_ShouldSaveTheDailySchedule_AndRefuseKeepingNone()
    {
        RenderProviders();
        var page = Render<Backups>();
        Input(page.WaitForElement("[data-testid=daily-backup]")).Change(true);

        Input(page.Find("[data-testid=backup-keep]")).Change("0");
        page.Find("[data-testid=save-schedule]").Click();
        page.WaitForAssertion(() => Assert.Contains("Keep from 1 to 365 backups.", page.Find("[data-testid=backup-schedule]").TextContent));
        Assert.False((await _database.Get<SchoolSettingsService>().LoadAsync()).Backups.Daily);

        Input(page.Find("[data-testid=backup-keep]")).Change("5");
        page.Find("[data-testid=save-schedule]").Click();

        page.WaitForAssertion(async () => Assert.Equal(new BackupSchedule(true, 2, 5), (await _database.Get<SchoolSettingsService>().LoadAsync()).Backups));
    }

    /// <summary>The input of a MudBlazor field, whether the test id landed on the input or on its wrapper.</summary>
    private static AngleSharp.Dom.IElement Input(AngleSharp.Dom.IElement field) =>
        field.TagName == "INPUT" ? field : field.QuerySelector("input")!;
}
