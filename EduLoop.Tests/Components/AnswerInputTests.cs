using System.Text.Json.Nodes;

using Bunit;

using EduLoop.App.Components.Shared;
using EduLoop.App.Rendering;
using EduLoop.Domain.QuestionBank;

using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Components;

public sealed class AnswerInputTests : MudComponentTest
{
    private static readonly string[] Cities = ["Paris", "Lyon", "Nice <b>bold</b> <img src=x onerror=alert(1)>"];

    public AnswerInputTests() => Services.AddSingleton<QuestionRenderer>();

    private static AnswerItem Item(QuestionType type, string? response = null, bool disabled = false, int key = 1) => new(
        key, $"q{key}", type, type is QuestionType.Mcq or QuestionType.McqMulti ? Cities : [],
        type == QuestionType.Matching ? ["France", "Italy"] : [], type == QuestionType.Matching ? ["Paris", "Rome"] : [], response, disabled);

    private (IRenderedComponent<AnswerInput> View, List<AnswerChange> Changes) RenderItems(params AnswerItem[] items)
    {
        var changes = new List<AnswerChange>();
        var view = Render<AnswerInput>(p => p
            .Add(c => c.Items, items)
            .Add(c => c.OnChange, (AnswerChange change) => changes.Add(change)));
        return (view, changes);
    }

    private static Task InputAsync(IRenderedComponent<AnswerInput> view, int key, bool typing, params string?[] values) =>
        view.Find(".answer-page").TriggerEventAsync("onanswerinput", new AnswerInputEventArgs { Key = key, Values = values, Typing = typing });

    [Fact]
    public void SavedAnswers_ShouldBeFilledIn_ForEveryType()
    {
        var (view, _) = RenderItems(
            Item(QuestionType.Mcq, "\"Lyon\"", key: 1),
            Item(QuestionType.McqMulti, "[\"Paris\",\"Lyon\"]", key: 2),
            Item(QuestionType.TrueFalse, "false", key: 3),
            Item(QuestionType.Math, "\"3,5\"", key: 4),
            Item(QuestionType.Matching, "{\"Italy\":\"Rome\"}", key: 5),
            Item(QuestionType.Writing, "\"Two words\"", key: 6));

        Assert.Equal(["1"], view.FindAll("[data-answer='1'] input[checked]").Select(i => i.GetAttribute("value")));
        Assert.Equal(["0", "1"], view.FindAll("[data-answer='2'] input[type=checkbox][checked]").Select(i => i.GetAttribute("value")));
        Assert.Equal(["false"], view.FindAll("[data-answer='3'] input[checked]").Select(i => i.GetAttribute("value")));
        Assert.Equal("3,5", view.Find("[data-answer='4'] input.answer-text").GetAttribute("value"));
        Assert.Equal("decimal", view.Find("[data-answer='4'] input.answer-text").GetAttribute("inputmode"));
        var selects = view.FindAll("[data-answer='5'] select");
        Assert.Empty(selects[0].QuerySelectorAll("option[selected]"));
        Assert.Equal("Rome", selects[1].QuerySelector("option[selected]")?.GetAttribute("value"));
        Assert.Equal("Two words", view.Find("[data-answer='6'] textarea").TextContent.TrimStart('\n'));
        Assert.Contains("2 words", view.Find(".answer-words").TextContent);
    }

    [Fact]
    public void Choices_ShouldBeSanitizedMarkup_AndNamesEncoded()
    {
        var (view, _) = RenderItems(Item(QuestionType.Mcq) with { Name = "q1\"><script>alert(1)</script>" });

        Assert.Contains("<b>bold</b>", view.Markup);
        Assert.DoesNotContain("onerror", view.Markup);
        Assert.DoesNotContain("<script>", view.Markup);
        Assert.Equal(3, view.FindAll("input[type=radio]").Count(i => i.GetAttribute("name") == "q1\"><script>alert(1)</script>"));
    }

    [Fact]
    public void ChoicesThatAreOnlyMath_ShouldBeNamedByTheirTex_AndOthersByTheirLabel()
    {
        var (view, _) = RenderItems(Item(QuestionType.McqMulti) with { Options = ["$2^3$", "$x < y$ & more", "Paris"] });

        var inputs = view.FindAll("input[type=checkbox]");
        Assert.Equal("2^3", inputs[0].GetAttribute("aria-label"));
        Assert.Equal("x < y & more", inputs[1].GetAttribute("aria-label"));
        Assert.Null(inputs[2].GetAttribute("aria-label"));
        Assert.Contains("class=\"math", inputs[0].ParentElement!.InnerHtml);
    }

