using System.Globalization;
using System.Text;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.Domain.Live;

/// <summary>How a host sets up a game.</summary>
/// <param name="Seconds">Time to answer each question.</param>
public sealed record LiveOptions(bool AllowGuests = false, bool StreakBonus = true, int Seconds = LiveRules.DefaultSeconds);

/// <summary>The limits of a live game and the checks of what players type.</summary>
public static class LiveRules
{
    public const int PinLength = 6;
    public const int NicknameMin = 2, NicknameLength = 20;
    public const int ResponseLength = 1000;
    public const int MinSeconds = 5, MaxSeconds = 240, DefaultSeconds = 20;
    public const int MaxQuestions = 100;
    public const int MaxPlayers = 500;

    /// <summary>The types a room can answer in seconds on a phone.</summary>
    public static bool Playable(QuestionType type, QuestionBody body) => type switch
    {
        QuestionType.Mcq or QuestionType.McqMulti => body.Choices.Count >= 2 && body.Choices.Any(c => c.IsCorrect),
        QuestionType.TrueFalse => body.TrueFalseAnswer is not null,
        QuestionType.FillBlank => body.AcceptedAnswers.Count > 0,
        QuestionType.Math => body.NumericAnswers.Count > 0 || body.AcceptedAnswers.Count > 0,
        _ => false,
    };

    /// <summary>The school's list when the admin has not written one: words no nickname on a projector should show.</summary>
    public static readonly IReadOnlyList<string> DefaultBlockedWords =
    [
        "arse", "asshole", "bastard", "bitch", "bollocks", "cock", "crap", "cunt", "dick", "fag", "fuck", "nazi", "nigger",
        "penis", "piss", "porn", "pussy", "retard", "sex", "shit", "slut", "twat", "wank", "whore",
        "arsch", "arschloch", "fick", "ficken", "fotze", "hure", "hurensohn", "miststueck", "nutte", "scheisse", "schlampe", "wichser",
    ];

    /// <summary>
    /// Why <paramref name="nickname"/> cannot be used; null when it can. A blocked word counts as a whole
    /// word of the name read plainly, digits and signs standing for letters read as them ("5h1t",
    /// and a name that is a blocked word once its signs are taken out: "F.U.C.K"), and words of five letters or more also inside
    /// other letters ("MrBastard99"). Shorter words inside others pass, so "Hancock" and "Scunthorpe" can play.
    /// </summary>
    public static string? RefuseNickname(string? nickname, IEnumerable<string> blockedWords)
    {
        var name = nickname?.Trim() ?? "";
        if (name.Length < NicknameMin || name.Length > NicknameLength)
        {
            return $"A nickname has {NicknameMin} to {NicknameLength} characters.";
        }

        if (name.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate))
        {
            return "A nickname has letters, digits, spaces and punctuation only.";
        }

        var plain = Plain(name);
        var words = plain.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        var letters = plain.Replace(" ", "", StringComparison.Ordinal);
        foreach (var word in blockedWords.Select(w => Plain(w.Trim()).Replace(" ", "", StringComparison.Ordinal)).Where(w => w.Length > 0))
        {
            if (words.Contains(word) || letters == word || (word.Length >= 5 && letters.Contains(word, StringComparison.Ordinal)))
            {
                return "Choose another nickname.";
            }
        }

        return null;
    }

    /// <summary>Lower case, accents off, umlauts and ß written out, digits and signs that stand for letters read as them, the rest a space.</summary>
    private static string Plain(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant().Normalize(NormalizationForm.FormD))
        {
            var mapped = c switch
            {
                '0' => "o",
                '1' or '!' or '|' => "i",
                '3' => "e",
                '4' or '@' => "a",
                '5' or '$' => "s",
                '7' => "t",
                '8' => "b",
                'ß' => "ss",
                '\u0308' => "e", // the umlaut's dots: "ä" reads "ae", as German writes it without them
                _ when char.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark => "",
                _ when char.IsLetter(c) => c.ToString(),
                _ => " ",
            };
            builder.Append(mapped);
        }

        return builder.ToString();
    }

    /// <summary>A nickname as two players are compared: "Anna", "anna " and "ANNA" are one name in a game.</summary>
    public static string NicknameKey(string nickname) => nickname.Trim().ToUpperInvariant();
}
