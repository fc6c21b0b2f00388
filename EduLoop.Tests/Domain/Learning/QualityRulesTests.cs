using EduLoop.Domain.Learning;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.Tests.Domain.Learning;

/// <summary>The sums behind a question's quality flags, and when each flag is raised.</summary>
public sealed class QualityRulesTests
{
    private static readonly QuestionBody ThreeOptions = new() { Choices = [new("Paris", 1m), new("Lyon", 0m), new("Nice", 0m)] };

    [Fact]
    public void Discrimination_FromRunningSums_IsPearsonsCorrelationOfTheMarkWithTheRest()
    {
        var random = new Random(7);
        var pairs = Enumerable.Range(0, 200).Select(_ => (X: random.Next(3) / 2.0, Y: random.NextDouble())).Select(p => (p.X, Y: (p.Y + p.X) / 2)).ToList();
        var sums = new QuestionQuality();
        foreach (var (x, y) in pairs)
        {
            sums.Count(Answer(x, rest: y), QuestionType.Mcq, ThreeOptions);
        }

        var (meanX, meanY) = (pairs.Average(p => p.X), pairs.Average(p => p.Y));
        var covariance = pairs.Sum(p => (p.X - meanX) * (p.Y - meanY));
        var expected = covariance / Math.Sqrt(pairs.Sum(p => Math.Pow(p.X - meanX, 2)) * pairs.Sum(p => Math.Pow(p.Y - meanY, 2)));
        Assert.Equal(expected, sums.Discrimination!.Value, 10);
        Assert.Equal(200, sums.Pairs);
        Assert.Equal(pairs.Average(p => p.X), sums.Facility!.Value, 12);
    }

    [Fact]
    public void Discrimination_WithoutSpread_IsNone()
    {
        var sums = new QuestionQuality();
        for (var i = 0; i < 40; i++)
        {
            sums.Count(Answer(1, rest: i % 2), QuestionType.Mcq, ThreeOptions);
        }

        Assert.Null(sums.Discrimination);
        Assert.DoesNotContain(QualityRules.Findings(sums, QuestionType.Mcq, ThreeOptions), f => f.Flag is QualityFlags.LowDiscrimination or QualityFlags.NegativeDiscrimination);
    }

    [Theory]
    [InlineData(29, false)]
    [InlineData(30, true)]
    public void NegativeDiscrimination_WaitsForEnoughQuizAnswers(int pairs, bool flagged)
    {
        var sums = new QuestionQuality();
        for (var i = 0; i < pairs; i++)
        {
            // Right where the rest of the attempt went badly, wrong where it went well.
            sums.Count(Answer(i % 2, rest: i % 2 == 0 ? 0.9 : 0.2), QuestionType.Mcq, ThreeOptions);
        }

        var finding = QualityRules.Findings(sums, QuestionType.Mcq, ThreeOptions).SingleOrDefault(f => f.Flag == QualityFlags.NegativeDiscrimination);
        Assert.Equal(flagged, finding is not null);
        if (finding is not null)
        {
            Assert.Equal((-1.0, 30), (Math.Round(finding.Value, 9), finding.Count));
        }
    }

    [Fact]
    public void LowDiscrimination_IsUnderTwentyAndNotNegative()
    {
        var sums = new QuestionQuality();
        // Marks that follow the rest only a little: r = 0.04.
        var marks = new[] { 1.0, 1, 1, 1, 1, 0, 0, 0, 0, 0 };
        var rests = new[] { 0.9, 0.1, 0.6, 0.4, 0.55, 0.8, 0.2, 0.5, 0.5, 0.45 };
        for (var round = 0; round < 3; round++)
        {
            foreach (var (mark, rest) in marks.Zip(rests))
            {
                sums.Count(Answer(mark, rest), QuestionType.Mcq, ThreeOptions);
            }
        }

        var finding = Assert.Single(QualityRules.Findings(sums, QuestionType.Mcq, ThreeOptions));
        Assert.Equal(QualityFlags.LowDiscrimination, finding.Flag);
        Assert.InRange(finding.Value, 0, QualityRules.LowDiscrimination);
    }

