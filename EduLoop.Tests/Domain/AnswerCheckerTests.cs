using System.Text.Json;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.Tests.Domain;

public sealed class AnswerCheckerTests
{
    private static readonly QuestionBody _choices = new()
    {
        Choices = [new Choice("Paris", 1m), new Choice("Lyon", 0m), new Choice("Nice", 0m)],
    };

    private static readonly QuestionBody _multi = new()
    {
        Choices = [new Choice("2", 0.5m), new Choice("3", 0.5m), new Choice("4", -0.5m)],
    };

    [Theory]
    [InlineData("\"Paris\"", true)]
    [InlineData("0", true)]
    [InlineData("\"Lyon\"", false)]
    [InlineData("7", false)]
    [InlineData("{}", false)]
    public void Mcq_ByTextOrIndex(string response, bool correct) =>
        Assert.Equal(correct, AnswerChecker.Check(QuestionType.Mcq, _choices, Json(response))!.Correct);

    [Theory]
    [InlineData("[\"2\",\"3\"]", true, 1)]
    [InlineData("[\"2\"]", false, 0.5)]
    [InlineData("[\"2\",\"4\"]", false, 0)]
    [InlineData("[\"9\"]", false, 0)]
    public void McqMulti_GivesPartialCredit(string response, bool correct, double score)
    {
        var check = AnswerChecker.Check(QuestionType.McqMulti, _multi, Json(response))!;
        Assert.Equal(correct, check.Correct);
        Assert.Equal((decimal)score, check.Score);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("\"True\"", true)]
    [InlineData("false", false)]
    [InlineData("1", false)]
    public void TrueFalse(string response, bool correct) =>
        Assert.Equal(correct, AnswerChecker.Check(QuestionType.TrueFalse, new QuestionBody { TrueFalseAnswer = true }, Json(response))!.Correct);

    [Theory]
    [InlineData("\"  went \"", false, true)]
    [InlineData("\"WENT\"", false, true)]
    [InlineData("\"WENT\"", true, false)]
    [InlineData("\"goed\"", false, false)]
    public void FillBlank_TrimsAndFoldsCaseUnlessCaseSensitive(string response, bool caseSensitive, bool correct)
    {
        var body = new QuestionBody { AcceptedAnswers = [new AcceptedAnswer("went")], CaseSensitive = caseSensitive };
        Assert.Equal(correct, AnswerChecker.Check(QuestionType.FillBlank, body, Json(response))!.Correct);
    }

    [Theory]
    [InlineData("3.14", true)]
    [InlineData("\"3.2\"", true)]
    [InlineData("3.3", false)]
    [InlineData("\"pi\"", false)]
    [InlineData("\"3,16\"", true)]
    [InlineData("\" 3.1 \"", true)]
    [InlineData("\"3,1,6\"", false)]
    public void Math_WithinTolerance(string response, bool correct)
    {
        var body = new QuestionBody { NumericAnswers = [new NumericAnswer(3.15, 0.05)] };
        Assert.Equal(correct, AnswerChecker.Check(QuestionType.Math, body, Json(response))!.Correct);
    }

    [Fact]
    public void Matching_ScoresEachPair()
    {
        var body = new QuestionBody { Pairs = [new MatchPair("H", "Hydrogen"), new MatchPair("O", "Oxygen")] };

        var half = AnswerChecker.Check(QuestionType.Matching, body, Json("""{"H":"Hydrogen","O":"Gold"}"""))!;
        var all = AnswerChecker.Check(QuestionType.Matching, body, Json("""{"H":"Hydrogen","O":"Oxygen"}"""))!;

        Assert.Equal(0.5m, half.Score);
        Assert.False(half.Correct);
        Assert.True(all.Correct);
    }

    [Fact]
    public void Matching_ADistractorChosen_IsWrong_AndTheDistractorsAreAmongTheAnswers()
    {
        var body = new QuestionBody { Pairs = [new MatchPair("H", "Hydrogen"), new MatchPair("O", "Oxygen")], Distractors = ["Gold"] };

        var distracted = AnswerChecker.Check(QuestionType.Matching, body, Json("""{"H":"Hydrogen","O":"Gold"}"""))!;
        var all = AnswerChecker.Check(QuestionType.Matching, body, Json("""{"H":"Hydrogen","O":"Oxygen"}"""))!;

        Assert.Equal(0.5m, distracted.Score);
        Assert.True(all.Correct);
        Assert.Equal(["Gold", "Hydrogen", "Oxygen"], body.MatchingAnswers());
    }

