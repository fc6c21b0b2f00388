using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.Domain.Formats.MoodleXml;

/// <summary>
/// Moodle's XML question format, for the types EduLoop has: multichoice, truefalse, shortanswer,
/// numerical, matching, essay, description, and category entries for the place in the bank. Images
/// travel as base64 <c>&lt;file&gt;</c> elements. The reader never processes a DTD or resolves an
/// external entity, and holds one question in memory at a time.
/// </summary>
/// <param name="readImage">Reads a stored image by its name, for export; null exports no images.</param>
public sealed class MoodleXmlFormat(Func<string, byte[]?>? readImage = null) : IQuestionFormat
{
    public const string PluginFile = "@@PLUGINFILE@@/";

    public QuestionFormat Format => QuestionFormat.MoodleXml;

    public string Extension => ".moodle.xml";

    public string ContentType => "application/xml; charset=utf-8";

    public IEnumerable<ImportItem> Read(Stream stream, CancellationToken cancellationToken = default)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            CloseInput = false,
        };
        var xml = XmlReader.Create(stream, settings);
        return FormatReading.Guarded(ReadItems(xml, cancellationToken), () => ((IXmlLineInfo)xml).LineNumber);
    }

    private static IEnumerable<ImportItem> ReadItems(XmlReader xml, CancellationToken cancellationToken)
    {
        using var _ = xml;
        var position = (IXmlLineInfo)xml;
        if (xml.MoveToContent() != XmlNodeType.Element || xml.LocalName != "quiz")
        {
            yield return new ImportError(position.LineNumber, position.LinePosition, "A Moodle XML file starts with <quiz>.");
            yield break;
        }

        ImportTarget? target = null;
        xml.Read();
        while (!xml.EOF)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "question")
            {
                xml.Read();
                continue;
            }

            var (line, column) = (position.LineNumber, position.LinePosition);
            var element = (XElement)XNode.ReadFrom(xml);
            var type = (string?)element.Attribute("type") ?? "";
            if (type == "category")
            {
                var path = Text(element.Element("category"));
                target = ImportTarget.FromPath(path);
                if (target is null)
                {
                    yield return new ImportError(line, column, $"The category \"{path}\" names fewer than three levels; EduLoop needs group/subject/category.");
                }

                continue;
            }

            ImportItem item;
            try
            {
                item = ToQuestion(element, type, line, column) with { Target = target };
            }
            catch (FormatException e)
            {
                item = new ImportError(line, column, e.Message);
            }

            yield return item;
        }
    }

    private static ParsedQuestion ToQuestion(XElement question, string type, int line, int column)
    {
        var body = new QuestionBody { GeneralFeedback = NullIfEmpty(Text(question.Element("generalfeedback"))) };
        var answers = question.Elements("answer").ToList();
        QuestionType kind;
        switch (type)
        {
            case "multichoice":
                var single = (string?)question.Element("single") is "true" or "1";
                kind = single ? QuestionType.Mcq : QuestionType.McqMulti;
                body.Choices = answers.Select(a => new Choice(Text(a), Fraction(a), Feedback(a))).ToList();
                break;
            case "truefalse":
                kind = QuestionType.TrueFalse;
                var yes = answers.FirstOrDefault(a => Text(a).Trim().Equals("true", StringComparison.OrdinalIgnoreCase));
                var no = answers.FirstOrDefault(a => Text(a).Trim().Equals("false", StringComparison.OrdinalIgnoreCase));
                if (yes is null || no is null)
                {
                    throw new FormatException("A truefalse question needs an answer \"true\" and an answer \"false\".");
                }

                body.TrueFalseAnswer = Fraction(yes) > 0;
                body.TrueFeedback = Feedback(yes);
                body.FalseFeedback = Feedback(no);
                break;
            case "shortanswer":
                kind = QuestionType.FillBlank;
                body.CaseSensitive = (string?)question.Element("usecase") is "1" or "true";
                body.AcceptedAnswers = answers.Select(a => new AcceptedAnswer(Text(a), Fraction(a), Feedback(a))).ToList();
                break;
            case "numerical":
                kind = QuestionType.Math;
                body.NumericAnswers = answers.Select(a => new NumericAnswer(
                    Number(Text(a), "answer"), Number((string?)a.Element("tolerance") ?? "0", "tolerance"), null, null, Fraction(a), Feedback(a))).ToList();
                break;
            case "matching":
                kind = QuestionType.Matching;
                // A subquestion without text is a distractor: an answer offered that no prompt takes.
                var subquestions = question.Elements("subquestion").Select(s => new MatchPair(Text(s), Text(s.Element("answer")))).ToList();
                body.Pairs = subquestions.Where(p => p.Prompt.Trim().Length > 0).ToList();
                body.Distractors = subquestions.Where(p => p.Prompt.Trim().Length == 0 && p.Answer.Length > 0).Select(p => p.Answer).ToList();
                break;
            case "essay":
                kind = QuestionType.Writing;
                break;
            case "description":
                kind = QuestionType.Description;
                break;
            default:
                throw new FormatException(
                    $"Moodle question type \"{type}\" is not supported; EduLoop imports multichoice, truefalse, shortanswer, numerical, matching, essay and description.");
        }

        var questionText = question.Element("questiontext");
        var stem = Text(questionText);
        var files = questionText?.Elements("file")
            .Where(f => (string?)f.Attribute("encoding") == "base64" && !string.IsNullOrEmpty((string?)f.Attribute("name")))
            .GroupBy(f => (string)f.Attribute("name")!)
            .ToDictionary(g => g.Key, g => Base64(g.First().Value, g.Key));
        var tags = question.Element("tags")?.Elements("tag").Select(t => Text(t).Trim()).Where(t => t.Length > 0).ToList();
        var title = Text(question.Element("name")).Trim();
        return new ParsedQuestion(line, kind, title.Length > 0 ? title : QuestionText.TitleOf(stem), stem, body)
        {
            Tags = tags ?? [],
            ExternalId = NullIfEmpty((string?)question.Element("idnumber")),
            Files = files is { Count: > 0 } ? files : new Dictionary<string, byte[]>(),
        };
    }

    private static string Text(XElement? element) => (string?)element?.Element("text") ?? "";

    private static string? Feedback(XElement answer) => NullIfEmpty(Text(answer.Element("feedback")));

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static decimal Fraction(XElement answer)
    {
        var value = (string?)answer.Attribute("fraction") ?? "0";
        return decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent is >= -100 and <= 100
            ? Math.Round(percent / 100m, 7)
            : throw new FormatException($"The fraction \"{value}\" is not a percentage from -100 to 100.");
    }

    private static double Number(string text, string what) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new FormatException($"The {what} \"{text}\" of a numerical question is not a number.");

    private static byte[] Base64(string text, string name)
    {
        try
        {
            return Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new FormatException($"The file \"{name}\" is not valid base64.");
        }
    }

    public IQuestionWriter CreateWriter() => new Writer(readImage);

    private sealed class Writer(Func<string, byte[]?>? readImage) : IQuestionWriter
    {
        private static readonly XmlWriterSettings Settings = new()
        {
            ConformanceLevel = ConformanceLevel.Fragment,
            Indent = true,
            OmitXmlDeclaration = true,
            CheckCharacters = false,
            NewLineChars = "\n",
        };

        private ImportTarget? _target;

        public void WriteStart(TextWriter output) => output.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n");

        public void WriteEnd(TextWriter output) => output.Write("\n</quiz>\n");

        public bool Write(ExportedQuestion question, TextWriter output)
        {
            using var xml = XmlWriter.Create(output, Settings);
            if (question.Target != _target)
            {
                _target = question.Target;
                xml.WriteStartElement("question");
                xml.WriteAttributeString("type", "category");
                xml.WriteStartElement("category");
                TextElement(xml, "$course$/top/" + question.Target.ToPath());
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            var body = question.Body;
            xml.WriteStartElement("question");
            xml.WriteAttributeString("type", question.Type switch
            {
                QuestionType.Mcq or QuestionType.McqMulti => "multichoice",
                QuestionType.TrueFalse => "truefalse",
                QuestionType.FillBlank => "shortanswer",
                QuestionType.Math => "numerical",
                QuestionType.Matching => "matching",
                QuestionType.Writing => "essay",
                _ => "description",
            });
            xml.WriteStartElement("name");
            TextElement(xml, question.Title);
            xml.WriteEndElement();
            WriteQuestionText(xml, question.Stem);
            if (body.GeneralFeedback is not null)
            {
                xml.WriteStartElement("generalfeedback");
                xml.WriteAttributeString("format", "markdown");
                TextElement(xml, body.GeneralFeedback);
                xml.WriteEndElement();
            }

            switch (question.Type)
            {
                case QuestionType.Mcq or QuestionType.McqMulti:
                    xml.WriteElementString("single", question.Type == QuestionType.Mcq ? "true" : "false");
                    xml.WriteElementString("shuffleanswers", "1");
                    xml.WriteElementString("answernumbering", "abc");
                    foreach (var choice in body.Choices)
                    {
                        Answer(xml, choice.Text, choice.Fraction, choice.Feedback);
                    }

                    break;
                case QuestionType.TrueFalse:
                    Answer(xml, "true", body.TrueFalseAnswer == true ? 1m : 0m, body.TrueFeedback);
                    Answer(xml, "false", body.TrueFalseAnswer == true ? 0m : 1m, body.FalseFeedback);
                    break;
                case QuestionType.FillBlank:
                    xml.WriteElementString("usecase", body.CaseSensitive ? "1" : "0");
                    foreach (var answer in body.AcceptedAnswers)
                    {
                        Answer(xml, answer.Text, answer.Fraction, answer.Feedback);
                    }

                    break;
                case QuestionType.Math:
                    foreach (var answer in body.NumericAnswers)
                    {
                        // Moodle has no ranges: a range is its midpoint with half its width as the tolerance.
                        var (value, tolerance) = answer.Value is { } v
                            ? (v, answer.Tolerance)
                            : (((answer.Min ?? 0) + (answer.Max ?? 0)) / 2, ((answer.Max ?? 0) - (answer.Min ?? 0)) / 2);
                        Answer(xml, value.ToString("R", CultureInfo.InvariantCulture), answer.Fraction, answer.Feedback,
                            tolerance.ToString("R", CultureInfo.InvariantCulture));
                    }

                    break;
                case QuestionType.Matching:
                    xml.WriteElementString("shuffleanswers", "true");
                    foreach (var pair in body.Pairs)
                    {
                        xml.WriteStartElement("subquestion");
                        xml.WriteAttributeString("format", "markdown");
                        TextElement(xml, pair.Prompt);
                        xml.WriteStartElement("answer");
                        TextElement(xml, pair.Answer);
                        xml.WriteEndElement();
                        xml.WriteEndElement();
                    }

                    foreach (var distractor in body.Distractors)
                    {
                        xml.WriteStartElement("subquestion");
                        xml.WriteAttributeString("format", "markdown");
                        TextElement(xml, "");
                        xml.WriteStartElement("answer");
                        TextElement(xml, distractor);
                        xml.WriteEndElement();
                        xml.WriteEndElement();
                    }

                    break;
            }

            if (question.Tags.Count > 0)
            {
                xml.WriteStartElement("tags");
                foreach (var tag in question.Tags)
                {
                    xml.WriteStartElement("tag");
                    TextElement(xml, tag);
                    xml.WriteEndElement();
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.Flush();
            output.Write('\n');
            return true;
        }

        private void WriteQuestionText(XmlWriter xml, string stem)
        {
            var images = readImage is null ? [] : Media.MediaStore.NamesIn(stem).Select(n => (Name: n, Data: readImage(n))).Where(i => i.Data is not null).ToList();
            foreach (var (name, _) in images)
            {
                stem = stem.Replace(Media.MediaStore.UrlPrefix + name, PluginFile + name, StringComparison.Ordinal);
            }

            xml.WriteStartElement("questiontext");
            xml.WriteAttributeString("format", "markdown");
            TextElement(xml, stem);
            foreach (var (name, data) in images)
            {
                xml.WriteStartElement("file");
                xml.WriteAttributeString("name", name);
                xml.WriteAttributeString("path", "/");
                xml.WriteAttributeString("encoding", "base64");
                xml.WriteString(Convert.ToBase64String(data!));
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        private static void Answer(XmlWriter xml, string text, decimal fraction, string? feedback, string? tolerance = null)
        {
            xml.WriteStartElement("answer");
            xml.WriteAttributeString("fraction", (fraction * 100m).ToString("0.#######", CultureInfo.InvariantCulture));
            xml.WriteAttributeString("format", "markdown");
            TextElement(xml, text);
            if (tolerance is not null)
            {
                xml.WriteElementString("tolerance", tolerance);
            }

            if (feedback is not null)
            {
                xml.WriteStartElement("feedback");
                xml.WriteAttributeString("format", "markdown");
                TextElement(xml, feedback);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        /// <summary>A <c>&lt;text&gt;</c> element, without the characters XML 1.0 cannot hold.</summary>
        private static void TextElement(XmlWriter xml, string text) => xml.WriteElementString("text", XmlText(text));

        private static string XmlText(string text)
        {
            var clean = new System.Text.StringBuilder(text.Length);
            for (var i = 0; i < text.Length; i++)
            {
                if (XmlConvert.IsXmlChar(text[i]))
                {
                    clean.Append(text[i]);
                }
                else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
                {
                    clean.Append(text, i++, 2);
                }
            }

            return clean.Length == text.Length ? text : clean.ToString();
        }
    }
}
