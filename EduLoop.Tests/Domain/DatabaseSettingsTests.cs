using EduLoop.Domain;
using EduLoop.Domain.Data;
using Npgsql;

namespace EduLoop.Tests.Domain;

public sealed class DatabaseSettingsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Sqlite")]
    [InlineData(" sqlite ")]
    public void NoProviderOrSqlite_IsSqlite_WithoutAConnectionString(string? provider)
    {
        Assert.Equal(DatabaseSettings.Sqlite, DatabaseSettings.Parse(provider, null));
    }

    [Theory]
    [InlineData("PostgreSQL")]
    [InlineData("postgresql")]
    [InlineData("Postgres")]
    public void PostgreSQL_TakesTheConnectionString(string provider)
    {
        var settings = DatabaseSettings.Parse(provider, "Host=db.school;Database=eduloop;Username=eduloop;Password=secret");

        Assert.Equal(DatabaseProvider.PostgreSQL, settings.Provider);
        Assert.Equal("PostgreSQL db.school:5432/eduloop", settings.Describe("unused.db"));
    }

    [Theory]
    [InlineData("Host=db;Database=school;Username=u", DatabaseSettings.DefaultMaxAutoPrepare, true)]
    [InlineData("Host=db;Database=school;Username=u;Max Auto Prepare=7", 7, true)]
    [InlineData("Host=db;Database=school;Username=u;maxautoprepare=0;No Reset On Close=false", 0, false)]
    public void PostgreSQL_PreparesWhatItRepeats_AndSkipsTheReset_UnlessTheConnectionStringSays(string connectionString, int prepared, bool noReset)
    {
        var settings = DatabaseSettings.Parse("PostgreSQL", connectionString);

        var used = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        Assert.Equal(prepared, used.MaxAutoPrepare);
        Assert.Equal(noReset, used.NoResetOnClose);
        Assert.Equal("db", used.Host);
        Assert.Equal("school", used.Database);
    }

    [Theory]
    [InlineData("MySql", null, "must be Sqlite or PostgreSQL")]
    [InlineData("PostgreSQL", null, "ConnectionStrings:EduLoop is empty")]
    [InlineData("PostgreSQL", "  ", "ConnectionStrings:EduLoop is empty")]
    [InlineData("PostgreSQL", "Hots=db;Nonsense", "is not a PostgreSQL connection string")]
    public void AnUnusableSetting_IsRefused_SayingWhatToFix(string provider, string? connectionString, string message)
    {
        var error = Assert.Throws<DomainValidationException>(() => DatabaseSettings.Parse(provider, connectionString));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void TheLogLine_NeverShowsThePassword()
    {
        var settings = DatabaseSettings.Parse("PostgreSQL", "Host=db;Database=school;Username=u;Password=hunter2");

        Assert.DoesNotContain("hunter2", settings.Describe("x"));
    }
}
