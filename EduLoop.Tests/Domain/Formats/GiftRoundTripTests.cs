using System.Text.Json;
using EduLoop.Domain.Data.Seeding;
using EduLoop.Domain.Formats.Gift;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.Tests.Domain.Formats;

public sealed class GiftRoundTripTests
{
    [Fact]
    public void WriteThenParse_EveryDemoQuestion_ComesBackTheSame()
    {
        var questions = DemoBank.Questions(600).ToList();
        Assert.Equal(Enum.GetValues<QuestionType>().Length, questions.Select(q => q.Type).Distinct().Count());

        var text = GiftWriter.Write(questions.Select(q => ((string?)null, q.Type, q.Stem, q.Body)));
        var document = GiftParser.Parse(text);

        Assert.Empty(document.Errors);
        var imported = document.Items.Cast<GiftQuestion>().Select(GiftMapping.ToQuestion).ToList();
        Assert.Equal(questions.Count, imported.Count);
        for (var i = 0; i < questions.Count; i++)
        {
            Assert.Equal(questions[i].Type, imported[i].Type);
            Assert.Equal(questions[i].Stem, imported[i].Stem);
            // GIFT has no case-sensitivity flag: an imported short answer is case-insensitive.
            Assert.Equal(Json(questions[i].Body, caseSensitive: false), Json(imported[i].Body));
        }
    }

    [Theory]
    [InlineData("a ~ b = c # d { e } f : g \\ h [html] i -> j")]
    [InlineData("line one\nline two")]
    [InlineData("$$x^{2} = 4$$ and `code`")]
    [InlineData("[html] <b>looks</b> like a format marker")]
    [InlineData("%50% looks like a credit")]
    public void WriteThenParse_ReservedCharacters_Survive(string text)
    {
        var body = new QuestionBody
        {
            Choices = [new Choice(text, 1m, text), new Choice("other", 0m)],
            GeneralFeedback = text,
        };

        var document = GiftParser.Parse(GiftWriter.Write([(text, QuestionType.Mcq, text, body)]));

        var question = Assert.IsType<GiftQuestion>(Assert.Single(document.Items));
        var imported = GiftMapping.ToQuestion(question);
        Assert.Equal(text, question.Title);
        Assert.Equal(text, imported.Stem);
        Assert.Equal(Json(body), Json(imported.Body));
    }

    [Fact]
    public void Escape_EscapesOnlyWhatGiftReserves()
    {
        Assert.Equal(@"\\[x\\] \\(\\pi\\) [html] a -> b \~ \= \# \{ \} \: \n", GiftWriter.Escape("\\[x\\] \\(\\pi\\) [html] a -> b ~ = # { } : \n"));
    }

    [Fact]
    public void CanWrite_ArrowInAFillInAnswerOrAMatchingPrompt_IsRefused()
    {
        var fillIn = new QuestionBody { AcceptedAnswers = [new AcceptedAnswer("a -> b")] };
        var prompt = new QuestionBody { Pairs = [new MatchPair("a -> b", "c"), new MatchPair("d", "e")] };
        var answer = new QuestionBody { Pairs = [new MatchPair("a", "b -> c"), new MatchPair("d", "e")] };

        Assert.False(GiftWriter.CanWrite(QuestionType.FillBlank, fillIn));
        Assert.False(GiftWriter.CanWrite(QuestionType.Matching, prompt));
        Assert.True(GiftWriter.CanWrite(QuestionType.Matching, answer));
    }

    [Fact]
    public void ToQuestion_AnswerWithoutEquals_IsAFillInWithThatOneRightAnswer()
    {
        var question = Single("Capital of France? {Paris}");
        var withFeedback = Single("Capital of Italy? { Rome # well done }");

        Assert.Equal(GiftQuestionKind.ShortAnswer, question.Kind);
        var imported = GiftMapping.ToQuestion(question);
        Assert.Equal(QuestionType.FillBlank, imported.Type);
        Assert.Equal([new AcceptedAnswer("Paris")], imported.Body.AcceptedAnswers);
        Assert.Equal([new AcceptedAnswer("Rome", 1m, "well done")], GiftMapping.ToQuestion(withFeedback).Body.AcceptedAnswers);
        Assert.Null(QuestionRules.Check(imported.Type, imported.Stem, imported.Body));
    }

