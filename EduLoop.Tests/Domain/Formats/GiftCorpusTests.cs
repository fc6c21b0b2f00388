using System.Globalization;
using System.Text.Json.Nodes;
using EduLoop.Domain.Formats.Gift;
using EduLoop.Tests.Infrastructure;

namespace EduLoop.Tests.Domain.Formats;

/// <summary>
/// Every file of the outside GIFT corpus (../shared/corpus/gift) parses to what its .json says: our
/// parse is mapped onto that project's result shape and compared as JSON.
/// </summary>
public sealed class GiftCorpusTests
{
    private static readonly string _corpus = Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "corpus", "gift"));

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        // A missing corpus fails Corpus_IsThere with a clear message rather than test discovery.
        var files = Directory.Exists(_corpus) ? Directory.EnumerateFiles(_corpus, "*.gift") : [];
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Fact]
    public void Corpus_IsThere()
    {
        Assert.True(Directory.Exists(_corpus), $"the corpus is expected at {_corpus}");
        Assert.True(Files().Count >= 30);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Parse_CorpusFile_MatchesTheExpectedParse(string name)
    {
        var document = GiftParser.Parse(File.ReadAllText(Path.Combine(_corpus, name + ".gift")));
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(_corpus, name + ".json")))!;

        Assert.Empty(document.Errors);
        var actual = new JsonArray(document.Items.Select(ToPegShape).ToArray());
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected{Environment.NewLine}{expected.ToJsonString()}{Environment.NewLine}actual{Environment.NewLine}{actual.ToJsonString()}");
    }

    /// <summary>The result shape of the GIFT-grammar-PEG.js project, which wrote the expected files.</summary>
    private static JsonNode ToPegShape(GiftItem item)
    {
        if (item is GiftCategory category)
        {
            return new JsonObject { ["type"] = "Category", ["title"] = category.Path };
        }

        var q = (GiftQuestion)item;
        var node = new JsonObject
        {
            ["id"] = q.Id,
            ["tags"] = q.Tags.Count == 0 ? null : new JsonArray(q.Tags.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
            ["type"] = q.Kind switch
            {
                GiftQuestionKind.MultipleChoice => "MC",
                GiftQuestionKind.TrueFalse => "TF",
                GiftQuestionKind.ShortAnswer => "Short",
                GiftQuestionKind.Numerical => "Numerical",
                GiftQuestionKind.Matching => "Matching",
                GiftQuestionKind.Essay => "Essay",
                _ => "Description",
            },
            ["title"] = q.Title,
            ["stem"] = Text(q.Stem),
            ["hasEmbeddedAnswers"] = q.HasEmbeddedAnswers,
        };
        if (q.Kind == GiftQuestionKind.Description)
        {
            return node;
        }

        node["globalFeedback"] = Text(q.GeneralFeedback);
        switch (q.Kind)
        {
            case GiftQuestionKind.TrueFalse:
                node["isTrue"] = q.IsTrue;
                node["trueFeedback"] = Text(q.TrueFeedback);
                node["falseFeedback"] = Text(q.FalseFeedback);
                break;
            case GiftQuestionKind.MultipleChoice or GiftQuestionKind.ShortAnswer:
                node["choices"] = new JsonArray(q.Choices.Select(c => (JsonNode)Choice(c, Text(c.Text))).ToArray());
                break;
            case GiftQuestionKind.Numerical:
                node["choices"] = q.SingleNumericAnswer
                    ? Number(q.Choices[0].Number!)
                    : new JsonArray(q.Choices.Select(c => (JsonNode)Choice(c, Number(c.Number!))).ToArray());
                break;
            case GiftQuestionKind.Matching:
                node["matchPairs"] = new JsonArray(q.Matches.Select(m => (JsonNode)new JsonObject
                {
                    ["subquestion"] = Text(m.Prompt),
                    ["subanswer"] = m.Answer,
                }).ToArray());
                break;
        }

        return node;
    }

    private static JsonObject Choice(GiftChoice choice, JsonNode? text) => new()
    {
        ["isCorrect"] = choice.IsCorrect,
        ["weight"] = choice.Weight is { } w ? Num((double)w) : null,
        ["text"] = text,
        ["feedback"] = Text(choice.Feedback),
    };

    private static JsonObject? Text(GiftText? text) =>
        text is null ? null : new JsonObject { ["format"] = text.Format, ["text"] = text.Text };

    private static JsonObject Number(GiftNumber number) =>
        number.Low is { } low
            ? new JsonObject { ["type"] = "high-low", ["numberHigh"] = Num(number.High!.Value), ["numberLow"] = Num(low) }
            : number.Tolerance is { } tolerance
                ? new JsonObject { ["type"] = "range", ["number"] = Num(number.Value!.Value), ["range"] = Num(tolerance) }
                : new JsonObject { ["type"] = "simple", ["number"] = Num(number.Value!.Value) };

    private static JsonNode Num(double value) => JsonNode.Parse(value.ToString("R", CultureInfo.InvariantCulture))!;
}
