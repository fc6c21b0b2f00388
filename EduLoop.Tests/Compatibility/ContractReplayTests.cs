namespace EduLoop.Tests.Compatibility;

/// <summary>
/// Every exchange recorded from the original service, replayed in order against EduLoop: the original's
/// clients work unchanged, except where <see cref="ContractExpectations"/> says EduLoop answers otherwise and why.
/// </summary>
public sealed class ContractReplayTests(ContractReplay replay) : IClassFixture<ContractReplay>
{
    public static TheoryData<int> Cases => [.. ContractCase.All.Select(c => c.N)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void RecordedExchange_AnswersAsTheOriginal(int n)
    {
        var outcome = replay.Outcomes[n];

        Assert.True(outcome.Differences.Count == 0,
            $"{ContractCase.All.Single(c => c.N == n)}\n  " + string.Join("\n  ", outcome.Differences));
    }

    [Fact]
    public void Recording_IsWhole()
    {
        Assert.Equal(425, ContractCase.All.Count);
        Assert.Equal(Enumerable.Range(1, 425), ContractCase.All.Select(c => c.N));
    }
}
