using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EduLoop.Domain.QuestionBank;

/// <summary>
/// Maps a question to and from the original service's free-form <c>metadata</c> object:
/// <c>question</c> (the stem), <c>options</c> (choice texts), <c>answer</c> (the right option's text,
/// a list of them, <c>true</c>/<c>false</c>, accepted texts, or a number), <c>explanation</c>, and any
/// other keys, which are kept as they came.
/// </summary>
public static class OriginalMetadata
{
    private static readonly HashSet<string> _known = ["question", "options", "answer", "explanation", "tolerance", "pairs", "distractors"];

    /// <summary>The full metadata, with the answer key: for staff.</summary>
    public static JsonObject ToMetadata(QuestionType type, string stem, QuestionBody body)
    {
        var metadata = new JsonObject { ["question"] = stem };
        switch (type)
        {
            case QuestionType.Mcq:
                metadata["options"] = Array(body.Choices.Select(c => c.Text));
                metadata["answer"] = body.Choices.FirstOrDefault(c => c.IsCorrect)?.Text;
                break;
            case QuestionType.McqMulti:
                metadata["options"] = Array(body.Choices.Select(c => c.Text));
                metadata["answer"] = Array(body.Choices.Where(c => c.IsCorrect).Select(c => c.Text));
                break;
            case QuestionType.TrueFalse:
                if (body.MetadataOrder?.Contains("options") != false)
                {
                    metadata["options"] = Array(["True", "False"]);
                }

                metadata["answer"] = body.TrueFalseAnswer;
                break;
            case QuestionType.FillBlank:
                metadata["answer"] = body.AcceptedAnswers.Count == 1
                    ? body.AcceptedAnswers[0].Text
                    : Array(body.AcceptedAnswers.Select(a => a.Text));
                break;
            case QuestionType.Math when body.NumericAnswers.Count == 0:
                metadata["answer"] = body.AcceptedAnswers.FirstOrDefault()?.Text;
                break;
            case QuestionType.Math:
                if (body.NumericAnswers.FirstOrDefault() is { } numeric)
                {
                    metadata["answer"] = numeric.Value ?? (numeric.Min + numeric.Max) / 2;
                    if (numeric.Tolerance > 0)
                    {
                        metadata["tolerance"] = numeric.Tolerance;
                    }
                }

                break;
            case QuestionType.Matching:
                metadata["pairs"] = new JsonArray(body.Pairs.Select(p => (JsonNode)new JsonObject { ["prompt"] = p.Prompt, ["answer"] = p.Answer }).ToArray());
                if (body.Distractors.Count > 0)
                {
                    metadata["distractors"] = Array(body.Distractors);
                }

                break;
        }

        if (body.GeneralFeedback is not null)
        {
            metadata["explanation"] = body.GeneralFeedback;
        }

        foreach (var (key, value) in body.Extra)
        {
            metadata[key] = JsonNode.Parse(value.GetRawText());
        }

        return body.MetadataOrder is { } order ? InOrder(metadata, order) : metadata;
    }

    /// <summary>The keys in the order the metadata came with; keys it did not have after them.</summary>
    private static JsonObject InOrder(JsonObject metadata, List<string> order)
    {
        var rank = order.Select((key, i) => (key, i)).ToDictionary(p => p.key, p => p.i);
        var properties = metadata.OrderBy(p => rank.GetValueOrDefault(p.Key, int.MaxValue)).Select(p => p.Key).ToList();
        var ordered = new JsonObject();
        foreach (var key in properties)
        {
            var value = metadata[key];
            metadata.Remove(key);
            ordered[key] = value;
        }

        return ordered;
    }

