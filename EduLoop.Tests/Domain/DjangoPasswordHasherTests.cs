using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;

using Microsoft.AspNetCore.Identity;

namespace EduLoop.Tests.Domain;

public sealed class DjangoPasswordHasherTests
{
    private static readonly ApplicationUser _user = new() { UserName = "teacher1" };

    // The teacher's hash in original-school.sql, made by Django 3.2.
    private const string TeacherHash = "pbkdf2_sha256$260000$eduloopsalt01$BE8WlQN35MOqJqnLLZkkHL0oLuXoQ7RmNrdRs4w0Vq8=";

    [Fact]
    public void VerifyHashedPassword_DjangoHashAndItsPassword_AsksForARehash()
    {
        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded,
            new DjangoPasswordHasher().VerifyHashedPassword(_user, TeacherHash, OriginalSchool.TeacherPassword));
    }

    [Theory]
    [InlineData(TeacherHash, "legacy-teacher-passw0rd")]
    [InlineData(TeacherHash, "")]
    [InlineData("pbkdf2_sha256$260000$eduloopsalt01$", "Legacy-Teacher-Passw0rd")]
    [InlineData("pbkdf2_sha256$0$eduloopsalt01$BE8WlQN35MOqJqnLLZkkHL0oLuXoQ7RmNrdRs4w0Vq8=", "Legacy-Teacher-Passw0rd")]
    [InlineData("pbkdf2_sha256$abc$eduloopsalt01$BE8WlQN35MOqJqnLLZkkHL0oLuXoQ7RmNrdRs4w0Vq8=", "Legacy-Teacher-Passw0rd")]
    [InlineData("pbkdf2_sha256$260000$eduloopsalt01$not base64!", "Legacy-Teacher-Passw0rd")]
    [InlineData("pbkdf2_sha256$260000$eduloopsalt01$BE8WlQN35MOqJqnLLZkkHL0oLuXoQ7RmNrdRs4w0Vq8=$x", "Legacy-Teacher-Passw0rd")]
    public void VerifyHashedPassword_WrongPasswordOrDamagedHash_Fails(string hash, string password)
    {
        Assert.Equal(PasswordVerificationResult.Failed, new DjangoPasswordHasher().VerifyHashedPassword(_user, hash, password));
    }

    [Fact]
    public void VerifyHashedPassword_OtherDjangoSalts_AreChecked()
    {
        var hash = OriginalSchool.DjangoHash("ein Passwort", "Salz mit ü", 1_000);

        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, new DjangoPasswordHasher().VerifyHashedPassword(_user, hash, "ein Passwort"));
    }

    [Fact]
    public void HashPassword_IsIdentitysHash_AndVerifiesWithoutARehash()
    {
        var hasher = new DjangoPasswordHasher();

        var hash = hasher.HashPassword(_user, "Neues-Passw0rt");

        Assert.False(DjangoPasswordHasher.IsDjangoPbkdf2(hash));
        Assert.Equal(PasswordVerificationResult.Success, new PasswordHasher<ApplicationUser>().VerifyHashedPassword(_user, hash, "Neues-Passw0rt"));
        Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(_user, hash, "Neues-Passw0rt"));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(_user, hash, "neues-passw0rt"));
    }
}
