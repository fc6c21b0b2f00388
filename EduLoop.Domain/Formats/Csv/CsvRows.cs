using System.Globalization;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.Domain.Formats.Csv;

/// <summary>Turns one CSV row into a question, or into an error that names its cell.</summary>
internal static class RowReader
{
    private sealed class CellException(string column, string message) : Exception(message)
    {
        public string Column { get; } = column;
    }

    public static ImportItem Read(int line, List<string> header, List<string> cells)
    {
        string Cell(string column)
        {
            var index = header.IndexOf(column);
            return index < 0 || index >= cells.Count ? "" : cells[index];
        }

        int ColumnOf(string column) => header.IndexOf(column) + 1;

        foreach (var (value, index) in cells.Select((v, i) => (v, i)))
        {
            if (value.StartsWith('='))
            {
                return new ImportError(line, index + 1,
                    "The cell starts with '=', which a spreadsheet runs as a formula. Put a ' before it to import it as text.");
            }
        }

        try
        {
            return ReadRow(line, column => Clean(Cell(column)));
        }
        catch (CellException e)
        {
            return new ImportError(line, ColumnOf(e.Column), e.Message);
        }
    }

    /// <summary>A cell as written, without the ' that keeps a spreadsheet from reading it as a formula.</summary>
    private static string Clean(string cell) =>
        cell.Length > 1 && cell[0] == '\'' && cell[1] is '=' or '+' or '-' or '@' or '\t' or '\r' ? cell[1..] : cell;

    private static ParsedQuestion ReadRow(int line, Func<string, string> cell)
    {
        var typeName = cell("type").Trim();
        if (!QuestionNames.TryParseType(typeName, out var type))
        {
            throw new CellException("type", $"\"{typeName}\" is not a question type; use one of {string.Join(", ", QuestionNames.TypeNames)}.");
        }

        QuestionLevel? level = null;
        if (cell("level").Trim() is { Length: > 0 } levelName)
        {
            level = QuestionNames.TryParseLevel(levelName, out var parsed)
                ? parsed
                : throw new CellException("level", $"\"{levelName}\" is not a level; use one of {string.Join(", ", QuestionNames.LevelNames)}.");
        }

        var place = new[] { "group", "subject", "category" }.Select(c => cell(c).Trim()).ToArray();
        ImportTarget? target = null;
        if (place.Any(p => p.Length > 0))
        {
            target = place.All(p => p.Length > 0)
                ? new ImportTarget(place[0], place[1], place[2], cell("subcategory").Trim() is { Length: > 0 } sub ? sub : null)
                : throw new CellException(place[0].Length == 0 ? "group" : place[1].Length == 0 ? "subject" : "category",
                    "Group, subject and category go together: fill in all three, or none to use the import's target.");
        }

        var stem = cell("text").Trim();
        var feedback = CsvCells.Split(cell("feedback")).Select(CsvCells.Unescape).Select(f => f.Length == 0 ? null : f).ToList();
        var body = new QuestionBody
        {
            GeneralFeedback = cell("general_feedback").Trim() is { Length: > 0 } general ? general : null,
        };
        switch (type)
        {
            case QuestionType.Mcq or QuestionType.McqMulti:
                body.Choices = Choices(cell("options"), cell("answer"), type, feedback);
                break;
            case QuestionType.TrueFalse:
                body.TrueFalseAnswer = cell("answer").Trim().ToLowerInvariant() switch
                {
                    "true" or "t" or "yes" or "1" => true,
                    "false" or "f" or "no" or "0" => false,
                    var other => throw new CellException("answer", $"A true_false answer is true or false, not \"{other}\"."),
                };
                body.TrueFeedback = feedback.ElementAtOrDefault(0);
                body.FalseFeedback = feedback.ElementAtOrDefault(1);
                break;
            case QuestionType.FillBlank:
                body.CaseSensitive = cell("case_sensitive").Trim().ToLowerInvariant() is "yes" or "true" or "1";
                body.AcceptedAnswers = CsvCells.Split(cell("answer")).Select((item, i) =>
                {
                    var (fraction, text) = Weighted("answer", item);
                    return new AcceptedAnswer(CsvCells.Unescape(text), fraction ?? 1m, feedback.ElementAtOrDefault(i));
                }).ToList();
                break;
            case QuestionType.Math:
                body.NumericAnswers = CsvCells.Split(cell("answer")).Select((item, i) =>
                {
                    var (fraction, text) = Weighted("answer", item);
                    return Numeric(CsvCells.Unescape(text), fraction ?? 1m, feedback.ElementAtOrDefault(i));
                }).ToList();
                break;
            case QuestionType.Matching:
                var pairs = CsvCells.Split(cell("options")).Select(item => CsvCells.Arrow(item) is var (left, right)
                    ? new MatchPair(CsvCells.Unescape(left), CsvCells.Unescape(right))
                    : throw new CellException("options", $"A matching pair is written \"left -> right\"; \"{CsvCells.Unescape(item)}\" has no \"->\".")).ToList();
                // "-> answer" with nothing on the left is a distractor.
                body.Pairs = pairs.Where(p => p.Prompt.Length > 0).ToList();
                body.Distractors = pairs.Where(p => p.Prompt.Length == 0).Select(p => p.Answer).ToList();
                break;
        }

        var title = cell("title").Trim();
        return new ParsedQuestion(line, type, title.Length > 0 ? title : QuestionText.TitleOf(stem), stem, body)
        {
            Level = level,
            Target = target,
            Tags = CsvCells.Split(cell("tags")).Select(CsvCells.Unescape).Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            ExternalId = cell("id").Trim() is { Length: > 0 } id ? id : null,
        };
    }