    /// <summary>
    /// What a student may see before answering: the stem and the options (for matching, the prompts
    /// and the answers in a fixed, sorted order). Answers, explanations and unknown keys are left out.
    /// </summary>
    public static JsonObject ToStudentMetadata(QuestionType type, string stem, QuestionBody body)
    {
        var metadata = new JsonObject { ["question"] = stem };
        switch (type)
        {
            case QuestionType.Mcq or QuestionType.McqMulti:
                metadata["options"] = Array(body.Choices.Select(c => c.Text));
                break;
            case QuestionType.TrueFalse when body.MetadataOrder?.Contains("options") != false:
                metadata["options"] = Array(["True", "False"]);
                break;
            case QuestionType.Matching:
                metadata["prompts"] = Array(body.Pairs.Select(p => p.Prompt));
                metadata["options"] = Array(body.MatchingAnswers());
                break;
        }

        return metadata;
    }

    /// <summary>Reads metadata into a stem and body for the given type; problems go to <paramref name="errors"/> under "metadata".</summary>
    public static (string Stem, QuestionBody Body) FromMetadata(QuestionType type, JsonElement metadata, ErrorBag errors)
    {
        var body = new QuestionBody();
        if (metadata.ValueKind != JsonValueKind.Object)
        {
            errors.Add("metadata", "Expected a JSON object.");
            return ("", body);
        }

        var stem = Text(metadata, "question");
        if (string.IsNullOrWhiteSpace(stem))
        {
            errors.Add("metadata", "\"question\" is required: the question's text.");
        }

        if (Text(metadata, "explanation") is { } explanation)
        {
            body.GeneralFeedback = explanation;
        }

        var options = metadata.TryGetProperty("options", out var o) && o.ValueKind == JsonValueKind.Array
            ? o.EnumerateArray().Select(Scalar).ToList()
            : null;
        metadata.TryGetProperty("answer", out var answer);
        var keepOptions = false;
        switch (type)
        {
            case QuestionType.Mcq:
                ReadSingleChoice(body, options, answer, errors);
                break;
            case QuestionType.McqMulti:
                ReadMultipleChoice(body, options, answer, errors);
                break;
            case QuestionType.TrueFalse:
                body.TrueFalseAnswer = answer.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.String when bool.TryParse(answer.GetString(), out var b) => b,
                    _ => null,
                };
                if (body.TrueFalseAnswer is null)
                {
                    errors.Add("metadata", "\"answer\" must be true or false.");
                }

                break;
            case QuestionType.FillBlank:
                var accepted = answer.ValueKind == JsonValueKind.Array ? answer.EnumerateArray().Select(Scalar).ToList() : [Scalar(answer)];
                body.AcceptedAnswers = accepted.OfType<string>().Where(a => a.Trim().Length > 0).Select(a => new AcceptedAnswer(a.Trim())).ToList();
                if (body.AcceptedAnswers.Count == 0)
                {
                    errors.Add("metadata", "\"answer\" must give the accepted text (or a list of them).");
                }

                keepOptions = true;
                break;
            case QuestionType.Math:
                var value = Number(answer);
                if (value is null && answer.ValueKind == JsonValueKind.String && ReadableString(answer) is { } written && written.Trim().Length > 0)
                {
                    // A written answer ("x = 2 oder x = 3"), checked as text, as the original kept it.
                    body.AcceptedAnswers = [new AcceptedAnswer(written.Trim())];
                }
                else if (value is null)
                {
                    errors.Add("metadata", "\"answer\" must be a number or the answer's text.");
                }
                else
                {
                    var tolerance = metadata.TryGetProperty("tolerance", out var t) ? Number(t) ?? 0 : 0;
                    body.NumericAnswers = [new NumericAnswer(value, Math.Abs(tolerance))];
                }

                keepOptions = true;
                break;
            case QuestionType.Matching:
                body.Pairs = metadata.TryGetProperty("pairs", out var pairs) && pairs.ValueKind == JsonValueKind.Array
                    ? pairs.EnumerateArray()
                        .Select(p => (Prompt: Text(p, "prompt"), Answer: Text(p, "answer")))
                        .Where(p => p.Prompt is not null && p.Answer is not null)
                        .Select(p => new MatchPair(p.Prompt!, p.Answer!))
                        .ToList()
                    : [];
                body.Distractors = metadata.TryGetProperty("distractors", out var distractors) && distractors.ValueKind == JsonValueKind.Array
                    ? distractors.EnumerateArray().Select(Scalar).OfType<string>().ToList()
                    : [];
                if (body.Pairs.Count < 2)
                {
                    errors.Add("metadata", "\"pairs\" must list at least two {\"prompt\", \"answer\"} pairs.");
                }

                break;
            default:
                keepOptions = true;
                break;
        }

