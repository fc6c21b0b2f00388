using EduLoop.Domain.Data.Seeding;
using EduLoop.Domain.Formats.Aiken;
using EduLoop.Domain.QuestionBank;
using FsCheck;
using FsCheck.Fluent;

namespace EduLoop.Tests.Domain.Formats;

public sealed class AikenFormatTests
{
    [Fact]
    public void Parse_ValidFile_ReadsEveryQuestion()
    {
        const string text = """
            What is the correct answer to this question?
            A. Is it this one?
            B. Maybe this answer?
            C. Possibly this one?
            D. Must be this one!
            ANSWER: D
            Which LMS has the most quiz import formats?
            A) Moodle
            B) ATutor
            ANSWER: A

            A question written
            over two lines?
            A. Yes
            B. No
            ANSWER: a
            """;

        var document = AikenFormat.Parse(text);

        Assert.Empty(document.Errors);
        Assert.Equal(3, document.Questions.Count);
        Assert.Equal(3, document.Questions[0].Answer);
        Assert.Equal(["Moodle", "ATutor"], document.Questions[1].Options);
        Assert.Equal("A question written over two lines?", document.Questions[2].Stem);
        Assert.Equal(12, document.Questions[2].Line);
    }

    [Theory]
    [InlineData("Question?\nA. one\nB. two\n", 1, "no \"ANSWER:\"")]
    [InlineData("Question?\nA. one\nB. two\nANSWER: C\n", 4, "not one of the options")]
    [InlineData("Question?\nA. one\nANSWER: A\n", 1, "at least two options")]
    [InlineData("Question?\nA. one\nC. two\nANSWER: A\n", 3, "out of order")]
    [InlineData("Question?\nB. one\nC. two\nANSWER: B\n", 2, "must be A")]
    [InlineData("ANSWER: A\n", 1, "before any question")]
    [InlineData("Question?\nA. one\nB. two\nstray text\nANSWER: A\n", 4, "Text after the options")]
    public void Parse_BrokenQuestion_IsAnErrorAtItsLine(string text, int line, string message)
    {
        var document = AikenFormat.Parse(text + "\nGood?\nA. yes\nB. no\nANSWER: A\n");

        var error = Assert.Single(document.Errors);
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message);
        Assert.Equal("Good?", Assert.Single(document.Questions).Stem);
    }

    [Fact]
    public void WriteThenParse_SingleChoiceQuestions_ComeBackTheSame_OthersAreSkipped()
    {
        var questions = DemoBank.Questions(300).Select(q => (q.Type, q.Stem, q.Body)).ToList();

        var (text, skipped) = AikenFormat.Write(questions);
        var document = AikenFormat.Parse(text);

        Assert.Empty(document.Errors);
        var written = questions.Where((_, i) => !skipped.Contains(i)).ToList();
        Assert.NotEmpty(written);
        Assert.All(skipped, i => Assert.True(questions[i].Type != QuestionType.Mcq || questions[i].Stem.Contains('\n')));
        Assert.Equal(written.Count, document.Questions.Count);
        for (var i = 0; i < written.Count; i++)
        {
            var back = AikenFormat.ToQuestion(document.Questions[i]);
            Assert.Equal(written[i].Stem, back.Stem);
            Assert.Equal(written[i].Body.Choices.Select(c => (c.Text, c.Fraction > 0)), back.Body.Choices.Select(c => (c.Text, c.Fraction > 0)));
        }
    }

    [Fact]
    public void Parse_AnyText_NeverThrows()
    {
        var pieces = Gen.Elements("A. ", "B) ", "ANSWER: ", "ANSWER: Z", "\n", "\n\n", "Q?", "x", "C. ", "a");
        var text = Gen.ListOf(Gen.OneOf(pieces, ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""))).Select(p => string.Concat(p));

        Prop.ForAll(text.ToArbitrary(), t => AikenFormat.Parse(t).Questions.Count >= 0).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }
}
