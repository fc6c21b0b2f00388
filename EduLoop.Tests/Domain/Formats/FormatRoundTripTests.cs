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

    [Theory]
    [MemberData(nameof(Formats))]
    public void WriteThenRead_MathInEveryType_ComesBackUnchanged(string name)
    {
        var format = Format(name);
        var questions = MathQuestions().ToList();
        var holds = questions.Where(q => Holds(format.Format, q)).ToList();

        var (text, written) = Write(format, questions);
        var items = Read(format, text);

        Assert.Empty(items.OfType<ImportError>());
        var read = items.Cast<ParsedQuestion>().ToList();
        Assert.Equal(holds.Count, written);
        Assert.Equal(holds.Count, read.Count);
        for (var i = 0; i < holds.Count; i++)
        {
            Assert.Equal(holds[i].Type, read[i].Type);
            Assert.Equal(holds[i].Stem, read[i].Stem);
            Assert.Equal(Json(Expected(format.Format, holds[i])), Json(read[i].Body));
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void ReadGiftThenWriteAndRead_LatexFromMoodle_KeepsEveryBackslash(string name)
    {
        const string gift = """
            $CATEGORY: $course$/top/Maths/Algebra/Roots

            ::Pi::Is $\pi$ about \(\frac\{22\}\{7\}\) and $\sqrt\{2\}$ about 1.41?{
            =$\frac\{a\}\{b\}$ # right: \(\frac\{a\}\{b\}\)
            ~$\sqrt\{2\}$ # no\: \[x\]
            }

            ::Sets::The set $\\\{x\\\}$ in \\LaTeX\ntwo lines {=\frac}
            """;
        var format = Format(name);
        var imported = Read(new GiftFormat(), gift).Cast<ParsedQuestion>()
            .Select((q, i) => new ExportedQuestion(i + 1, q.Type, QuestionLevel.Easy, q.Title, q.Stem, q.Body, q.Target!, q.Tags))
            .ToList();

        Assert.Equal(@"Is $\pi$ about \(\frac{22}{7}\) and $\sqrt{2}$ about 1.41?", imported[0].Stem);
        Assert.Equal([@"$\frac{a}{b}$", @"$\sqrt{2}$"], imported[0].Body.Choices.Select(c => c.Text));
        Assert.Equal([@"right: \(\frac{a}{b}\)", @"no: \[x\]"], imported[0].Body.Choices.Select(c => c.Feedback));
        Assert.Equal("The set $\\{x\\}$ in \\LaTeX\ntwo lines", imported[1].Stem);
        Assert.Equal(@"\frac", Assert.Single(imported[1].Body.AcceptedAnswers).Text);
        var (text, _) = Write(format, imported);
        var read = Read(format, text).Cast<ParsedQuestion>().ToList();

        var holds = imported.Where(q => Holds(format.Format, q)).ToList();
        Assert.Equal(holds.Select(q => q.Stem), read.Select(q => q.Stem));
        Assert.Equal(holds.Select(q => Json(Expected(format.Format, q))), read.Select(q => Json(q.Body)));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void WriteThenRead_MatchingDistractorsAndSevenDecimalCredits_ComeBackTheSame(string name)
    {
        var format = Format(name);
        var target = new ImportTarget("Science", "Biology", "Kingdoms", null);
        ExportedQuestion[] questions =
        [
            new(1, QuestionType.Matching, QuestionLevel.Easy, "Kingdoms", "Match each to its kingdom.",
                new QuestionBody { Pairs = [new("cat", "animal"), new("rose", "plant")], Distractors = ["mineral", "fungus"] }, target, []),
            new(2, QuestionType.McqMulti, QuestionLevel.Easy, "Primes", "Which are primes?",
                new QuestionBody { Choices = [new("2", 0.3333333m), new("3", 0.3333333m), new("5", 0.3333334m), new("4", -0.3333333m)] }, target, []),
        ];
        var holds = questions.Where(q => Holds(format.Format, q)).ToList();

        var (text, written) = Write(format, questions);
        var read = Read(format, text);

        Assert.Empty(read.OfType<ImportError>());
        Assert.Equal(holds.Count, written);
        Assert.Equal(holds.Select(q => Json(Expected(format.Format, q))), read.Cast<ParsedQuestion>().Select(q => Json(q.Body)));
    }

    [Fact]
    public void Csv_BackslashBeforeAnOrdinaryCharacter_IsKept()
    {
        const string csv = "type,text,options,answer,group,subject,category\n" +
            "mcq,What is $\\frac{1}{2}$?,$\\frac{1}{2}$|$\\sqrt{2}$ \\| $\\pi$|a \\\\ b,A,G,S,C\n";

        var question = Assert.IsType<ParsedQuestion>(Assert.Single(Read(new CsvFormat(), csv)));

        Assert.Equal(@"What is $\frac{1}{2}$?", question.Stem);
        Assert.Equal([@"$\frac{1}{2}$", @"$\sqrt{2}$ | $\pi$", @"a \ b"], question.Body.Choices.Select(c => c.Text));
    }

    /// <summary>LaTeX as teachers write it: inline and display math, commands, escaped braces, double backslashes and a literal <c>\n</c>.</summary>
    private static IEnumerable<ExportedQuestion> MathQuestions()
    {
        const string inline = @"Is $\pi$ about \(\frac{22}{7}\) and $\sqrt{2}$ about 1.41?";
        const string display = "Solve \\[x^2 = 4\\] where $\\{x \\mid x > 0\\}$,\nthen $a \\\\ b$ and $\\neq \\nabla$ -> done";
        var target = new ImportTarget("Maths", "Algebra", "Roots", null);
        QuestionBody[] bodies =
        [
            new() { Choices = [new(@"$\frac{a}{b}$", 1m, @"Right: \(\frac{a}{b}\)"), new(@"$\sqrt{2}$", 0m, @"No, $\{2\}$"), new(@"\\ and \n", 0m)] },
            new() { Choices = [new(@"$\frac{1}{3}$", 0.5m), new(@"$\sqrt[3]{x}$", 0.5m), new(@"\{ \} \\", -1m)], GeneralFeedback = display },
            new() { TrueFalseAnswer = true, TrueFeedback = @"Yes, $\pi > 3$", FalseFeedback = @"No: \(\pi \approx 3.14\)" },
            new() { AcceptedAnswers = [new(@"\frac{a}{b}", 1m, @"Exactly $\frac{a}{b}$"), new(@"a/b", 0.5m, @"Write it as \frac")] },
            new() { NumericAnswers = [new(3.14, 0.005, null, null, 1m, @"Right, $\pi \approx 3.14$"), new(3.1, 0.05, null, null, 0.5m, @"Close to \(\pi\)")] },
            new() { Pairs = [new(@"$\frac{1}{2}$", @"$0.5$"), new(@"$\sqrt{4}$", @"$2$"), new(@"\(\pi\)", @"$\approx 3.14$")] },
            new() { GeneralFeedback = @"Use \frac and \sqrt" },
            new(),
        ];
        QuestionType[] types = [QuestionType.Mcq, QuestionType.McqMulti, QuestionType.TrueFalse, QuestionType.FillBlank, QuestionType.Math,
            QuestionType.Matching, QuestionType.Writing, QuestionType.Description];
        for (var i = 0; i < types.Length; i++)
        {
            yield return new ExportedQuestion(i + 1, types[i], QuestionLevel.Easy, $"Math {i}", i % 2 == 0 ? inline : display, bodies[i], target, []);
        }

        yield return new ExportedQuestion(9, QuestionType.Mcq, QuestionLevel.Easy, "Math plain", inline,
            new QuestionBody { Choices = [new(@"$\frac{a}{b}$", 1m), new(@"\sqrt{2} \\ \n", 0m)] }, target, []);
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
