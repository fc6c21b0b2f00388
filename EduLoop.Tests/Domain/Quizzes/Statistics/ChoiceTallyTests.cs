using EduLoop.Domain.Quizzes.Statistics;

namespace EduLoop.Tests.Domain.Quizzes.Statistics;

public sealed class ChoiceTallyTests
{
    [Fact]
    public void Count_OptionsInOrderWithZeros_ThenOtherResponsesMostFrequentFirst()
    {
        var counts = ChoiceTally.Count(["Paris", "Lyon", "Nice"], ["Paris", "Nice", "Paris", "Rome", null, "", "Berlin", "Rome"]);

        Assert.Equal(
            [new("Paris", 2), new("Lyon", 0), new("Nice", 1), new("Rome", 2), new("Berlin", 1)],
            counts);
    }

    [Fact]
    public void Count_NoResponses_IsZeroForEachOption() =>
        Assert.All(ChoiceTally.Count(["a", "b"], []), c => Assert.Equal(0, c.Count));
}
