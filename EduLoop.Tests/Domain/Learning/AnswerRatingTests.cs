using EduLoop.Domain.Learning;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.Tests.Domain.Learning;

public sealed class AnswerRatingTests
{
    private static readonly TimeSpan _typical = TimeSpan.FromSeconds(20);
    private static readonly AnswerCheck _right = new(true, 1m);

    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    [InlineData(500)]
    public void Rate_Wrong_IsAgainHoweverFast(int seconds) =>
        Assert.Equal(Rating.Again, AnswerRating.Rate(new AnswerCheck(false, 0m), TimeSpan.FromSeconds(seconds), _typical));

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.5)]
    [InlineData(0.99)]
    public void Rate_PartlyRight_IsHardEvenWhenFast(double score) =>
        Assert.Equal(Rating.Hard, AnswerRating.Rate(new AnswerCheck(false, (decimal)score), TimeSpan.FromSeconds(1), _typical));

    [Theory]
    [InlineData(9.999, Rating.Easy)]
    [InlineData(10, Rating.Good)] // exactly half the typical time is not fast yet
    [InlineData(20, Rating.Good)]
    [InlineData(40, Rating.Good)] // exactly twice the typical time is not slow yet
    [InlineData(40.001, Rating.Hard)]
    [InlineData(3600, Rating.Hard)]
    public void Rate_Right_BySpeedAgainstTheTypicalTime(double seconds, Rating expected) =>
        Assert.Equal(expected, AnswerRating.Rate(_right, TimeSpan.FromSeconds(seconds), _typical));

    [Fact]
    public void Rate_RightWithUnknownTime_IsGood() =>
        Assert.Equal(Rating.Good, AnswerRating.Rate(_right, null, _typical));

    [Fact]
    public void Rate_NotMarked_IsNoRating() =>
        Assert.Null(AnswerRating.Rate(null, TimeSpan.FromSeconds(5), _typical));

    [Fact]
    public void Rate_TypicalTimeNotPositive_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AnswerRating.Rate(_right, TimeSpan.FromSeconds(5), TimeSpan.Zero));

    [Fact]
    public void TypicalTime_FewerThanFiveRightAnswers_IsTheTypesDefault()
    {
        var four = Enumerable.Repeat(TimeSpan.FromSeconds(3), AnswerRating.MinimumHistory - 1);

        Assert.Equal(TimeSpan.FromSeconds(10), AnswerRating.TypicalTime(QuestionType.TrueFalse, four));
        Assert.Equal(TimeSpan.FromSeconds(60), AnswerRating.TypicalTime(QuestionType.Math, []));
    }

    [Fact]
    public void TypicalTime_OddHistory_IsTheMedianNotTheMean()
    {
        var times = new[] { 5, 7, 9, 11, 600 }.Select(s => TimeSpan.FromSeconds(s));

        Assert.Equal(TimeSpan.FromSeconds(9), AnswerRating.TypicalTime(QuestionType.Mcq, times));
    }

    [Fact]
    public void TypicalTime_EvenHistory_IsTheMeanOfTheMiddleTwo()
    {
        var times = new[] { 12, 4, 8, 6, 10, 2 }.Select(s => TimeSpan.FromSeconds(s));

        Assert.Equal(TimeSpan.FromSeconds(7), AnswerRating.TypicalTime(QuestionType.Mcq, times));
    }

    [Fact]
    public void TypicalTime_LongHistory_UsesOnlyTheLatestTwenty()
    {
        // Thirty slow answers long ago, then twenty quick ones: the student got faster.
        var times = Enumerable.Repeat(TimeSpan.FromSeconds(60), 30).Concat(Enumerable.Repeat(TimeSpan.FromSeconds(8), AnswerRating.HistoryWindow));

        Assert.Equal(TimeSpan.FromSeconds(8), AnswerRating.TypicalTime(QuestionType.Mcq, times));
    }

    [Fact]
    public void TypicalTime_IgnoresTimesThatAreNotPositive()
    {
        var times = new[] { 0, 0, 0, 0, 10, 10, 10, 10 }.Select(s => TimeSpan.FromSeconds(s));

        Assert.Equal(AnswerRating.DefaultTime(QuestionType.FillBlank), AnswerRating.TypicalTime(QuestionType.FillBlank, times));
    }
}