    [Theory]
    [InlineData(QuestionType.Writing)]
    [InlineData(QuestionType.Description)]
    public void Essays_AreNotMarkedAutomatically(QuestionType type) =>
        Assert.Null(AnswerChecker.Check(type, new QuestionBody(), Json("\"An essay\"")));

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Theory]
    [InlineData("\"right\"", 1, true)]
    [InlineData("\"half\"", 0.5, false)]
    [InlineData("\"penalty\"", 0, false)]
    [InlineData("\"\"", 0, false)]
    [InlineData("null", 0, false)]
    public void Mcq_PartialCreditCounts_PenaltiesNeverGoBelowZero(string response, double score, bool correct)
    {
        var body = new QuestionBody { Choices = [new("right", 1m), new("half", 0.5m), new("penalty", -1m)] };

        var check = AnswerChecker.Check(QuestionType.Mcq, body, JsonDocument.Parse(response).RootElement)!;

        Assert.Equal(((decimal)score, correct), (check.Score, check.Correct));
    }

    [Fact]
    public void McqMulti_PenaltiesAreSubtracted_ButTheScoreIsNeverNegative()
    {
        var body = new QuestionBody { Choices = [new("a", 0.5m), new("b", 0.5m), new("c", -1m), new("d", -0.25m)] };

        decimal Score(string json) => AnswerChecker.Check(QuestionType.McqMulti, body, JsonDocument.Parse(json).RootElement)!.Score;

        Assert.Equal(0.25m, Score("[\"a\",\"d\"]"));
        Assert.Equal(0m, Score("[\"a\",\"c\"]"));
        Assert.Equal(0m, Score("[\"c\",\"d\"]"));
        Assert.Equal(0.5m, Score("[\"a\",\"a\"]"));
        Assert.Equal(0m, Score("[]"));
    }

    [Theory]
    [InlineData("Caf\u00e9", "Cafe\u0301", false, true)]
    [InlineData("na\u00efve", "NA\u00cfVE", false, true)]
    [InlineData("na\u00efve", "NA\u00cfVE", true, false)]
    [InlineData("New York", "new\u00a0\u00a0york", false, true)]
    [InlineData("New York", "\tNew\nYork  ", false, true)]
    [InlineData("\u6771\u4eac", "\u6771\u4eac", true, true)]
    [InlineData("stra\u00dfe", "strasse", false, false)]
    public void FillBlank_ComparesUnicodeComposed_AndAnyWhiteSpaceAsOne(string accepted, string given, bool caseSensitive, bool correct)
    {
        var body = new QuestionBody { AcceptedAnswers = [new(accepted)], CaseSensitive = caseSensitive };

        var check = AnswerChecker.Check(QuestionType.FillBlank, body, JsonSerializer.SerializeToElement(given))!;

        Assert.Equal(correct, check.Correct);
    }

    [Theory]
    [InlineData(9.5, 1)]
    [InlineData(10.5, 1)]
    [InlineData(10.500001, 0.5)]
    [InlineData(12, 0.5)]
    [InlineData(13, 0.5)]
    [InlineData(13.0001, 0)]
    [InlineData(-10, 0)]
    public void Math_ToleranceAndRangeBounds_AreInclusive_AndTheBestCreditWins(double given, double score)
    {
        var body = new QuestionBody { NumericAnswers = [new(10, 0.5), new(null, 0, 10, 13, 0.5m)] };

        var check = AnswerChecker.Check(QuestionType.Math, body, JsonSerializer.SerializeToElement(given))!;

        Assert.Equal((decimal)score, check.Score);
    }

    [Theory]
    [InlineData("\"1e400\"")]
    [InlineData("\"NaN\"")]
    [InlineData("\"\"")]
    [InlineData("[]")]
    public void Math_NotANumber_IsWrong(string response) =>
        Assert.Equal(0m, AnswerChecker.Check(QuestionType.Math, new QuestionBody { NumericAnswers = [new(1, 0)] }, JsonDocument.Parse(response).RootElement)!.Score);
}
