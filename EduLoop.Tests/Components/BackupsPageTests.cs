using System.Security.Claims;

using Bunit;

using EduLoop.App.Components.Pages.Admin;
using EduLoop.Domain.Backups;
using EduLoop.Domain.Identity;
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
}
