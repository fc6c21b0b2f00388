namespace EduLoop.Tests.Compatibility;

/// <summary>
/// A school moved from the original's database answers the original's clients as the original did:
/// every recorded read before the first change, replayed against the migrated data.
/// </summary>
[Collection(Infrastructure.ConsoleOutput.Collection)]
public sealed class MigratedContractReplayTests(MigratedContractReplay replay) : IClassFixture<MigratedContractReplay>
{
    public static TheoryData<int> Reads => [.. ContractCase.All.Where(MigratedContractReplay.IsRead).Select(c => c.N)];

    [Theory]
    [MemberData(nameof(Reads))]
    public void RecordedRead_AnswersAsTheOriginal_AfterTheMove(int n)
    {
        var outcome = replay.Outcomes[n];

        Assert.True(outcome.Differences.Count == 0,
            $"{ContractCase.All.Single(c => c.N == n)}\n  " + string.Join("\n  ", outcome.Differences));
    }

    [Fact]
    public void TheMove_ReportsWhatItMoved()
    {
        Assert.Contains("2 groups, 3 subjects, 4 categories, 5 subcategories, 12 questions", replay.MigrationOutput, StringComparison.Ordinal);
        Assert.Contains("2 accounts (1 admins, 0 teachers, 1 students)", replay.MigrationOutput, StringComparison.Ordinal);
        Assert.Contains("2 API tokens, 3 access keys (0 inactive)", replay.MigrationOutput, StringComparison.Ordinal);
        Assert.True(replay.Outcomes.Count > 150, $"only {replay.Outcomes.Count} reads replayed");
    }
}
