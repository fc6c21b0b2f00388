using EduLoop.Domain;
using EduLoop.Domain.Quizzes;
using EduLoop.Domain.Settings;
using EduLoop.Tests.Infrastructure;

namespace EduLoop.Tests.Domain;

public sealed class SchoolSettingsServiceTests
{
    [Fact]
    public async Task LoadAsync_NothingSaved_GivesTheDefaults()
    {
        await using var database = await DomainDatabase.CreateAsync();

        var settings = await database.Get<SchoolSettingsService>().LoadAsync();

        Assert.Equal(new SchoolSettings().SchoolName, settings.SchoolName);
        Assert.True(settings.StudentsMayRegister);
        Assert.Equal(new DefaultReview(), settings.DefaultReview);
    }

    [Fact]
    public async Task SaveAsync_ThenLoadInAnotherService_ReadsWhatWasSaved()
    {
        await using var database = await DomainDatabase.CreateAsync();
        var saved = new SchoolSettings
        {
            SchoolName = "  Gymnasium Am See ",
            DefaultLanguage = "de",
            StudentsMayRegister = false,
            DefaultReview = new DefaultReview(ReviewTime.Immediately, false, true, true, false),
            Backups = new BackupSchedule(true, 3, 14),
        };

        await database.Get<SchoolSettingsService>().SaveAsync(saved);
        await database.Get<SchoolSettingsService>().SaveAsync(saved with { StudentsMayRegister = true });
        var loaded = await new SchoolSettingsService(database.CreateFactory()).LoadAsync();

        Assert.Equal(saved with { SchoolName = "Gymnasium Am See", StudentsMayRegister = true }, loaded with { });
        Assert.Equal("Gymnasium Am See", database.Get<SchoolSettingsService>().Current.SchoolName);
    }

    [Theory]
    [InlineData("", "de", 7, "SchoolName")]
    [InlineData("School", "fr", 7, "DefaultLanguage")]
    [InlineData("School", "en", 0, "BackupKeep")]
    public async Task SaveAsync_InvalidSettings_AreRefusedAndNothingIsStored(string name, string language, int keep, string field)
    {
        await using var database = await DomainDatabase.CreateAsync();
        var service = database.Get<SchoolSettingsService>();

        var error = await Assert.ThrowsAsync<DomainValidationException>(() => service.SaveAsync(
            new SchoolSettings { SchoolName = name, DefaultLanguage = language, Backups = new BackupSchedule(true, 2, keep) }));

        Assert.Equal(field, error.Field);
        Assert.Equal(new SchoolSettings(), await service.LoadAsync());
    }
}
