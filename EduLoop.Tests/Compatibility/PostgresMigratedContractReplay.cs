using EduLoop.App.Hosting;
using EduLoop.Domain.Data;
using EduLoop.Tests.Infrastructure;

namespace EduLoop.Tests.Compatibility;

/// <summary>
/// The recording's school moved twice, as a school that outgrows one machine would be: from the
/// original's database by <c>migrate-from-django</c>, then onto PostgreSQL by <c>migrate --to
/// postgresql</c>; the app then runs on PostgreSQL and must answer every recorded read as the original did.
/// </summary>
public sealed class PostgresMigratedContractReplay : MigratedContractReplay
{
    private readonly PostgresServer _server = new();
    private readonly Dictionary<string, string> _settings = [];

    public string MoveOutput { get; private set; } = "";

    protected override IReadOnlyDictionary<string, string> MoreSettings => _settings;

    protected override async Task MovedAsync()
    {
        await _server.InitializeAsync();
        var connection = await _server.CreateDatabaseAsync();
        var (exitCode, output, error) = await ConsoleOutput.CaptureAsync(() =>
            MigrateCommand.RunAsync(["--to", "postgresql", "--connection", connection, "--data-dir", DataDirectory]));
        MoveOutput = output + error;
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"migrate --to postgresql failed ({exitCode}): {MoveOutput}");
        }

        _settings[DatabaseSettings.ProviderKey] = "PostgreSQL";
        _settings["ConnectionStrings:" + DatabaseSettings.ConnectionStringName] = connection;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _server.DisposeAsync();
    }
}

/// <summary>
/// A school moved from the original's database and then onto PostgreSQL answers the original's
/// clients as the original did: every recorded read before the first change.
/// </summary>
[Collection(ConsoleOutput.Collection)]
public sealed class PostgresMigratedContractReplayTests(PostgresMigratedContractReplay replay) : IClassFixture<PostgresMigratedContractReplay>
{
    public static TheoryData<int> Reads => [.. ContractCase.All.Where(MigratedContractReplay.IsRead).Select(c => c.N)];

    [Theory]
    [MemberData(nameof(Reads))]
    public void RecordedRead_AnswersAsTheOriginal_OnPostgreSql(int n)
    {
        var outcome = replay.Outcomes[n];

        Assert.True(outcome.Differences.Count == 0,
            $"{ContractCase.All.Single(c => c.N == n)}\n  " + string.Join("\n  ", outcome.Differences));
    }

    [Fact]
    public void TheMove_CheckedEveryTable()
    {
        Assert.Contains("12 questions", replay.MigrationOutput, StringComparison.Ordinal);
        Assert.Contains("checksum", replay.MoveOutput, StringComparison.OrdinalIgnoreCase);
        Assert.True(replay.Outcomes.Count > 150, $"only {replay.Outcomes.Count} reads replayed");
    }
}