        foreach (var property in metadata.EnumerateObject())
        {
            if (!_known.Contains(property.Name) || (keepOptions && property.Name == "options")
                || (type is QuestionType.Writing or QuestionType.Description && property.Name == "answer"))
            {
                body.Extra[property.Name] = property.Value.Clone();
            }
        }

        body.MetadataOrder = KeyOrder(metadata);
        return (stem ?? "", body);
    }

    private static void ReadSingleChoice(QuestionBody body, List<string?>? options, JsonElement answer, ErrorBag errors)
    {
        if (!CheckOptions(options, errors))
        {
            return;
        }

        var index = OptionIndex(options!, answer);
        if (index is null)
        {
            errors.Add("metadata", "\"answer\" must be one of the options.");
            return;
        }

        body.Choices = options!.Select((text, i) => new Choice(text!, i == index ? 1m : 0m)).ToList();
    }

    private static void ReadMultipleChoice(QuestionBody body, List<string?>? options, JsonElement answer, ErrorBag errors)
    {
        if (!CheckOptions(options, errors))
        {
            return;
        }

        var answers = answer.ValueKind == JsonValueKind.Array ? answer.EnumerateArray().ToList() : [answer];
        var indexes = answers.Select(a => OptionIndex(options!, a)).ToList();
        if (indexes.Count == 0 || indexes.Any(i => i is null))
        {
            errors.Add("metadata", "\"answer\" must list options, each one of the options.");
            return;
        }

        var correct = indexes.Select(i => i!.Value).ToHashSet();
        var share = Math.Round(1m / correct.Count, 5);
        body.Choices = options!.Select((text, i) => new Choice(text!, correct.Contains(i) ? share : 0m)).ToList();
    }

    private static bool CheckOptions(List<string?>? options, ErrorBag errors)
    {
        if (options is null || options.Count < 2 || options.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("metadata", "\"options\" must list at least two non-empty texts.");
            return false;
        }

        if (options.Distinct().Count() != options.Count)
        {
            errors.Add("metadata", "\"options\" must not repeat a text.");
            return false;
        }

        return true;
    }

    /// <summary>The answer as an option's text, or as its 0-based index.</summary>
    private static int? OptionIndex(List<string?> options, JsonElement answer)
    {
        if (answer.ValueKind == JsonValueKind.Number && answer.TryGetInt32(out var i))
        {
            var byText = options.IndexOf(answer.GetRawText());
            return byText >= 0 ? byText : i >= 0 && i < options.Count ? i : null;
        }

        var index = options.IndexOf(Scalar(answer));
        return index >= 0 ? index : null;
    }

    private static string? Text(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) ? Scalar(value) : null;

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => ReadableString(value),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        _ => null,
    };

    /// <summary>The metadata's key order; null when a key is not valid Unicode (the import reports that itself).</summary>
    private static List<string>? KeyOrder(JsonElement metadata)
    {
        try
        {
            return metadata.EnumerateObject().Select(p => p.Name).ToList();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>A string's text; null for one that is not valid Unicode (the import reports those itself).</summary>
    private static string? ReadableString(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static double? Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDouble(out var d) && double.IsFinite(d) => d,
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
        _ => null,
    };

    private static JsonArray Array(IEnumerable<string> items) => new(items.Select(i => (JsonNode)JsonValue.Create(i)).ToArray());
}