    [Theory]
    [InlineData(QuestionType.Mcq, new[] { null, "2", null }, "\"Nice <b>bold</b> <img src=x onerror=alert(1)>\"")]
    [InlineData(QuestionType.McqMulti, new[] { "2", null, "0" }, "[\"Paris\",\"Nice <b>bold</b> <img src=x onerror=alert(1)>\"]")]
    [InlineData(QuestionType.McqMulti, new string?[] { null, null, null }, "[]")]
    [InlineData(QuestionType.TrueFalse, new[] { null, "false" }, "false")]
    [InlineData(QuestionType.FillBlank, new[] { "  Ünïcode  " }, "\"  \\u00DCn\\u00EFcode  \"")]
    [InlineData(QuestionType.Matching, new[] { "Paris", "" }, "{\"France\":\"Paris\"}")]
    [InlineData(QuestionType.Matching, new[] { "Berlin", "Rome" }, "{\"Italy\":\"Rome\"}")]
    public async Task AnInputEvent_ShouldGiveTheAnswerAsJson(QuestionType type, string?[] values, string json)
    {
        var (view, changes) = RenderItems(Item(type));

        await InputAsync(view, 1, false, values);

        var change = Assert.Single(changes);
        Assert.Equal((1, false), (change.Key, change.Typing));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(change.Json)), change.Json);
    }

    [Theory]
    [InlineData(QuestionType.Mcq, new[] { "3" })]
    [InlineData(QuestionType.Mcq, new[] { "-1" })]
    [InlineData(QuestionType.Mcq, new[] { "one" })]
    [InlineData(QuestionType.Mcq, new string?[] { null, null, null })]
    [InlineData(QuestionType.TrueFalse, new[] { "maybe" })]
    [InlineData(QuestionType.Matching, new[] { "Paris" })]
    [InlineData(QuestionType.FillBlank, new[] { "a", "b" })]
    public async Task ValuesNoAnswerOfTheTypeCanHave_ShouldBeIgnored(QuestionType type, string?[] values)
    {
        var (view, changes) = RenderItems(Item(type));

        await InputAsync(view, 1, false, values);
        await InputAsync(view, 99, false, "0");

        Assert.Empty(changes);
    }

    [Fact]
    public async Task TextBeyondTheLimit_ShouldBeCut_AndTypingPassedOn()
    {
        var (view, changes) = RenderItems(Item(QuestionType.Writing));

        await InputAsync(view, 1, true, new string('a', AnswerMarkup.MaxEssayLength + 10) + " b");

        var change = Assert.Single(changes);
        Assert.True(change.Typing);
        Assert.Equal(AnswerMarkup.MaxEssayLength + 2, change.Json.Length);
        Assert.Contains("1 words", view.Find(".answer-words").TextContent);
    }

    [Fact]
    public async Task TheFields_ShouldBeLeftToTheBrowser_UntilTheyAreDisabled()
    {
        var (view, changes) = RenderItems(Item(QuestionType.Mcq));
        await InputAsync(view, 1, false, null, "1", null);

        // The page passes the new answer back: the fields are not built again (the browser already shows it).
        view.Render(p => p.Add(c => c.Items, [Item(QuestionType.Mcq, changes[0].Json)]));
        Assert.Empty(view.FindAll("input[checked]"));

        // Closed: built again, with the answer and disabled; input is no longer taken.
        view.Render(p => p.Add(c => c.Items, [Item(QuestionType.Mcq, changes[0].Json, disabled: true)]));
        Assert.Equal("1", view.Find("input[checked]").GetAttribute("value"));
        Assert.True(view.Find("fieldset").HasAttribute("disabled"));
        await InputAsync(view, 1, false, "0", null, null);
        Assert.Single(changes);

        // Another question in the same place (a fresh draw) gets its own fields.
        view.Render(p => p.Add(c => c.Items, [Item(QuestionType.TrueFalse)]));
        Assert.Equal(2, view.FindAll("input[type=radio]").Count);
    }

    [Fact]
    public void TheRenderer_ShouldKeepOneCopyOfEachText()
    {
        var renderer = Services.GetRequiredService<QuestionRenderer>();

        Assert.Same(renderer.Render("**Paris** $x^2$").Value, renderer.Render(new string("**Paris** $x^2$".ToCharArray())).Value);
        Assert.Equal("<strong>Paris</strong>", renderer.RenderInline("**Paris**").Value);
        Assert.StartsWith("<p>", renderer.Render("**Paris**").Value, StringComparison.Ordinal);
    }
}
