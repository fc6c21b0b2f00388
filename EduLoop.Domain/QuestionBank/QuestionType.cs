namespace EduLoop.Domain.QuestionBank;

/// <summary>
/// The kinds of question EduLoop knows. The first five are the original service's <c>type</c> values.
/// </summary>
public enum QuestionType
{
    /// <summary>Multiple choice with exactly one correct choice (<c>mcq</c>).</summary>
    Mcq = 0,
    /// <summary>Multiple choice with several correct choices and partial credit (<c>mcq_multi</c>).</summary>
    McqMulti = 1,
    /// <summary><c>true_false</c>.</summary>
    TrueFalse = 2,
    /// <summary>Short text answer compared with accepted answers (<c>fill_blank</c>).</summary>
    FillBlank = 3,
    /// <summary>Numeric answer with a tolerance or a range (<c>math</c>).</summary>
    Math = 4,
    /// <summary>Pairs to match (<c>matching</c>).</summary>
    Matching = 5,
    /// <summary>An essay graded by hand (<c>writing</c>).</summary>
    Writing = 6,
    /// <summary>Text only, no answer (<c>description</c>).</summary>
    Description = 7,
}