    private static List<Choice> Choices(string options, string answer, QuestionType type, List<string?> feedback)
    {
        var choices = CsvCells.Split(options).Select((item, i) =>
        {
            var (fraction, text) = Weighted("options", item);
            return new Choice(CsvCells.Unescape(text), fraction ?? 0m, feedback.ElementAtOrDefault(i));
        }).ToList();
        var letters = CsvCells.Split(answer).Select(a => a.Trim()).Where(a => a.Length > 0).ToList();
        if (letters.Count == 0)
        {
            return choices;
        }

        if (type == QuestionType.Mcq && letters.Count > 1)
        {
            throw new CellException("answer", "An mcq question has one right choice: give one letter, or use mcq_multi.");
        }

        var weighted = new List<(int Index, decimal? Fraction)>();
        foreach (var item in letters)
        {
            var (fraction, letter) = Weighted("answer", item);
            letter = letter.Trim().ToUpperInvariant();
            var index = letter.Length == 1 ? letter[0] - 'A' : -1;
            if (index < 0 || index >= choices.Count)
            {
                throw new CellException("answer", $"\"{letter}\" is not the letter of one of the {choices.Count} options (A is the first).");
            }

            weighted.Add((index, fraction));
        }

        var share = Math.Round(1m / weighted.Count(w => w.Fraction is null or > 0), 7);
        foreach (var (index, fraction) in weighted)
        {
            choices[index] = choices[index] with { Fraction = fraction ?? (type == QuestionType.Mcq ? 1m : share) };
        }

        return choices;
    }

    private static (decimal? Fraction, string Text) Weighted(string column, string item)
    {
        try
        {
            return CsvCells.Weight(item);
        }
        catch (FormatException e)
        {
            throw new CellException(column, e.Message);
        }
    }

