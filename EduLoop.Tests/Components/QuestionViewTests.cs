using Bunit;
using EduLoop.App.Components.Shared;
using EduLoop.App.Rendering;
using EduLoop.Domain.QuestionBank;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Components;

public sealed class QuestionViewTests : MudComponentTest
{
    public QuestionViewTests() => Services.AddSingleton<QuestionRenderer>();

    private IRenderedComponent<QuestionView> View(QuestionType type, string stem, QuestionBody body, bool answers) =>
        Render<QuestionView>(p => p.Add(v => v.Type, type).Add(v => v.Stem, stem).Add(v => v.Body, body).Add(v => v.ShowAnswers, answers));

    public static TheoryData<QuestionType, QuestionBody, string[], string[]> EveryType => new()
    {
        { QuestionType.Mcq, new QuestionBody { Choices = [new("Paris", 1m, "Yes."), new("Rome", 0m, "No, Italy.")] }, ["Paris", "Rome", "Choose one answer."], ["Yes.", "No, Italy."] },
        { QuestionType.McqMulti, new QuestionBody { Choices = [new("2", 0.5m), new("3", 0.5m), new("4", -1m)] }, ["Choose all answers that apply."], ["50 %", "-100 %"] },
        { QuestionType.TrueFalse, new QuestionBody { TrueFalseAnswer = true, TrueFeedback = "Right: it is.", FalseFeedback = "It is true." }, ["True", "False"], ["Right: it is."] },
        { QuestionType.FillBlank, new QuestionBody { AcceptedAnswers = [new("Paris"), new("paris", 0.5m)], CaseSensitive = true }, ["Your answer"], ["Accepted answers:", "paris (50 %)", "(case matters)"] },
        { QuestionType.Math, new QuestionBody { NumericAnswers = [new(20, 0.5), new(null, 0, 1, 2, 0.5m)] }, ["Your answer (a number)"], ["20 ± 0.5", "1 … 2 (50 %)"] },
        { QuestionType.Matching, new QuestionBody { Pairs = [new("cat", "animal"), new("rose", "plant")] }, ["cat", "rose", "Choose…"], ["animal", "plant"] },
        { QuestionType.Writing, new QuestionBody(), ["graded by your teacher"], [] },
        { QuestionType.Description, new QuestionBody { GeneralFeedback = "Read carefully." }, [], ["Read carefully."] },
    };

    [Theory]
    [MemberData(nameof(EveryType))]
    public void EveryType_ShowsWhatAStudentSees_AndTheKeyOnlyWithAnswers(QuestionType type, QuestionBody body, string[] always, string[] keyOnly)
    {
        var student = View(type, "The **question**", body, answers: false);
        var teacher = View(type, "The **question**", body, answers: true);

        Assert.Contains("<strong>question</strong>", student.Markup, StringComparison.Ordinal);
        foreach (var text in always)
        {
            Assert.Contains(text, student.Markup, StringComparison.Ordinal);
        }

        foreach (var text in keyOnly)
        {
            Assert.DoesNotContain(text, student.Markup, StringComparison.Ordinal);
            Assert.Contains(text, teacher.Markup, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RightChoices_AreMarked_OnlyWithAnswers()
    {
        var body = new QuestionBody { Choices = [new("Paris", 1m), new("Rome", 0m)] };

        Assert.Empty(View(QuestionType.Mcq, "Capital?", body, answers: false).FindAll("li.right"));
        Assert.Equal("Paris", View(QuestionType.Mcq, "Capital?", body, answers: true).Find("li.right").TextContent.Trim());
    }

    [Theory]
    [InlineData("<script>alert(1)</script>Hi")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>")]
    [InlineData("<svg><script>alert(1)</script></svg>")]
    [InlineData("<iframe src=\"https://evil.test\"></iframe>")]
    [InlineData("<p style=\"position:fixed;top:0\">overlay</p>")]
    [InlineData("<details open ontoggle=alert(1)>")]
    public void ActiveMarkup_InAnyText_NeverReachesThePage(string payload)
    {
        var body = new QuestionBody { Choices = [new(payload, 1m, payload), new("b", 0m)], GeneralFeedback = payload };

        var markup = View(QuestionType.Mcq, payload, body, answers: true).Markup;

        Assert.DoesNotContain("<script", markup, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", markup, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", markup, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ontoggle", markup, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", markup, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("position:fixed", markup, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Math_IsLeftForTheTypesetter_AndImagesFromTheBankStay()
    {
        var markup = View(QuestionType.Description, "Solve $x^2 = 4$ ![graph](/media/0123456789abcdef0123456789abcdef.png)", new QuestionBody(), false).Markup;

        Assert.Contains("<span class=\"math\">", markup, StringComparison.Ordinal);
        Assert.Contains("src=\"/media/0123456789abcdef0123456789abcdef.png\"", markup, StringComparison.Ordinal);
    }

    [Fact]
    public void MatchingDistractors_AreShown_OnlyWithAnswers()
    {
        var body = new QuestionBody { Pairs = [new("cat", "animal"), new("rose", "plant")], Distractors = ["mineral", "$\\sqrt{2}$"] };

        var student = View(QuestionType.Matching, "Match them", body, answers: false);
        var teacher = View(QuestionType.Matching, "Match them", body, answers: true);

        Assert.DoesNotContain("mineral", student.Markup, StringComparison.Ordinal);
        // Inline math reaches the typesetter with its backslashes.
        Assert.Equal(["mineral", @"\(\sqrt{2}\)"], teacher.FindAll(".question-distractor").Select(d => d.TextContent.Trim()));
    }
}
