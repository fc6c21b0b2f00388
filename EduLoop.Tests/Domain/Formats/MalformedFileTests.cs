using System.Text;
using EduLoop.Domain.Data.Seeding;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Formats.Aiken;
using EduLoop.Domain.Formats.Csv;
using EduLoop.Domain.Formats.Gift;
using EduLoop.Domain.Formats.Json;
using EduLoop.Domain.Formats.MoodleXml;
using EduLoop.Domain.QuestionBank;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Domain.Formats;

/// <summary>Bad files of every kind end as errors in the preview: nothing saved, nothing thrown, nothing hanging.</summary>
public sealed class MalformedFileTests : IAsyncLifetime
{
    private static readonly ImportTarget Target = new("G", "S", "C", null);

    private DomainDatabase _database = null!;

    public async Task InitializeAsync() => _database = await DomainDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    public static TheoryData<string, string, string> Files()
    {
        var data = new TheoryData<string, string, string>
        {
            { "gift", "unbalanced braces", "Q?{=a ~b\n\nR?}{=c\n" },
            { "gift", "nested braces", new string('{', 10_000) + new string('}', 10_000) },
            { "gift", "one 1 MB line", "Q? {=" + new string('x', 1_100_000) + " ~b}" },
            { "gift", "2 MB without a blank line", string.Concat(Enumerable.Repeat("Q?{=a ~b}\n", 200_000)) },
            { "aiken", "truncated", "What?\nA. yes\nB. n" },
            { "moodlexml", "billion laughs", BillionLaughs },
            { "moodlexml", "external entity", "<?xml version=\"1.0\"?><!DOCTYPE quiz [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><quiz><question type=\"essay\"><questiontext><text>&x;</text></questiontext></question></quiz>" },
            { "moodlexml", "10,000-level nesting", "<quiz><question type=\"essay\"><questiontext><text>a</text></questiontext>" + string.Concat(Enumerable.Repeat("<x>", 10_000)) + string.Concat(Enumerable.Repeat("</x>", 10_000)) + "<bad></question></quiz>" },
            { "moodlexml", "truncated", "<?xml version=\"1.0\"?><quiz><question type=\"multichoice\"><name><text>Q</te" },
            { "moodlexml", "not moodle", "<html><body>hello</body></html>" },
            { "moodlexml", "unknown type", "<quiz><question type=\"cloze\"><questiontext><text>{1:SA:=a}</text></questiontext></question></quiz>" },
            { "csv", "formula cell", "type,text,options,answer\nmcq,=HYPERLINK(\"http://evil\"),a|b,A\n" },
            { "csv", "unclosed quote", "type,text\nwriting,\"never closed\nwriting,next\n" },
            { "csv", "no header", "\n\n" },
            { "csv", "unknown column", "type,text,colour\nwriting,Essay,red\n" },
            { "csv", "bad type and level", "type,level,text\nessay,hard,Write\n" },
            { "csv", "one 2 MB cell", "type,text\nwriting,\"" + new string('x', 2_100_000) + "\"\n" },
            { "json", "10,000-level nesting", new string('[', 10_000) + new string(']', 10_000) },
            { "json", "truncated", "[{\"group\":\"G\",\"subject\":\"S\",\"category\":\"C\",\"level\":\"easy\",\"type\":\"mcq\",\"metadata\":{\"question\":\"Q\"" },
            { "json", "not an array", "{\"questions\":[]}" },
            { "json", "items of the wrong kind", "[1, \"two\", null, {\"type\":\"essay\"}]" },
            { "json", "huge number", "[{\"group\":\"G\",\"subject\":\"S\",\"category\":\"C\",\"level\":\"easy\",\"type\":\"math\",\"metadata\":{\"question\":\"Q\",\"answer\":1e999}}]" },
        };
        foreach (var format in new[] { "gift", "aiken", "moodlexml", "csv", "json" })
        {
            data.Add(format, "binary", "\u0089PNG\r\n\u001a\n\0\0\0\rIHDR\0\0\0\u0001");
            data.Add(format, "empty", "");
        }

        return data;
    }

