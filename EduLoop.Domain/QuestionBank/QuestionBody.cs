using System.Text.Json;
using System.Text.Json.Serialization;

namespace EduLoop.Domain.QuestionBank;

/// <summary>
/// Everything about a question besides its stem: choices, accepted answers, numeric answers,
/// matching pairs and feedback. Which parts are used depends on the <see cref="QuestionType"/>.
/// Stored as one JSON column, so a new type needs no migration.
/// </summary>
public sealed class QuestionBody
{
    /// <summary>Choices of <c>mcq</c> and <c>mcq_multi</c>, in the author's order.</summary>
    public List<Choice> Choices { get; set; } = [];

    /// <summary>The right answer of a <c>true_false</c> question.</summary>
    public bool? TrueFalseAnswer { get; set; }
    /// <summary>Shown to a student who answers "true"; <see cref="FalseFeedback"/> to one who answers "false".</summary>
    public string? TrueFeedback { get; set; }
    public string? FalseFeedback { get; set; }

    /// <summary>Accepted answers of <c>fill_blank</c>, each with its credit.</summary>
    public List<AcceptedAnswer> AcceptedAnswers { get; set; } = [];
    public bool CaseSensitive { get; set; }

    /// <summary>Accepted values of a <c>math</c> question: a value with a tolerance, or a range.</summary>
    public List<NumericAnswer> NumericAnswers { get; set; } = [];

    /// <summary>Pairs of a <c>matching</c> question.</summary>
    public List<MatchPair> Pairs { get; set; } = [];

    /// <summary>
    /// Wrong answers a <c>matching</c> question offers among the right ones (Moodle's subquestions
    /// with an empty left side): no prompt takes them, so choosing one is a wrong pair.
    /// </summary>
    public List<string> Distractors { get; set; } = [];

    /// <summary>Shown after answering, whatever the answer.</summary>
    public string? GeneralFeedback { get; set; }

    /// <summary>
    /// Keys of the original service's free-form <c>metadata</c> that EduLoop has no field for; kept
    /// so that a question read and written back through the compatible API loses nothing.
    /// </summary>
    public Dictionary<string, JsonElement> Extra { get; set; } = [];

    /// <summary>
    /// The order of the keys of the metadata the question came with through the compatible API, so it
    /// reads back in the same order; null for questions made in EduLoop.
    /// </summary>
    public List<string>? MetadataOrder { get; set; }

    /// <summary>The answers a matching question's prompts choose from, distractors included: each once, in an order that gives nothing away.</summary>
    public IReadOnlyList<string> MatchingAnswers() => Pairs.Select(p => p.Answer).Concat(Distractors).Distinct().Order(StringComparer.Ordinal).ToList();
}

/// <param name="Fraction">Credit for choosing it, from -1 to 1 (1 = full marks).</param>
public sealed record Choice(string Text, decimal Fraction, string? Feedback = null)
{
    [JsonIgnore]
    public bool IsCorrect => Fraction > 0;
}

public sealed record AcceptedAnswer(string Text, decimal Fraction = 1m, string? Feedback = null);

/// <summary>A numeric answer: <see cref="Value"/> ± <see cref="Tolerance"/>, or the range [Min, Max].</summary>
public sealed record NumericAnswer(
    double? Value, double Tolerance = 0, double? Min = null, double? Max = null, decimal Fraction = 1m, string? Feedback = null);

public sealed record MatchPair(string Prompt, string Answer);