    [Theory]
    [InlineData(29, 1.0, QualityFlags.None)]
    [InlineData(30, 1.0, QualityFlags.TooEasy)]
    [InlineData(30, 0.94, QualityFlags.None)]
    [InlineData(30, 0.1, QualityFlags.TooHard)]
    [InlineData(30, 0.16, QualityFlags.None)]
    public void Facility_IsJudgedFromThirtyAnswers(int answers, double mark, QualityFlags expected)
    {
        var sums = new QuestionQuality();
        for (var i = 0; i < answers; i++)
        {
            sums.Count(Answer(mark), QuestionType.Writing, new QuestionBody());
        }

        sums.Evaluate(QuestionType.Writing, new QuestionBody());
        Assert.Equal(expected, sums.Flags);
    }

    [Theory]
    [InlineData(7, true)]
    [InlineData(6, false)]
    public void OftenBlank_IsMoreThanAFifthOfThirtyQuizAppearances(int blanks, bool flagged)
    {
        var sums = new QuestionQuality();
        for (var i = 0; i < 30; i++)
        {
            sums.Count(Answer(0.5, source: ReviewSource.Quiz) with { Blank = i < blanks }, QuestionType.FillBlank, new QuestionBody());
        }

        Assert.Equal((30, blanks, 30 - blanks), (sums.QuizShown, sums.QuizBlank, sums.Responses));
        var finding = QualityRules.Findings(sums, QuestionType.FillBlank, new QuestionBody()).SingleOrDefault(f => f.Flag == QualityFlags.OftenBlank);
        Assert.Equal(flagged, finding is not null);
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public void AWrongOptionPickedByUnderFivePercentOfFiftyAnswers_IsUnused(int lyon, bool flagged)
    {
        var sums = new QuestionQuality();
        for (var i = 0; i < 50; i++)
        {
            var pick = i < lyon ? "Lyon" : i < 25 ? "Nice" : "Paris";
            sums.Count(Answer(pick == "Paris" ? 1 : 0) with { Chosen = [pick] }, QuestionType.Mcq, ThreeOptions);
        }

        Assert.Equal([50 - 25, lyon, 25 - lyon], sums.Picks);
        var findings = QualityRules.Findings(sums, QuestionType.Mcq, ThreeOptions).Where(f => f.Flag == QualityFlags.UnusedDistractor).ToList();
        Assert.Equal(flagged, findings.Count == 1);
        if (flagged)
        {
            Assert.Equal(("Lyon", lyon / 50.0, 50), (findings[0].Option, findings[0].Value, findings[0].Count));
        }
    }

    [Fact]
    public void TheRightOption_IsNeverAnUnusedDistractor_AndFewerThanFiftyAnswersRaiseNothing()
    {
        var sums = new QuestionQuality();
        for (var i = 0; i < 49; i++)
        {
            sums.Count(Answer(0) with { Chosen = [i % 2 == 0 ? "Lyon" : "Nice"] }, QuestionType.Mcq, ThreeOptions);
        }

        Assert.DoesNotContain(QualityRules.Findings(sums, QuestionType.Mcq, ThreeOptions), f => f.Flag == QualityFlags.UnusedDistractor);
        sums.Count(Answer(0) with { Chosen = ["Lyon"] }, QuestionType.Mcq, ThreeOptions);
        Assert.DoesNotContain(QualityRules.Findings(sums, QuestionType.Mcq, ThreeOptions), f => f.Flag == QualityFlags.UnusedDistractor);
        Assert.Contains(QualityRules.Findings(sums, QuestionType.Mcq, ThreeOptions), f => f.Flag == QualityFlags.TooHard);
    }

    [Fact]
    public void ADismissedFlag_StaysOutOfTheOpenOnes_UntilTheSumsStartAgain()
    {
        var sums = new QuestionQuality { ContentHash = 1 };
        for (var i = 0; i < 30; i++)
        {
            sums.Count(Answer(1), QuestionType.Mcq, ThreeOptions);
        }

        sums.Dismissed = QualityFlags.TooEasy;
        sums.Evaluate(QuestionType.Mcq, ThreeOptions);
        Assert.Equal((QualityFlags.TooEasy, QualityFlags.None), (sums.Flags, sums.OpenFlags));

        sums.Restart(2);

        Assert.Equal((2L, 0, QualityFlags.None, QualityFlags.None, 0), (sums.ContentHash, sums.Responses, sums.Flags, sums.Dismissed, sums.Picks.Count));
    }

    private static GradedAnswer Answer(double mark, double? rest = null, ReviewSource source = ReviewSource.Practice) =>
        new("student", 1, QuestionType.Mcq, DateTime.UtcNow, new AnswerCheck(mark == 1, (decimal)mark), Rating.Good, source, Rest: rest);
}