    /// <summary><c>value</c>, <c>value:tolerance</c> or <c>min..max</c>.</summary>
    private static NumericAnswer Numeric(string text, decimal fraction, string? feedback)
    {
        static double Parse(string part, string whole) =>
            double.TryParse(part.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
                ? value
                : throw new CellException("answer", $"\"{whole}\" is not a number, \"value:tolerance\" or \"min..max\" (with '.' for decimals).");

        var range = text.IndexOf("..", StringComparison.Ordinal);
        if (range > 0)
        {
            return new NumericAnswer(null, 0, Parse(text[..range], text), Parse(text[(range + 2)..], text), fraction, feedback);
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            ? new NumericAnswer(Parse(text[..colon], text), Parse(text[(colon + 1)..], text), null, null, fraction, feedback)
            : new NumericAnswer(Parse(text, text), 0, null, null, fraction, feedback);
    }
}

/// <summary>Writes the columns of <see cref="CsvFormat.Columns"/>, quoting where needed and guarding cells a spreadsheet would run.</summary>
internal sealed class CsvWriter : IQuestionWriter
{
    public void WriteStart(TextWriter output)
    {
        output.Write(string.Join(",", CsvFormat.Columns));
        output.Write("\r\n");
    }

    public bool Write(ExportedQuestion question, TextWriter output)
    {
        var body = question.Body;
        string options = "", answer = "", feedback = "";
        switch (question.Type)
        {
            case QuestionType.Mcq:
                var right = body.Choices.FindIndex(c => c.Fraction == 1m);
                options = CsvCells.Join(body.Choices.Select((c, i) => (c.Fraction is 0m || i == right ? "" : CsvCells.Percent(c.Fraction)) + CsvCells.Escape(c.Text)));
                answer = right < 0 ? "" : ((char)('A' + right)).ToString();
                feedback = Feedback(body.Choices.Select(c => c.Feedback));
                break;
            case QuestionType.McqMulti:
                options = CsvCells.Join(body.Choices.Select(c => (c.Fraction is 0m ? "" : CsvCells.Percent(c.Fraction)) + CsvCells.Escape(c.Text)));
                feedback = Feedback(body.Choices.Select(c => c.Feedback));
                break;
            case QuestionType.TrueFalse:
                answer = body.TrueFalseAnswer == true ? "true" : "false";
                feedback = Feedback([body.TrueFeedback, body.FalseFeedback]);
                break;
            case QuestionType.FillBlank:
                answer = CsvCells.Join(body.AcceptedAnswers.Select(a => (a.Fraction == 1m ? "" : CsvCells.Percent(a.Fraction)) + CsvCells.Escape(a.Text)));
                feedback = Feedback(body.AcceptedAnswers.Select(a => a.Feedback));
                break;
            case QuestionType.Math:
                answer = CsvCells.Join(body.NumericAnswers.Select(a => (a.Fraction == 1m ? "" : CsvCells.Percent(a.Fraction)) + (a.Value is { } v
                    ? CsvCells.Number(v) + (a.Tolerance != 0 ? ":" + CsvCells.Number(a.Tolerance) : "")
                    : CsvCells.Number(a.Min ?? 0) + ".." + CsvCells.Number(a.Max ?? 0))));
                feedback = Feedback(body.NumericAnswers.Select(a => a.Feedback));
                break;
            case QuestionType.Matching:
                options = CsvCells.Join(body.Pairs.Select(p => CsvCells.Escape(p.Prompt) + " -> " + CsvCells.Escape(p.Answer))
                    .Concat(body.Distractors.Select(d => " -> " + CsvCells.Escape(d))));
                break;
        }

        string[] cells =
        [
            question.Id.ToString(CultureInfo.InvariantCulture), question.Type.ToName(), question.Level.ToName(),
            question.Target.Group, question.Target.Subject, question.Target.Category, question.Target.SubCategory ?? "",
            question.Title, question.Stem, options, answer, feedback, body.GeneralFeedback ?? "",
            question.Type == QuestionType.FillBlank && body.CaseSensitive ? "yes" : "",
            CsvCells.Join(question.Tags.Select(CsvCells.Escape)),
        ];
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                output.Write(',');
            }

            output.Write(Quote(cells[i]));
        }

        output.Write("\r\n");
        return true;
    }

    public void WriteEnd(TextWriter output)
    {
    }

    private static string Feedback(IEnumerable<string?> feedback)
    {
        var items = feedback.Select(f => CsvCells.Escape(f ?? "")).ToList();
        return items.All(f => f.Length == 0) ? "" : CsvCells.Join(items);
    }

    private static string Quote(string cell) => CsvCells.Quote(cell);
}
