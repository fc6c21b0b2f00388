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

    [Theory]
    [InlineData(QuestionType.Writing)]
    [InlineData(QuestionType.Description)]
    public void Essays_AreNotMarkedAutomatically(QuestionType type) =>
        Assert.Null(AnswerChecker.Check(type, new QuestionBody(), Json("\"An essay\"")));

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
