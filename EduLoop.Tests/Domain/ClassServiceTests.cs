using EduLoop.Domain;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;

using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Domain;

public sealed class ClassServiceTests : IAsyncLifetime
{
    private DomainDatabase _database = null!;
    private ClassService _classes = null!;

    public async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        _classes = _database.Get<ClassService>();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task CreateAsync_NewClass_HasOneActiveWellFormedKey()
    {
        var created = await _classes.CreateAsync("  7b  ", "Mr Smith's form");

        Assert.Equal("7b", created.Name);
        var key = Assert.Single(await _classes.ListKeysAsync(created.Id));
        Assert.True(key.IsActive);
        Assert.True(AccessKeyGenerator.IsWellFormed(key.Key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task CreateAsync_BlankName_IsRejected(string name)
    {
        var error = await Assert.ThrowsAsync<DomainValidationException>(() => _classes.CreateAsync(name, null));
        Assert.Equal("name", error.Field);
        Assert.Empty(await _classes.ListAsync());
    }

    [Fact]
    public async Task CreateAsync_DuplicateName_IsRejected()
    {
        await _classes.CreateAsync("7b", null);
        await Assert.ThrowsAsync<DomainValidationException>(() => _classes.CreateAsync("7b", null));
        Assert.Single(await _classes.ListAsync());
    }

    [Fact]
    public async Task JoinAsync_ActiveKey_AddsTheStudentOnce()
    {
        var schoolClass = await _classes.CreateAsync("7b", null);
        var key = (await _classes.ListKeysAsync(schoolClass.Id))[0].Key;
        var student = await CreateStudentAsync();

        await _classes.JoinAsync(student, key);
        var joined = await _classes.JoinAsync(student, $" {key} ");

        Assert.Equal(schoolClass.Id, joined.Id);
        Assert.Equal(1, joined.StudentCount);
        Assert.Single(await _classes.ListForStudentAsync(student));
    }

    [Fact]
    public async Task MembersAsync_ListsTheClassesStudents_AndNoOthers()
    {
        var schoolClass = await _classes.CreateAsync("7b", null);
        var other = await _classes.CreateAsync("7c", null);
        var key = (await _classes.ListKeysAsync(schoolClass.Id))[0].Key;
        var otherKey = (await _classes.ListKeysAsync(other.Id))[0].Key;
        var student = await CreateStudentAsync();
        await _classes.JoinAsync(student, key);
        await _classes.JoinAsync(await CreateStudentAsync(), otherKey);

        var members = await _classes.MembersAsync(schoolClass.Id);

        Assert.Equal(student, Assert.Single(members).UserId);
        Assert.Empty(await _classes.MembersAsync(other.Id + 100));
    }

    [Fact]
    public async Task JoinAsync_DeactivatedKey_IsRefused()
    {
        var schoolClass = await _classes.CreateAsync("7b", null);
        var key = (await _classes.ListKeysAsync(schoolClass.Id))[0];
        await _classes.SetKeyActiveAsync(key.Id, false);
        var student = await CreateStudentAsync();

        await Assert.ThrowsAsync<DomainValidationException>(() => _classes.JoinAsync(student, key.Key));
        Assert.Empty(await _classes.ListForStudentAsync(student));
        Assert.False(await _classes.IsActiveKeyAsync(key.Key));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("1234567")]
    [InlineData("123456789")]
    [InlineData("1234abcd")]
    [InlineData("01234567")]
    [InlineData("99999999")]
    public async Task JoinAsync_MalformedOrUnknownKey_IsRefused(string? key)
    {
        await _classes.CreateAsync("7b", null);
        var student = await CreateStudentAsync();

        var error = await Assert.ThrowsAsync<DomainValidationException>(() => _classes.JoinAsync(student, key));
        Assert.Equal("key", error.Field);
    }

    [Fact]
    public async Task DeleteAsync_Class_RemovesItsKeysAndMemberships()
    {
        var schoolClass = await _classes.CreateAsync("7b", null);
        var key = (await _classes.ListKeysAsync(schoolClass.Id))[0].Key;
        var student = await CreateStudentAsync();
        await _classes.JoinAsync(student, key);

        await _classes.DeleteAsync(schoolClass.Id);

        await using var db = _database.CreateContext();
        Assert.Equal(0, await db.AccessKeys.CountAsync());
        Assert.Equal(0, await db.ClassMemberships.CountAsync());
        Assert.Equal(1, await db.Users.CountAsync());
        await Assert.ThrowsAsync<NotFoundException>(() => _classes.DeleteAsync(schoolClass.Id));
    }

    [Fact]
    public async Task AddKeyAsync_SeveralKeys_AreAllDistinct()
    {
        var schoolClass = await _classes.CreateAsync("7b", null);
        for (var i = 0; i < 20; i++)
        {
            await _classes.AddKeyAsync(schoolClass.Id, $"key {i}");
        }

        var keys = await _classes.ListKeysAsync(schoolClass.Id);
        Assert.Equal(21, keys.Count);
        Assert.Equal(21, keys.Select(k => k.Key).Distinct().Count());
    }

    [Fact]
    public void NewKey_IsEightDigitsWithoutLeadingZero_AndVaries()
    {
        var generator = new AccessKeyGenerator();
        var keys = Enumerable.Range(0, 1000).Select(_ => generator.NewKey()).ToList();

        Assert.All(keys, key => Assert.True(AccessKeyGenerator.IsWellFormed(key), key));
        // 1,000 draws from 90 million: a handful of repeats at most would already be suspicious.
        Assert.True(keys.Distinct().Count() >= 995);
        // Every leading digit 1–9 shows up: the keys are not drawn from a narrow range.
        Assert.Equal(9, keys.Select(k => k[0]).Distinct().Count());
    }

    [Fact]
    public async Task CreateAsync_ByATeacher_MakesThemItsTeacher_AndOnlyTheirClassesAreListed()
    {
        var ana = Actor.Teacher(await CreateAccountAsync(Roles.Teacher, "ana@school.test"));
        var ben = Actor.Teacher(await CreateAccountAsync(Roles.Teacher, "ben@school.test"));

        var created = await _classes.CreateAsync("7b", null, ana);
        await _classes.CreateAsync("7c", null, ben);

        Assert.Equal(created.Id, Assert.Single(await _classes.ListAsync(ana)).Id);
        Assert.Equal("7c", Assert.Single(await _classes.ListAsync(ben)).Name);
        Assert.Equal(2, (await _classes.ListAsync(Actor.Admin("admin"))).Count);
        Assert.Equal("ana@school.test", Assert.Single(await _classes.TeachersAsync(created.Id, ana)).Email);
        Assert.Single(await _classes.ActiveKeysAsync(created.Id, ana));
    }

    [Fact]
    public async Task RenewKeyAsync_OldKeyStopsWorking_NewKeyJoins_MembersStay()
    {
        var teacher = Actor.Teacher(await CreateAccountAsync(Roles.Teacher, "ana@school.test"));
        var schoolClass = await _classes.CreateAsync("7b", null, teacher);
        var old = Assert.Single(await _classes.ActiveKeysAsync(schoolClass.Id, teacher)).Key;
        var member = await CreateStudentAsync();
        await _classes.JoinAsync(member, old);

        var renewed = await _classes.RenewKeyAsync(schoolClass.Id, teacher);

        Assert.NotEqual(old, renewed.Key);
        Assert.Equal(renewed.Key, Assert.Single(await _classes.ActiveKeysAsync(schoolClass.Id, teacher)).Key);
        Assert.False(await _classes.IsActiveKeyAsync(old));
        var latecomer = await CreateStudentAsync();
        await Assert.ThrowsAsync<DomainValidationException>(() => _classes.JoinAsync(latecomer, old));
        await _classes.JoinAsync(latecomer, renewed.Key);
        Assert.Equal(2, (await _classes.MembersAsync(schoolClass.Id, teacher)).Count);
    }

    [Fact]
    public async Task AddStudentAsync_ByEmail_AddsOnce_AndRefusesUnknownOrNonStudentAccounts()
    {
        var teacher = Actor.Teacher(await CreateAccountAsync(Roles.Teacher, "ana@school.test"));
        var schoolClass = await _classes.CreateAsync("7b", null, teacher);
        var student = await CreateAccountAsync(Roles.Student, "kid@school.test");

        Assert.Equal(AddToClassOutcome.Added, await _classes.AddStudentAsync(schoolClass.Id, "  KID@school.test ", teacher));
        Assert.Equal(AddToClassOutcome.AlreadyInClass, await _classes.AddStudentAsync(schoolClass.Id, "kid@school.test", teacher));
        Assert.Equal(AddToClassOutcome.NoSuchAccount, await _classes.AddStudentAsync(schoolClass.Id, "nobody@school.test", teacher));
        Assert.Equal(AddToClassOutcome.NoSuchAccount, await _classes.AddStudentAsync(schoolClass.Id, "ana@school.test", teacher));
        Assert.Equal(AddToClassOutcome.NoSuchAccount, await _classes.AddStudentAsync(schoolClass.Id, "", teacher));
        Assert.Equal(student, Assert.Single(await _classes.MembersAsync(schoolClass.Id, teacher)).UserId);

        await _classes.RemoveStudentAsync(schoolClass.Id, student, teacher);

        Assert.Empty(await _classes.MembersAsync(schoolClass.Id, teacher));
        await Assert.ThrowsAsync<NotFoundException>(() => _classes.RemoveStudentAsync(schoolClass.Id, student, teacher));
    }

    [Fact]
    public async Task ATeacher_CannotSeeOrChange_AnotherTeachersClass()
    {
        var owner = Actor.Teacher(await CreateAccountAsync(Roles.Teacher, "ana@school.test"));
        var intruder = Actor.Teacher(await CreateAccountAsync(Roles.Teacher, "ben@school.test"));
        var schoolClass = await _classes.CreateAsync("7b", null, owner);
        var key = Assert.Single(await _classes.ActiveKeysAsync(schoolClass.Id, owner)).Key;
        var member = await CreateStudentAsync();
        await _classes.JoinAsync(member, key);
        await CreateAccountAsync(Roles.Student, "kid@school.test");

        await Assert.ThrowsAsync<ForbiddenException>(() => _classes.MembersAsync(schoolClass.Id, intruder));
        await Assert.ThrowsAsync<ForbiddenException>(() => _classes.ActiveKeysAsync(schoolClass.Id, intruder));
        await Assert.ThrowsAsync<ForbiddenException>(() => _classes.TeachersAsync(schoolClass.Id, intruder));
        await Assert.ThrowsAsync<ForbiddenException>(() => _classes.RenewKeyAsync(schoolClass.Id, intruder));
        await Assert.ThrowsAsync<ForbiddenException>(() => _classes.AddStudentAsync(schoolClass.Id, "kid@school.test", intruder));
        await Assert.ThrowsAsync<ForbiddenException>(() => _classes.RemoveStudentAsync(schoolClass.Id, member, intruder));
        await Assert.ThrowsAsync<ForbiddenException>(() => _classes.AddTeacherAsync(schoolClass.Id, "ben@school.test", intruder));
        await Assert.ThrowsAsync<ForbiddenException>(() => _classes.AddTeacherAsync(schoolClass.Id, "ben@school.test", owner));
        await Assert.ThrowsAsync<NotFoundException>(() => _classes.RenewKeyAsync(schoolClass.Id + 100, owner));

        Assert.True(await _classes.IsActiveKeyAsync(key));
        Assert.Equal(member, Assert.Single(await _classes.MembersAsync(schoolClass.Id, owner)).UserId);
        Assert.Single(await _classes.TeachersAsync(schoolClass.Id, owner));
    }

    [Fact]
    public async Task AddTeacherAsync_ByAnAdmin_LetsThatTeacherManageTheClass_UntilRemoved()
    {
        var admin = Actor.Admin(await CreateAccountAsync(Roles.Admin, "head@school.test"));
        var teacher = Actor.Teacher(await CreateAccountAsync(Roles.Teacher, "ana@school.test"));
        var schoolClass = await _classes.CreateAsync("7b", null, admin);
        Assert.Empty(await _classes.TeachersAsync(schoolClass.Id, admin));
        Assert.Empty(await _classes.ListAsync(teacher));

        Assert.Equal(AddToClassOutcome.NoSuchAccount, await _classes.AddTeacherAsync(schoolClass.Id, "head@school.test", admin));
        Assert.Equal(AddToClassOutcome.Added, await _classes.AddTeacherAsync(schoolClass.Id, "ana@school.test", admin));
        Assert.Equal(AddToClassOutcome.AlreadyInClass, await _classes.AddTeacherAsync(schoolClass.Id, "ana@school.test", admin));
        Assert.Single(await _classes.ListAsync(teacher));
        await _classes.RenewKeyAsync(schoolClass.Id, teacher);

        await _classes.RemoveTeacherAsync(schoolClass.Id, teacher.UserId, admin);

        Assert.Empty(await _classes.ListAsync(teacher));
        await Assert.ThrowsAsync<ForbiddenException>(() => _classes.RenewKeyAsync(schoolClass.Id, teacher));
        await Assert.ThrowsAsync<NotFoundException>(() => _classes.RemoveTeacherAsync(schoolClass.Id, teacher.UserId, admin));
    }

    private async Task<string> CreateAccountAsync(string role, string email)
    {
        var account = await _database.Get<AccountSetup>().CreateAsync(role, email, email, null);
        await using var db = _database.CreateContext();
        return await db.Users.Where(u => u.Email == account!.Email).Select(u => u.Id).SingleAsync();
    }

    private async Task<string> CreateStudentAsync()
    {
        var account = await _database.Get<AccountSetup>().CreateAsync(Roles.Student, $"s{Guid.NewGuid():N}@school.test", "Student", null);
        await using var db = _database.CreateContext();
        return await db.Users.Where(u => u.Email == account!.Email).Select(u => u.Id).SingleAsync();
    }
}
