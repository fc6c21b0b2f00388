using Microsoft.Extensions.Localization;

namespace EduLoop.App;

/// <summary>
/// Texts with a count: one resource for a count of one and one for every other count, both with the
/// count (or the <c>arguments</c>) filled in. English and German use the singular for exactly 1 and
/// the plural for 0, 2 and fractions ("1 point", "0 points", "1.5 points"), so one rule serves both
/// languages; a language with more forms would need its rule here, not in the pages.
/// </summary>
public static class PluralLocalizer
{
    /// <param name="count">Chooses the form.</param>
    /// <param name="one">The key for a count of one, such as <c>"{0} minute"</c>.</param>
    /// <param name="other">The key for any other count, such as <c>"{0} minutes"</c>.</param>
    /// <param name="arguments">What fills the placeholders; the count alone when none are given (pass it formatted, or among others, to choose).</param>
    public static LocalizedString Plural(this IStringLocalizer localizer, decimal count, string one, string other, params object[] arguments) =>
        localizer[IsOne(count) ? one : other, arguments.Length == 0 ? [count] : arguments];

    /// <summary>Whether a count takes the singular: exactly 1, in English and in German.</summary>
    public static bool IsOne(decimal count) => count == 1m;
}
