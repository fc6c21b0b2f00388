using Bunit;

using EduLoop.App.Components.Pages.Home;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Components;

public sealed class StudentHomeTests : MudComponentTest
{
    private DomainDatabase _database = null!;
    private string _studentId = "";

    public override async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        Services.AddSingleton(_database.Get<ClassService>());
        Services.AddSingleton(_database.Get<EduLoop.Domain.Quizzes.AttemptService>());
        Services.AddSingleton(_database.Get<EduLoop.Domain.Learning.LearningService>());
        var account = await _database.Get<AccountSetup>().CreateAsync(Roles.Student, "kid@school.test", "Kid", null);
        await using var db = _database.CreateContext();
        _studentId = await db.Users.Where(u => u.Email == account!.Email).Select(u => u.Id).SingleAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public void StudentHome_ShouldShowTheEmptyState_WithoutClasses()
    {
        var home = RenderHome();

        home.WaitForElement("[data-testid=no-classes]");
        Assert.Empty(home.FindAll("[data-testid=class-list]"));
        home.WaitForElement("[data-testid=no-quizzes]");
        Assert.NotNull(home.Find("a[href=practice]"));
    }

    [Fact]
    public async Task StudentHome_ShouldJoinAClass_WithItsKey()
    {
        var schoolClass = await _database.Get<ClassService>().CreateAsync("Year 9", "Maths set 2");
        var key = (await _database.Get<ClassService>().ListKeysAsync(schoolClass.Id))[0].Key;
        RenderProviders();
        var home = RenderHome();
        home.WaitForElement("[data-testid=no-classes]");

        home.Find(JoinKeyInput).Change(key);
        home.Find("form").Submit();

        home.WaitForAssertion(() => Assert.Contains("Year 9", home.Find("[data-testid=class-list]").TextContent));
        Assert.Contains("1 student", home.Find("[data-testid=class-list]").TextContent);
    }

    [Fact]
    public void StudentHome_ShouldExplain_AWrongKey()
    {
        RenderProviders();
        var home = RenderHome();
        home.WaitForElement("[data-testid=no-classes]");

        home.Find(JoinKeyInput).Change("12345678");
        home.Find("form").Submit();

        home.WaitForAssertion(() => Assert.Contains("No active class has this key.", home.Markup));
        Assert.NotEmpty(home.FindAll("[data-testid=no-classes]"));
    }

    private const string JoinKeyInput = "[data-testid=join-key] input, input[data-testid=join-key]";

    private IRenderedComponent<StudentHome> RenderHome() =>
        Render<StudentHome>(p => p.Add(c => c.Name, "Kid").Add(c => c.UserId, _studentId));
}