    private const string BillionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
        ]>
        <quiz><question type="essay"><questiontext><text>&lol9;</text></questiontext></question></quiz>
        """;

    [Theory]
    [MemberData(nameof(Files))]
    public async Task BadFile_IsAnErrorInThePreview_AndCommitChangesNothing(string format, string what, string text)
    {
        QuestionFormats.TryParse(format, out var kind);
        var bytes = Encoding.UTF8.GetBytes(text);
        var service = _database.Get<ImportService>();
        var options = new ImportOptions { Target = Target };

        var preview = await Task.Run(() => service.PreviewAsync(kind, new MemoryStream(bytes), options)).WaitAsync(TimeSpan.FromSeconds(30));
        var result = await Task.Run(() => service.CommitAsync(kind, new MemoryStream(bytes), options, null)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(preview.HasErrors, what);
        Assert.All(preview.Errors, e => Assert.True(e.Line >= 1 && e.Message.Length > 10, $"{what}: {e}"));
        Assert.False(result.Succeeded, what);
        await using var db = _database.CreateContext();
        Assert.Equal(0, await db.Questions.CountAsync());
        Assert.Equal(0, await db.Groups.CountAsync());
    }

    [Fact]
    public async Task WrongEncoding_IsNamed_WithTheLine()
    {
        var latin1 = Encoding.Latin1.GetBytes("$CATEGORY: A/B/C\n\nGood?{T}\n\nCafé?{T}\n");

        var preview = await _database.Get<ImportService>().PreviewAsync(QuestionFormat.Gift, new MemoryStream(latin1), new ImportOptions());

        var error = Assert.Single(preview.Errors);
        Assert.Contains("not UTF-8", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line >= 3, error.ToString());
    }

    [Fact]
    public void Csv_FormulaCell_IsRefused_ButAQuotedOneIsText()
    {
        var items = new CsvFormat().Read(new MemoryStream("type,text\nwriting,=1+1\nwriting,'=1+1\n"u8.ToArray())).ToList();

        var error = Assert.IsType<ImportError>(items[0]);
        Assert.Equal((2, 2), (error.Line, error.Column));
        Assert.Equal("=1+1", Assert.IsType<ParsedQuestion>(items[1]).Stem);
    }

    [Fact]
    public void Csv_Errors_NameTheLineAndColumn_AcrossMultiLineCells()
    {
        const string text = "type,text,options,answer\nwriting,\"two\nlines\",,\nmcq,Pick,a|b,Z\n";

        var error = Assert.IsType<ImportError>(new CsvFormat().Read(new MemoryStream(Encoding.UTF8.GetBytes(text))).Last());

        Assert.Equal((4, 4), (error.Line, error.Column));
        Assert.Contains("\"Z\" is not the letter of one of the 2 options", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_Errors_NameTheLineAndColumnOfTheItem_AcrossChunks()
    {
        var good = """{"group":"G","subject":"S","category":"C","level":"easy","type":"writing","metadata":{"question":"Essay"}}""";
        var text = "[\n" + string.Join(",\n", Enumerable.Repeat("  " + good, 3_000)) + ",\n  {\"type\":\"nope\"}\n]";

        var items = new BulkJsonFormat().Read(new MemoryStream(Encoding.UTF8.GetBytes(text))).ToList();

        Assert.Equal(3_000, items.OfType<ParsedQuestion>().Count());
        var error = Assert.IsType<ImportError>(items[^1]);
        Assert.Equal((3_002, 3), (error.Line, error.Column));
        Assert.Equal(3_001, items.OfType<ParsedQuestion>().Last().Line);
    }

    [Theory]
    [InlineData("{\"question\":\"Essay\",\"k", "\":1}")]
    [InlineData("{\"question\":\"Essay ", "\"}")]
    public void Json_TextThatIsNotUtf8_IsAnErrorOfItsItem(string before, string after)
    {
        // A byte 0xFF (no UTF-8 text holds one) in a property name or a string of the metadata.
        byte[] file = [.. Encoding.UTF8.GetBytes("[{\"group\":\"G\",\"subject\":\"S\",\"category\":\"C\",\"type\":\"writing\",\"metadata\":" + before), 0xFF,
            .. Encoding.UTF8.GetBytes(after + "}]")];

        var error = Assert.IsType<ImportError>(Assert.Single(new BulkJsonFormat().Read(new MemoryStream(file)).ToList()));

        Assert.Contains("not UTF-8", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Random mutations of real files (the GIFT corpus and exports of the demo bank in every format),
    /// fed to every reader: each read ends, and ends without an exception.
    /// </summary>
    [Fact]
    public void RandomMutations_OfRealFiles_NeverThrow_InAnyReader()
    {
        var seeds = Directory.GetFiles(Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "corpus", "gift")), "*.gift").Select(File.ReadAllBytes).ToList();
        IQuestionFormat[] formats = [new GiftFormat(), new AikenQuestionFormat(), new MoodleXmlFormat(), new CsvFormat(), new BulkJsonFormat()];
        var questions = DemoBank.Questions(40).Select((q, i) => new ExportedQuestion(i + 1, q.Type, q.Level, QuestionText.TitleOf(q.Stem), q.Stem, q.Body,
            new ImportTarget("G", "S", "C", i % 2 == 0 ? "D" : null), q.Tags.ToList())).ToList();
        foreach (var format in formats)
        {
            var writer = format.CreateWriter();
            var text = new StringWriter();
            writer.WriteStart(text);
            questions.ForEach(q => writer.Write(q, text));
            writer.WriteEnd(text);
            seeds.Add(Encoding.UTF8.GetBytes(text.ToString()));
        }

        var random = new Random(20261127);
        for (var run = 0; run < 3_000; run++)
        {
            var mutated = Mutate(seeds[random.Next(seeds.Count)], random);
            foreach (var format in formats)
            {
                var items = format.Read(new MemoryStream(mutated)).ToList();
                Assert.All(items.OfType<ImportError>(), e => Assert.False(string.IsNullOrEmpty(e.Message)));
            }
        }
    }

    private static byte[] Mutate(byte[] source, Random random)
    {
        var bytes = source.ToList();
        for (var n = random.Next(1, 6); n > 0 && bytes.Count > 0; n--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 64), bytes.Count - at));
                    break;
                case 1:
                    bytes.InsertRange(at, Enumerable.Range(0, random.Next(1, 16)).Select(_ => (byte)random.Next(256)));
                    break;
                case 2:
                    bytes.InsertRange(at, "{}[]<>\"'=~#:%|,;\\\n&"u8.ToArray().OrderBy(_ => random.Next()).Take(random.Next(1, 5)));
                    break;
                case 3:
                    bytes.InsertRange(at, bytes.Skip(at).Take(random.Next(1, 200)).ToList());
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
            }
        }

        return [.. bytes];
    }
}
