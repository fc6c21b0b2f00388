using System.Security.Claims;

using Bunit;

using EduLoop.App.Components.Pages.Admin;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;

using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Components;

public sealed class AdminPagesTests : MudComponentTest
{
    private DomainDatabase _database = null!;
    private UserSummary _admin = null!;
    private UserSummary _teacher = null!;

    public override async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        var users = _database.Get<UserAdminService>();
        _admin = await users.CreateAsync(new NewUser("head@school.test", "Head", Roles.Admin, "long enough passphrase"));
        _teacher = await users.CreateAsync(new NewUser("ada@school.test", "Ada", Roles.Teacher, "long enough passphrase"));
        Services.AddSingleton(users);
        Services.AddSingleton(_database.Get<ClassService>());
        Services.AddSingleton(_database.Get<ApiTokenService>());
        var auth = Context.AddAuthorization();
        auth.SetAuthorized(_admin.Email);
        auth.SetRoles(Roles.Admin);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, _admin.Id));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public void Users_ShouldNotOfferToDemoteOrDeactivateYourself()
    {
        RenderProviders();
        var page = Render<Users>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tbody tr").Count));
        var ownRow = page.FindAll("tbody tr").Single(r => r.TextContent.Contains(_admin.Email));
        var otherRow = page.FindAll("tbody tr").Single(r => r.TextContent.Contains(_teacher.Email));
        Assert.Empty(ownRow.QuerySelectorAll("[aria-label^='Deactivate']"));
        Assert.Empty(ownRow.QuerySelectorAll(".mud-select"));
        Assert.NotEmpty(otherRow.QuerySelectorAll("[aria-label='Deactivate ada@school.test']"));
        Assert.NotEmpty(otherRow.QuerySelectorAll(".mud-select"));
    }

    [Fact]
    public async Task Users_ShouldAskBeforeDeactivating_AndDoNothingOnCancel()
    {
        var dialogs = RenderProviders().Dialogs;
        var page = Render<Users>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tbody tr").Count));

        page.Find("[aria-label='Deactivate ada@school.test']").Click();
        dialogs.WaitForElement("[data-testid=confirm]");
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();

        Assert.True((await _database.Get<UserAdminService>().ListAsync()).Single(u => u.Id == _teacher.Id).IsActive);
    }

    [Fact]
    public async Task Users_ShouldDeactivate_AfterConfirmation()
    {
        var dialogs = RenderProviders().Dialogs;
        var page = Render<Users>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tbody tr").Count));

        page.Find("[aria-label='Deactivate ada@school.test']").Click();
        dialogs.WaitForElement("[data-testid=confirm]").Click();

        page.WaitForAssertion(() => Assert.Contains("Deactivated", page.FindAll("tbody tr").Single(r => r.TextContent.Contains(_teacher.Email)).TextContent));
        Assert.False((await _database.Get<UserAdminService>().ListAsync()).Single(u => u.Id == _teacher.Id).IsActive);
    }

    [Fact]
    public async Task Users_ShouldListAUsersTokens_AndRevokeOne()
    {
        var tokens = _database.Get<ApiTokenService>();
        var kept = await tokens.CreateAsync(_teacher.Id, "Gradebook sync", null);
        var revoked = await tokens.CreateAsync(_teacher.Id, "Old laptop", DateTime.UtcNow.AddDays(30));
        var dialogs = RenderProviders().Dialogs;
        var page = Render<Users>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tbody tr").Count));

        page.Find("[aria-label='API tokens of ada@school.test']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Old laptop", dialogs.Find("[data-testid=user-tokens]").TextContent));
        dialogs.Find("[aria-label='Revoke Old laptop']").Click();

        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Old laptop", dialogs.Find("[data-testid=user-tokens]").TextContent));
        Assert.Contains("Gradebook sync", dialogs.Find("[data-testid=user-tokens]").TextContent);
        Assert.Equal([kept.Token.Id], (await tokens.ListAsync(_teacher.Id)).Select(t => t.Id));
        Assert.DoesNotContain(revoked.Key, dialogs.Markup);
        Assert.DoesNotContain(kept.Key, dialogs.Markup);
    }

    [Fact]
    public void Classes_ShouldShowAnEmptyState_WithoutClasses()
    {
        RenderProviders();
        var page = Render<Classes>();

        page.WaitForAssertion(() => Assert.Contains("No classes yet.", page.Markup));
    }

    [Fact]
    public async Task Classes_ShouldDelete_OnlyAfterConfirmation()
    {
        await _database.Get<ClassService>().CreateAsync("7b", "Form group");
        var dialogs = RenderProviders().Dialogs;
        var page = Render<Classes>();
        page.WaitForAssertion(() => Assert.Contains("7b", page.Find("tbody").TextContent));

        page.Find("[data-testid=delete-class]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Delete 7b? Its 0 students leave the class", dialogs.Markup));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();
        Assert.Single(await _database.Get<ClassService>().ListAsync());

        page.Find("[data-testid=delete-class]").Click();
        dialogs.WaitForElement("[data-testid=confirm]").Click();

        page.WaitForAssertion(() => Assert.Contains("No classes yet.", page.Markup));
        Assert.Empty(await _database.Get<ClassService>().ListAsync());
    }

    [Fact]
    public async Task ClassKeys_ShouldAddAndDeactivateKeys()
    {
        var schoolClass = await _database.Get<ClassService>().CreateAsync("7b", "");
        var dialogs = RenderProviders().Dialogs;
        var page = Render<Classes>();
        page.WaitForAssertion(() => Assert.Contains("7b", page.Find("tbody").TextContent));

        page.Find("[data-testid=show-keys]").Click();
        dialogs.WaitForElement("[data-testid=add-key]").Click();
        dialogs.WaitForAssertion(() => Assert.Equal(2, dialogs.FindAll("[data-testid=access-key]").Count));
        dialogs.FindAll("[data-testid=toggle-key]")[0].Click();

        dialogs.WaitForAssertion(() => Assert.Single(dialogs.FindAll(".access-key.inactive")));
        var keys = await _database.Get<ClassService>().ListKeysAsync(schoolClass.Id);
        Assert.Equal(1, keys.Count(k => k.IsActive));
    }
}
