using System.Security.Claims;

using Bunit;

using EduLoop.App.Components.Pages.Quizzes;
using EduLoop.Domain;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;

using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Components;

/// <summary>The classes page as a teacher runs their classes and an admin chooses their teachers.</summary>
public sealed class TeacherClassesTests : MudComponentTest
{
    private DomainDatabase _database = null!;
    private ClassService _classes = null!;
    private readonly Dictionary<string, UserSummary> _users = [];

    public override async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        _classes = _database.Get<ClassService>();
        var accounts = _database.Get<UserAdminService>();
        foreach (var (who, role) in new[] { ("ana", Roles.Teacher), ("ben", Roles.Teacher), ("head", Roles.Admin), ("kid", Roles.Student) })
        {
            _users[who] = await accounts.CreateAsync(new NewUser($"{who}@school.test", $"Name of {who}", role, "long enough passphrase"));
        }

        Services.AddSingleton(_classes);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    private Actor SignInAs(string who)
    {
        var user = _users[who];
        var auth = Context.AddAuthorization();
        auth.SetAuthorized(user.Email);
        auth.SetRoles(user.Role);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id));
        return new Actor(user.Id, user.Role == Roles.Admin);
    }

    [Fact]
    public async Task TeacherClasses_ShouldOfferToCreateTheFirstClass_AndShowItsKey()
    {
        SignInAs("ana");
        var dialogs = RenderProviders().Dialogs;
        var page = Render<TeacherClasses>();

        page.WaitForAssertion(() => Assert.Contains("No classes yet — create one.", page.Find("[data-testid=no-classes]").TextContent));
        page.Find("[data-testid=create-first-class]").Click();
        dialogs.WaitForElement("[data-testid=class-name] input, input[data-testid=class-name]").Change("7b");
        dialogs.Find("[data-testid=class-submit]").Click();

        var created = Assert.Single(await _classes.ListAsync(Actor.Teacher(_users["ana"].Id)));
        Assert.Equal("7b", created.Name);
        Assert.Empty(await _classes.ListAsync(Actor.Teacher(_users["ben"].Id)));
    }

    [Fact]
    public async Task TeacherClasses_ShouldCopyTheKey_AndRenewIt_OnlyAfterConfirmation()
    {
        var ana = SignInAs("ana");
        var schoolClass = await _classes.CreateAsync("7b", null, ana);
        var old = Assert.Single(await _classes.ActiveKeysAsync(schoolClass.Id, ana)).Key;
        var copy = Context.JSInterop.Setup<bool>("eduloop.copyText", old).SetResult(true);
        var dialogs = RenderProviders().Dialogs;
        var page = Render<TeacherClasses>();
        page.WaitForAssertion(() => Assert.Equal(old, page.Find("[data-testid=class-key]").TextContent));

        page.Find("[data-testid=copy-key]").Click();
        Assert.Single(copy.Invocations);
        page.WaitForAssertion(() => Assert.Contains(Services.GetRequiredService<MudBlazor.ISnackbar>().ShownSnackbars, s => s.Message == $"Access key {old} copied."));

        page.Find("[data-testid=renew-key]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains($"The key {old} stops working at once", dialogs.Markup));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();
        Assert.True(await _classes.IsActiveKeyAsync(old));

        page.Find("[data-testid=renew-key]").Click();
        dialogs.WaitForElement("[data-testid=confirm]").Click();

        page.WaitForAssertion(() => Assert.NotEqual(old, page.Find("[data-testid=class-key]").TextContent));
        Assert.False(await _classes.IsActiveKeyAsync(old));
        Assert.True(await _classes.IsActiveKeyAsync(page.Find("[data-testid=class-key]").TextContent));
    }

    [Fact]
    public async Task TeacherClasses_ShouldAddStudentsByEmail_WithClearMessages_AndRemoveThemAfterConfirmation()
    {
        var ana = SignInAs("ana");
        var schoolClass = await _classes.CreateAsync("7b", null, ana);
        var dialogs = RenderProviders().Dialogs;
        var page = Render<TeacherClasses>();
        page.WaitForElement("[data-testid=no-members]");

        AddStudent(page, "nobody@school.test");
        page.WaitForAssertion(() => Assert.Contains("No student account has this email.", page.Markup));
        AddStudent(page, "ben@school.test");
        page.WaitForAssertion(() => Assert.Contains("No student account has this email.", page.Markup));
        Assert.Empty(await _classes.MembersAsync(schoolClass.Id, ana));

        AddStudent(page, "kid@school.test");
        page.WaitForAssertion(() => Assert.Contains("Name of kid", page.Find("[data-testid=members]").TextContent));
        Assert.Contains("1 student", page.Find("[data-testid=class-list]").TextContent);
        AddStudent(page, "kid@school.test");
        page.WaitForAssertion(() => Assert.Contains("This student is already in the class.", page.Markup));

        page.Find("[data-testid=remove-student]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Remove Name of kid from 7b?", dialogs.Markup));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();
        Assert.Single(await _classes.MembersAsync(schoolClass.Id, ana));

        page.Find("[data-testid=remove-student]").Click();
        dialogs.WaitForElement("[data-testid=confirm]").Click();

        page.WaitForElement("[data-testid=no-members]");
        Assert.Empty(await _classes.MembersAsync(schoolClass.Id, ana));
        Assert.Contains("0 students", page.Find("[data-testid=class-list]").TextContent);
    }

    [Fact]
    public async Task TeacherClasses_ShouldNotShowAnotherTeachersClass()
    {
        var ben = Actor.Teacher(_users["ben"].Id);
        var theirs = await _classes.CreateAsync("Ben's class", null, ben);
        var key = Assert.Single(await _classes.ActiveKeysAsync(theirs.Id, ben)).Key;
        SignInAs("ana");
        RenderProviders();

        var page = Render<TeacherClasses>(p => p.Add(c => c.ClassId, theirs.Id));

        page.WaitForElement("[data-testid=no-classes]");
        Assert.DoesNotContain(key, page.Markup);
        Assert.DoesNotContain("Ben's class", page.Markup);
    }

    [Fact]
    public async Task TeacherClasses_ShouldLetAnAdminChooseTheTeachers_AndATeacherOnlySeeThem()
    {
        var schoolClass = await _classes.CreateAsync("7b", null);
        SignInAs("head");
        var dialogs = RenderProviders().Dialogs;
        var page = Render<TeacherClasses>(p => p.Add(c => c.ClassId, schoolClass.Id));
        page.WaitForElement("[data-testid=no-teachers]");

        page.Find("[data-testid=teacher-email] input, input[data-testid=teacher-email]").Change("kid@school.test");
        page.Find("[data-testid=add-teacher]").Closest("form")!.Submit();
        page.WaitForAssertion(() => Assert.Contains("No teacher account has this email.", page.Markup));
        page.Find("[data-testid=teacher-email] input, input[data-testid=teacher-email]").Change("ana@school.test");
        page.Find("[data-testid=add-teacher]").Closest("form")!.Submit();

        page.WaitForAssertion(() => Assert.Contains("Name of ana", page.Find("[data-testid=teachers]").TextContent));
        var ana = Actor.Teacher(_users["ana"].Id);
        Assert.Single(await _classes.ListAsync(ana));

        page.Find("[data-testid=remove-teacher]").Click();
        dialogs.WaitForElement("[data-testid=confirm]").Click();

        page.WaitForElement("[data-testid=no-teachers]");
        Assert.Empty(await _classes.ListAsync(ana));
    }

    [Fact]
    public async Task TeacherClasses_ShouldNotOfferATeacher_ToChooseTeachers()
    {
        var ana = SignInAs("ana");
        await _classes.CreateAsync("7b", null, ana);
        RenderProviders();

        var page = Render<TeacherClasses>();

        page.WaitForAssertion(() => Assert.Contains("Name of ana", page.Find("[data-testid=teachers]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=teacher-email]"));
        Assert.Empty(page.FindAll("[data-testid=remove-teacher]"));
    }

    private static void AddStudent(IRenderedComponent<TeacherClasses> page, string email)
    {
        page.Find("[data-testid=student-email] input, input[data-testid=student-email]").Change(email);
        page.Find("[data-testid=add-student]").Closest("form")!.Submit();
    }
}