    [Fact]
    public void ToQuestion_WeightsWithSevenDecimals_AreKeptExactly()
    {
        var question = Single("Which are primes? {~%33.33333%2 ~%33.33333%3 ~%33.33334%5 ~%-33.33333%4 ~%-66.66667%6}");

        var imported = GiftMapping.ToQuestion(question);

        Assert.Equal([0.3333333m, 0.3333333m, 0.3333334m, -0.3333333m, -0.6666667m], imported.Body.Choices.Select(c => c.Fraction));
        var again = GiftMapping.ToQuestion(Single(GiftWriter.Write([(null, imported.Type, imported.Stem, imported.Body)])));
        Assert.Equal(imported.Body.Choices, again.Body.Choices);
    }

    [Fact]
    public void ToQuestion_NumericalAnswersOnTheirOwnLines_EachKeepItsCreditAndFeedback()
    {
        var question = Single("What is pi to 2 decimals? {#\n=3.14:0.005 # right\n=%50%3.1:0.05 # close\n}");

        var imported = GiftMapping.ToQuestion(question);

        Assert.Equal(QuestionType.Math, imported.Type);
        Assert.Equal(
            [new NumericAnswer(3.14, 0.005, null, null, 1m, "right"), new NumericAnswer(3.1, 0.05, null, null, 0.5m, "close")],
            imported.Body.NumericAnswers);
        Assert.Equal("What is pi to 2 decimals?", imported.Stem);
    }

    [Fact]
    public void ToQuestion_MatchingWithEmptyLeftSides_KeepsThemAsDistractors()
    {
        var question = Single("Match each to its kingdom. {\n=cat -> animal\n=rose -> plant\n=  -> mineral\n= -> fungus\n}");

        var imported = GiftMapping.ToQuestion(question);

        Assert.Equal(QuestionType.Matching, imported.Type);
        Assert.Equal([new MatchPair("cat", "animal"), new MatchPair("rose", "plant")], imported.Body.Pairs);
        Assert.Equal(["mineral", "fungus"], imported.Body.Distractors);
        Assert.Equal(["animal", "fungus", "mineral", "plant"], imported.Body.MatchingAnswers());
        Assert.Null(QuestionRules.Check(imported.Type, imported.Stem, imported.Body));
        var again = GiftMapping.ToQuestion(Single(GiftWriter.Write([(null, imported.Type, imported.Stem, imported.Body)])));
        Assert.Equal(Json(imported.Body), Json(again.Body));
    }

    [Fact]
    public void ToQuestion_Weights_DecideSingleOrMultipleChoice()
    {
        var single = GiftParser.Parse("Q?{=right ~wrong ~%-50%bad}").Items.Cast<GiftQuestion>().Single();
        var multi = GiftParser.Parse("Q?{~%50%half ~%50%other half ~%-100%wrong}").Items.Cast<GiftQuestion>().Single();

        Assert.Equal(QuestionType.Mcq, GiftMapping.ToQuestion(single).Type);
        var imported = GiftMapping.ToQuestion(multi);
        Assert.Equal(QuestionType.McqMulti, imported.Type);
        Assert.Equal([0.5m, 0.5m, -1m], imported.Body.Choices.Select(c => c.Fraction));
    }

    private static GiftQuestion Single(string text)
    {
        var document = GiftParser.Parse(text);
        Assert.Empty(document.Errors);
        return Assert.IsType<GiftQuestion>(Assert.Single(document.Items));
    }

    private static string Json(QuestionBody body, bool? caseSensitive = null)
    {
        var copy = JsonSerializer.Deserialize<QuestionBody>(JsonSerializer.Serialize(body))!;
        copy.CaseSensitive = caseSensitive ?? copy.CaseSensitive;
        return JsonSerializer.Serialize(copy);
    }
}
