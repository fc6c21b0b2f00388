using System.Text;
using System.Text.Json;
using EduLoop.Domain.Data.Seeding;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Formats.Aiken;
using EduLoop.Domain.Formats.Csv;
using EduLoop.Domain.Formats.Gift;
using EduLoop.Domain.Formats.Json;
using EduLoop.Domain.Formats.MoodleXml;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.Tests.Domain.Formats;

/// <summary>Export then import gives back the same questions, for every format and every type the format holds.</summary>
public sealed class FormatRoundTripTests
{
    public static TheoryData<string> Formats => ["gift", "aiken", "moodlexml", "csv", "json"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void WriteThenRead_DemoQuestionsOfEveryType_ComeBackTheSame(string name)
    {
        var format = Format(name);
        var questions = Questions().ToList();
        var holds = questions.Where(q => Holds(format.Format, q)).ToList();
        Assert.NotEmpty(holds);

        var (text, written) = Write(format, questions);
        var items = Read(format, text);

        Assert.Empty(items.OfType<ImportError>());
        var read = items.Cast<ParsedQuestion>().ToList();
        Assert.Equal(holds.Count, written);
        Assert.Equal(holds.Count, read.Count);
        for (var i = 0; i < holds.Count; i++)
        {
            var (expected, actual) = (holds[i], read[i]);
            Assert.Equal(expected.Type, actual.Type);
            Assert.Equal(expected.Stem, actual.Stem);
            Assert.Equal(Json(Expected(format.Format, expected)), Json(actual.Body));
            if (format.Format is not QuestionFormat.Aiken)
            {
                Assert.Equal(expected.Target, actual.Target);
            }

            if (format.Format is not QuestionFormat.Aiken)
            {
                Assert.Equal(expected.Title, actual.Title);
                Assert.Equal(expected.Tags, actual.Tags);
            }

            if (format.Format is QuestionFormat.Csv or QuestionFormat.Json)
            {
                Assert.Equal(expected.Level, actual.Level);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void WriteThenRead_TextsWithEveryReservedCharacter_Survive(string name)
    {
        var format = Format(name);
        string[] texts =
        [
            "a ~ b = c # d { e } f : g \\ h [html] i -> j | k % l ; m , n \" o ' p < q & r ]]> s",
            "=SUM(A1:A2) starts like a formula",
            "%50% starts like a credit",
            "Ünïcödé, emoji 🎓, 中文, right-to-left עברית",
            "$$x^{2} = 4$$ and `code` and <b>html</b>",
        ];
        foreach (var text in texts)
        {
            var question = new ExportedQuestion(1, QuestionType.Mcq, QuestionLevel.Easy, text.Replace("\n", " ", StringComparison.Ordinal), text,
                new QuestionBody { Choices = [new Choice(text, 1m), new Choice("other " + text, 0m)] },
                new ImportTarget("Group " + text[..3], "Subject", "Category", null), []);

            var (written, _) = Write(format, [question]);
            var read = Assert.IsType<ParsedQuestion>(Assert.Single(Read(format, written)));

            Assert.Equal(text, read.Stem);
            Assert.Equal([text, "other " + text], read.Body.Choices.Select(c => c.Text));
        }
    }

    [Fact]
    public void Csv_MultiLineTexts_AreQuoted_AndBothDelimitersAreRead()
    {
        var question = new ExportedQuestion(7, QuestionType.Writing, QuestionLevel.Advance, "Essay", "Line one\nline two, with; both",
            new QuestionBody(), new ImportTarget("G", "S", "C", "Sub"), ["one", "two"]);
        var (text, _) = Write(new CsvFormat(), [question]);
        var semicolons = "type;text;group;subject;category\nwriting;\"Line one\nline two, with; both\";G;S;C\n";

        var comma = Assert.IsType<ParsedQuestion>(Assert.Single(Read(new CsvFormat(), text)));
        var semi = Assert.IsType<ParsedQuestion>(Assert.Single(Read(new CsvFormat(), semicolons)));

        Assert.Equal(question.Stem, comma.Stem);
        Assert.Equal(question.Stem, semi.Stem);
        Assert.Equal(new ImportTarget("G", "S", "C", null), semi.Target);
    }

    private static IQuestionFormat Format(string name) => name switch
    {
        "gift" => new GiftFormat(),
        "aiken" => new AikenQuestionFormat(),
        "moodlexml" => new MoodleXmlFormat(),
        "csv" => new CsvFormat(),
        _ => new BulkJsonFormat(),
    };

    /// <summary>Six hundred demo questions of all eight types, with places, levels and tags.</summary>
    private static IEnumerable<ExportedQuestion> Questions()
    {
        var taxonomy = DemoBank.Taxonomy();
        var id = 0;
        foreach (var draft in DemoBank.Questions(600))
        {
            var sub = taxonomy.SubCategories[draft.SubCategoryIndex];
            var category = taxonomy.Categories[sub.Category];
            var subject = taxonomy.Subjects[category.Subject];
            var target = new ImportTarget(taxonomy.Groups[subject.Group].Name, subject.Name, category.Name, sub.Name);
            yield return new ExportedQuestion(++id, draft.Type, draft.Level, QuestionText.TitleOf(draft.Stem), draft.Stem, draft.Body, target,
                draft.Tags.Order(StringComparer.Ordinal).ToList());
        }
    }

    private static bool Holds(QuestionFormat format, ExportedQuestion question) => format switch
    {
        QuestionFormat.Aiken => question.Type == QuestionType.Mcq && !question.Stem.Contains('\n', StringComparison.Ordinal)
            && question.Body.Choices.Count(c => c.Fraction == 1m) == 1,
        _ => true,
    };

    /// <summary>The body as the format can carry it.</summary>
    private static QuestionBody Expected(QuestionFormat format, ExportedQuestion question)
    {
        var body = JsonSerializer.Deserialize<QuestionBody>(JsonSerializer.Serialize(question.Body))!;
        switch (format)
        {
            case QuestionFormat.Gift:
                // GIFT has no case-sensitivity flag: an imported short answer is case-insensitive.
                body.CaseSensitive = false;
                break;
            case QuestionFormat.Aiken:
                return new QuestionBody { Choices = body.Choices.Select(c => new Choice(c.Text, c.Fraction == 1m ? 1m : 0m)).ToList() };
            case QuestionFormat.MoodleXml:
                // Moodle has no ranges: a range comes back as its midpoint and half its width.
                body.NumericAnswers = body.NumericAnswers.Select(a => a.Value is null
                    ? a with { Value = ((a.Min ?? 0) + (a.Max ?? 0)) / 2, Tolerance = ((a.Max ?? 0) - (a.Min ?? 0)) / 2, Min = null, Max = null }
                    : a).ToList();
                break;
        }

        if (question.Type != QuestionType.FillBlank)
        {
            body.CaseSensitive = false;
        }

        return body;
    }

    private static (string Text, int Written) Write(IQuestionFormat format, IEnumerable<ExportedQuestion> questions)
    {
        var writer = format.CreateWriter();
        var text = new StringWriter();
        writer.WriteStart(text);
        var written = questions.Count(q => writer.Write(q, text));
        writer.WriteEnd(text);
        return (text.ToString(), written);
    }

    private static List<ImportItem> Read(IQuestionFormat format, string text) =>
        format.Read(new MemoryStream(Encoding.UTF8.GetBytes(text))).ToList();

    private static string Json(QuestionBody body) => JsonSerializer.Serialize(body);
}
