using EduLoop.Domain;
using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;

using Microsoft.AspNetCore.Identity;

namespace EduLoop.Tests.Domain;

public sealed class AccountsTests : IAsyncLifetime
{
    private DomainDatabase _database = null!;

    public async Task InitializeAsync() => _database = await DomainDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task EnsureAdminAsync_NoPasswordConfigured_GeneratesAStrongOne()
    {
        var setup = _database.Get<AccountSetup>();

        var admin = await setup.EnsureAdminAsync(new AdminAccountOptions { Email = "head@school.test" });

        Assert.NotNull(admin);
        Assert.True(admin.PasswordWasGenerated);
        Assert.True(admin.Password.Length >= 20);
        var users = _database.Get<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync("head@school.test");
        Assert.NotNull(user);
        Assert.True(await users.CheckPasswordAsync(user, admin.Password));
        Assert.True(await users.IsInRoleAsync(user, Roles.Admin));
    }

    [Fact]
    public async Task EnsureAdminAsync_PasswordConfigured_UsesIt_AndRunsOnlyOnce()
    {
        var setup = _database.Get<AccountSetup>();
        var options = new AdminAccountOptions { Email = "head@school.test", Password = "configured passphrase" };

        var first = await setup.EnsureAdminAsync(options);
        var second = await setup.EnsureAdminAsync(options);

        Assert.NotNull(first);
        Assert.False(first.PasswordWasGenerated);
        Assert.Null(second);
        var users = _database.Get<UserManager<ApplicationUser>>();
        Assert.True(await users.CheckPasswordAsync((await users.FindByEmailAsync("head@school.test"))!, "configured passphrase"));
    }

    [Fact]
    public async Task CreateAsync_NumbersAccountsInOrder_AndNeverGivesADeletedNumberAgain()
    {
        var admin = _database.Get<UserAdminService>();
        var first = await admin.CreateAsync(new NewUser("one@school.test", "One", Roles.Student, "long enough passphrase"));
        var second = await admin.CreateAsync(new NewUser("two@school.test", "Two", Roles.Teacher, "long enough passphrase", UserName: "two", FirstName: "Tea", LastName: "Cher"));

        var users = _database.Get<UserManager<ApplicationUser>>();
        await users.DeleteAsync((await users.FindByIdAsync(second.Id))!);
        var third = await admin.CreateAsync(new NewUser("three@school.test", "Three", Roles.Student, "long enough passphrase"));

        Assert.Equal(second.Number, first.Number + 1);
        Assert.Equal(second.Number + 1, third.Number);
        Assert.Equal(("two", "Tea", "Cher"), (second.UserName, second.FirstName, second.LastName));
        Assert.Equal("one@school.test", first.UserName);
        Assert.Equal(first.Id, (await admin.GetByNumberAsync(first.Number)).Id);
        await Assert.ThrowsAsync<NotFoundException>(() => admin.GetByNumberAsync(second.Number));
    }

    [Fact]
    public void Generate_Passwords_AreLongAndDifferent()
    {
        var passwords = Enumerable.Range(0, 50).Select(_ => PasswordGenerator.Generate()).ToList();
        Assert.All(passwords, p => Assert.Equal(23, p.Length));
        Assert.Equal(50, passwords.Distinct().Count());
    }

    [Fact]
    public async Task SetRoleAsync_OwnAccount_IsRefused()
    {
        var admin = await CreateAsync(Roles.Admin);
        var service = _database.Get<UserAdminService>();

        await Assert.ThrowsAsync<DomainValidationException>(() => service.SetRoleAsync(admin, Roles.Student, admin));

        Assert.Equal(Roles.Admin, (await service.ListAsync()).Single(u => u.Id == admin).Role);
    }

    [Fact]
    public async Task SetRoleAsync_OtherAccount_ReplacesTheRole()
    {
        var admin = await CreateAsync(Roles.Admin);
        var student = await CreateAsync(Roles.Student);
        var service = _database.Get<UserAdminService>();

        await service.SetRoleAsync(student, Roles.Teacher, admin);

        Assert.Equal(Roles.Teacher, (await service.ListAsync()).Single(u => u.Id == student).Role);
    }

    [Fact]
    public async Task SetActiveAsync_OwnAccount_IsRefused_OtherAccountIsDeactivated()
    {
        var admin = await CreateAsync(Roles.Admin);
        var teacher = await CreateAsync(Roles.Teacher);
        var service = _database.Get<UserAdminService>();

        await Assert.ThrowsAsync<DomainValidationException>(() => service.SetActiveAsync(admin, false, admin));
        await service.SetActiveAsync(teacher, false, admin);

        var list = await service.ListAsync();
        Assert.True(list.Single(u => u.Id == admin).IsActive);
        Assert.False(list.Single(u => u.Id == teacher).IsActive);
    }

    [Fact]
    public async Task DeleteOwnAsync_LastAdmin_IsRefused_AStudentMayLeave()
    {
        var admin = await CreateAsync(Roles.Admin);
        var student = await CreateAsync(Roles.Student);
        var service = _database.Get<UserAdminService>();

        await Assert.ThrowsAsync<DomainValidationException>(() => service.DeleteOwnAsync(admin));
        await service.DeleteOwnAsync(student);

        Assert.Equal([admin], (await service.ListAsync()).Select(u => u.Id));
    }

    [Fact]
    public async Task CreateAsync_ShortPassword_IsRefusedWithTheField()
    {
        var service = _database.Get<UserAdminService>();

        var error = await Assert.ThrowsAsync<DomainValidationException>(() =>
            service.CreateAsync(new NewUser("new@school.test", "New", Roles.Teacher, "short")));

        Assert.Equal("password", error.Field);
        Assert.DoesNotContain(await service.ListAsync(), u => u.Email == "new@school.test");
    }

    [Fact]
    public async Task ResetPasswordAsync_NewPassword_ReplacesTheOld()
    {
        var student = await CreateAsync(Roles.Student);
        var service = _database.Get<UserAdminService>();

        await service.ResetPasswordAsync(student, "a brand new passphrase");

        var users = _database.Get<UserManager<ApplicationUser>>();
        Assert.True(await users.CheckPasswordAsync((await users.FindByIdAsync(student))!, "a brand new passphrase"));
    }

    [Fact]
    public async Task ListAsync_Search_MatchesEmailOrNameCaseInsensitively()
    {
        await _database.Get<UserAdminService>().CreateAsync(new NewUser("ada@school.test", "Ada Lovelace", Roles.Teacher, "long enough passphrase"));
        await _database.Get<UserAdminService>().CreateAsync(new NewUser("alan@school.test", "Alan Turing", Roles.Teacher, "long enough passphrase"));
        var service = _database.Get<UserAdminService>();

        Assert.Equal(["ada@school.test"], (await service.ListAsync("LOVELACE")).Select(u => u.Email));
        Assert.Equal(["alan@school.test"], (await service.ListAsync("alan@")).Select(u => u.Email));
    }

    private async Task<string> CreateAsync(string role)
    {
        var created = await _database.Get<UserAdminService>()
            .CreateAsync(new NewUser($"{Guid.NewGuid():N}@school.test", role, role, "long enough passphrase"));
        return created.Id;
    }
}
