using Bunit;
using EduLoop.App.Components.Pages.Bank;
using EduLoop.App.Rendering;
using EduLoop.Domain.QuestionBank;
using EduLoop.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Components;

public sealed class QuestionEditorTests : MudComponentTest
{
    private DomainDatabase _database = null!;

    public override async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        Services.AddSingleton(_database.Get<BankService>());
        Services.AddSingleton<QuestionRenderer>();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static readonly BankPlace Place = new(1, null, "G / S / C");

    private bool _providers;

    private IRenderedComponent<QuestionEditor> Editor(QuestionEditorModel model)
    {
        if (!_providers)
        {
            RenderProviders();
            _providers = true;
        }

        return Render<QuestionEditor>(p => p.Add(e => e.Model, model));
    }

    private static string? Problem(IRenderedComponent<QuestionEditor> editor) =>
        editor.FindAll("[data-testid=editor-problem]").SingleOrDefault()?.TextContent.Trim();

    public static TheoryData<QuestionType, string> Invalid => new()
    {
        { QuestionType.Mcq, "A choice has no text." },
        { QuestionType.McqMulti, "A choice has no text." },
        { QuestionType.FillBlank, "A fill-in question needs at least one accepted answer with full credit." },
        { QuestionType.Math, "Each numeric answer needs a number, or both ends of a range." },
        { QuestionType.Matching, "Each matching pair needs a left and a right side." },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void EmptyAnswers_ShowTheTypesRule(QuestionType type, string message)
    {
        var model = QuestionEditorModel.New(Place);
        model.Type = type;
        model.Stem = "A question";

        Assert.Equal(message, Problem(Editor(model)));
    }

    [Fact]
    public void NoTextOrNoPlace_AreNamed()
    {
        Assert.Equal("Choose where the question goes.", Problem(Editor(QuestionEditorModel.New(null))));
        Assert.Equal("The question has no text.", Problem(Editor(QuestionEditorModel.New(Place))));
    }

    [Fact]
    public void MultipleChoice_CreditsMustMakeOneHundredPercent()
    {
        var model = QuestionEditorModel.New(Place);
        model.Type = QuestionType.McqMulti;
        model.Stem = "Which are prime?";
        model.Choices = [new() { Text = "2", Percent = 50 }, new() { Text = "3", Percent = 40 }, new() { Text = "4", Percent = -100 }];
        var editor = Editor(model);
        Assert.Equal("The credits of the right choices must add up to 100%.", Problem(editor));

        editor.FindAll("input[data-testid=editor-credit]")[1].Change("50");

        Assert.Null(Problem(editor));
        Assert.Equal(["50 %", "50 %", "-100 %"], editor.FindAll(".question-choices .mud-chip").Select(c => c.TextContent.Trim()));
    }

    [Fact]
    public void TypingUpdatesThePreview_AndTheRightChoiceMoves()
    {
        var model = QuestionEditorModel.New(Place);
        var editor = Editor(model);

        // As in the browser, a field passes on what was typed when it loses the focus.
        var stem = editor.Find("textarea[data-testid=editor-stem]");
        stem.Input("Capital of **France**?");
        stem.Blur();
        editor.FindAll("input[data-testid=editor-choice-text]")[0].Input("Lyon");
        editor.FindAll("input[data-testid=editor-choice-text]")[0].Blur();
        editor.FindAll("input[data-testid=editor-choice-text]")[1].Input("Paris");
        editor.FindAll("input[data-testid=editor-choice-text]")[1].Blur();
        editor.FindAll("[data-testid=editor-right]")[1].Click();

        editor.WaitForAssertion(() => Assert.Contains("<strong>France</strong>", editor.Find("[data-testid=question-view]").InnerHtml, StringComparison.Ordinal));
        editor.WaitForAssertion(() =>
        {
            Assert.Equal("Paris", editor.Find(".question-choices li.right").TextContent.Trim());
            Assert.Null(Problem(editor));
        });
        Assert.Equal([0m, 1m], model.ToBody().Choices.Select(c => c.Fraction));
    }

    [Fact]
    public void SwitchingTheType_KeepsWhatWasTyped_AndShowsThatTypesFields()
    {
        var model = QuestionEditorModel.New(Place);
        model.Stem = "x";
        model.Choices[0].Text = "kept";
        var editor = Editor(model);

        model.Type = QuestionType.Matching;
        editor.Render(p => p.Add(e => e.Model, model));
        Assert.Equal(2, editor.FindAll("[data-testid=editor-pair]").Count);

        model.Type = QuestionType.Mcq;
        editor.Render(p => p.Add(e => e.Model, model));
        Assert.Equal("kept", editor.FindAll("input[data-testid=editor-choice-text]")[0].GetAttribute("value"));
    }

    public static TheoryData<QuestionType, Action<QuestionEditorModel>, string> Valid => new()
    {
        { QuestionType.TrueFalse, m => m.TrueFalseAnswer = false, "False" },
        { QuestionType.FillBlank, m => m.Answers[0].Text = "Paris", "Paris" },
        { QuestionType.Math, m => (m.Numbers[0].Value, m.Numbers[0].Tolerance) = (20, 0.5), "20 ± 0.5" },
        { QuestionType.Matching, m => m.Pairs = [new() { Prompt = "cat", Answer = "animal" }, new() { Prompt = "rose", Answer = "plant" }], "animal" },
        { QuestionType.Writing, _ => { }, "graded by your teacher" },
        { QuestionType.Description, _ => { }, "Read this" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void EveryType_Filled_IsValid_AndPreviewsItsAnswers(QuestionType type, Action<QuestionEditorModel> fill, string shown)
    {
        var model = QuestionEditorModel.New(Place);
        model.Type = type;
        model.Stem = "Read this";
        fill(model);

        var editor = Editor(model);

        Assert.Null(Problem(editor));
        Assert.Contains(shown, editor.Find("[data-testid=question-view]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_RoundTripsAQuestion_WithoutLosingUnknownKeys()
    {
        var body = new QuestionBody
        {
            Choices = [new("a", 1m, "yes"), new("b", -0.5m)],
            GeneralFeedback = "because",
            Extra = { ["source"] = System.Text.Json.JsonDocument.Parse("\"p. 12\"").RootElement },
        };
        var question = new EditableQuestion(5, 1, null, "G / S / C", QuestionType.Mcq, QuestionLevel.Easy, "T", "Stem", body, ["t"], 3, Guid.NewGuid(), DateTime.UtcNow, false);

        var back = QuestionEditorModel.From(question).ToEditable();

        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Json.JsonSerializer.Serialize(back.Body));
        Assert.Equal((question.Id, question.Version, question.ConcurrencyStamp, question.Tags[0]), (back.Id, back.Version, back.ConcurrencyStamp, back.Tags[0]));
    }

    [Fact]
    public void MatchingDistractors_AreEdited_Previewed_AndKept()
    {
        var body = new QuestionBody { Pairs = [new("cat", "animal"), new("rose", "plant")], Distractors = ["mineral"] };
        var question = new EditableQuestion(5, 1, null, "G / S / C", QuestionType.Matching, QuestionLevel.Easy, "T", "Stem", body, [], 3, Guid.NewGuid(), DateTime.UtcNow, false);
        var model = QuestionEditorModel.From(question);

        var editor = Editor(model);

        Assert.Equal("mineral", editor.Find("[data-testid=editor-distractor] input").GetAttribute("value"));
        Assert.Contains("mineral", editor.Find("[data-testid=question-view]").TextContent, StringComparison.Ordinal);
        Assert.Null(Problem(editor));
        Assert.Equal(["mineral"], model.ToEditable().Body.Distractors);
        model.Distractors.Add(new DistractorRow());
        Assert.Equal("Each distractor needs a text.", model.Problem);
    }
}
