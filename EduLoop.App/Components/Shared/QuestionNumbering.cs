using EduLoop.Domain.QuestionBank;
using Microsoft.Extensions.Localization;

namespace EduLoop.App.Components.Shared;

/// <summary>
/// The numbers students see on a quiz's items: questions count 1, 2, 3…; a description is text to read,
/// not a question, so it has no number and does not move the count on (its position stays as the key).
/// </summary>
public static class QuestionNumbering
{
    /// <summary>The number of each item in order, null for a description.</summary>
    public static IReadOnlyList<int?> Numbers(IEnumerable<QuestionType> typesInOrder)
    {
        var next = 1;
        return typesInOrder.Select(type => type == QuestionType.Description ? (int?)null : next++).ToList();
    }

    /// <summary>"Question 3", or "Information" for a description.</summary>
    public static string ItemTitle(this IStringLocalizer localizer, int? number) =>
        number is { } n ? localizer["Question {0}", n] : localizer["Information"];
}
