using EduLoop.Domain.Formats.Gift;
using FsCheck;
using FsCheck.Fluent;

namespace EduLoop.Tests.Domain.Formats;

public sealed class GiftParserTests
{
    [Fact]
    public void Parse_BrokenQuestion_IsAnErrorWithItsLine_AndTheOthersAreStillRead()
    {
        const string text = "Good one?{T}\n\n// a comment\nBroken {=a ~b\n\nAnother?{=yes ~no}\n\nNumber?{#lots}\n";

        var document = GiftParser.Parse(text);

        Assert.Equal(2, document.Items.Count);
        Assert.Equal([3, 8], document.Errors.Select(e => e.Line));
        Assert.Contains("'}'", document.Errors[0].Message);
        Assert.Contains("lots", document.Errors[1].Message);
    }

    [Fact]
    public void Parse_IdAndTags_BelongToTheNextQuestionOnly()
    {
        var document = GiftParser.Parse("// [id:q1] [tag:algebra] [tag:year-9]\nFirst?{}\n\nSecond?{}\n");

        var questions = document.Items.Cast<GiftQuestion>().ToList();
        Assert.Equal("q1", questions[0].Id);
        Assert.Equal(["algebra", "year-9"], questions[0].Tags);
        Assert.Null(questions[1].Id);
        Assert.Empty(questions[1].Tags);
    }

    [Fact]
    public void Parse_CrLfLineEndings_ReadLikeLf()
    {
        var lf = GiftParser.Parse("::T::Q\nline two?{=a ~b}\n\nNext?{T}\n");
        var crlf = GiftParser.Parse("::T::Q\r\nline two?{=a ~b}\r\n\r\nNext?{T}\r\n");

        Assert.Equal(lf.Items, crlf.Items, (a, b) => a.ToString() == b.ToString());
    }

    [Fact]
    public void Parse_BackslashBeforeAnOrdinaryCharacter_IsKept()
    {
        const string text = """
            ::Math \: $\pi$::Is $\pi$ \(\frac\{a\}\{b\}\) or \sqrt\{2\}, a\\b\nnext \= \# \~ \[x\]?{
            =$\alpha$
            ~\(\beta\) # see \(\beta\) \% \->
            }
            """;

        var question = Assert.IsType<GiftQuestion>(Assert.Single(GiftParser.Parse(text).Items));

        Assert.Equal(@"Math : $\pi$", question.Title);
        Assert.Equal("Is $\\pi$ \\(\\frac{a}{b}\\) or \\sqrt{2}, a\\b\nnext = # ~ \\[x\\]?", question.Stem.Text);
        Assert.Equal([@"$\alpha$", @"\(\beta\)"], question.Choices.Select(c => c.Text!.Text));
        Assert.Equal(@"see \(\beta\) \% \->", question.Choices[1].Feedback!.Text);
    }

    [Fact]
    public void Parse_AnyText_NeverThrows()
    {
        var pieces = Gen.Elements("::", "{", "}", "=", "~", "#", "####", "%50%", "->", "\\", "\n", "\n\n", "[html]", "$CATEGORY: a/b", "//", "..", ":", "T", "1.5", "x ");
        var text = Gen.ListOf(Gen.OneOf(pieces, ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""))).Select(p => string.Concat(p));

        Prop.ForAll(text.ToArbitrary(), t =>
            {
                var document = GiftParser.Parse(t);
                return document.Items.Count + document.Errors.Count >= 0;
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }
}
