namespace EduLoop.Domain.Formats.Gift;

/// <summary>Text with the format GIFT gave it (<c>moodle</c> unless <c>[html]</c>, <c>[plain]</c> or <c>[markdown]</c>).</summary>
public sealed record GiftText(string Format, string Text);

public enum GiftQuestionKind
{
    MultipleChoice,
    TrueFalse,
    ShortAnswer,
    Numerical,
    Matching,
    Essay,
    Description,
}

/// <summary>A numeric answer: a value (with an optional tolerance) or a range.</summary>
public sealed record GiftNumber(double? Value, double? Tolerance, double? Low, double? High);

/// <param name="Weight">The <c>%n%</c> credit as written, or null.</param>
public sealed record GiftChoice(bool IsCorrect, decimal? Weight, GiftText? Text, GiftNumber? Number, GiftText? Feedback);

/// <summary>A matching pair; one with an empty prompt is a distractor, an answer that no prompt takes.</summary>
public sealed record GiftMatch(GiftText Prompt, string Answer);

/// <summary>One item of a GIFT file: a <c>$CATEGORY</c> line or a question.</summary>
public abstract record GiftItem(int Line);

public sealed record GiftCategory(int Line, string Path) : GiftItem(Line);

public sealed record GiftQuestion(
    int Line,
    GiftQuestionKind Kind,
    string? Title,
    GiftText Stem,
    bool HasEmbeddedAnswers,
    GiftText? GeneralFeedback,
    IReadOnlyList<GiftChoice> Choices,
    IReadOnlyList<GiftMatch> Matches,
    bool? IsTrue,
    GiftText? TrueFeedback,
    GiftText? FalseFeedback,
    string? Id,
    IReadOnlyList<string> Tags) : GiftItem(Line)
{
    /// <summary>A numerical question written as <c>{#value}</c> rather than as a list of <c>=</c> answers.</summary>
    public bool SingleNumericAnswer { get; init; }
}

/// <summary>A question that could not be read, with its line and the reason.</summary>
public sealed record GiftError(int Line, string Message);

public sealed record GiftDocument(IReadOnlyList<GiftItem> Items, IReadOnlyList<GiftError> Errors);
