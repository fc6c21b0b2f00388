using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EduLoop.Domain.QuestionBank;

/// <summary>
/// A fingerprint of what a question asks and accepts: its type, its text and its choices or answers,
/// compared without case and with runs of white space as one. Feedback, title, level and place in
/// the bank do not count, so a question imported twice into different categories is still found.
/// </summary>
public static class QuestionHash
{
    public static long Of(QuestionType type, string stem, QuestionBody body)
    {
        var text = new StringBuilder();
        text.Append(type.ToName()).Append('\u001e');
        Append(text, stem);
        foreach (var choice in body.Choices)
        {
            Append(text, choice.Text);
            text.Append(choice.Fraction.ToString("0.###", CultureInfo.InvariantCulture));
        }

        if (type == QuestionType.TrueFalse)
        {
            text.Append(body.TrueFalseAnswer == true ? 'T' : 'F');
        }

        foreach (var answer in body.AcceptedAnswers)
        {
            Append(text, answer.Text);
        }

        foreach (var answer in body.NumericAnswers)
        {
            text.Append(CultureInfo.InvariantCulture, $"{answer.Value:R}:{answer.Tolerance:R}:{answer.Min:R}:{answer.Max:R}\u001f");
        }

        foreach (var pair in body.Pairs)
        {
            Append(text, pair.Prompt);
            Append(text, pair.Answer);
        }

        // Only when there are some, so that the fingerprints stored before distractors existed stay valid.
        foreach (var distractor in body.Distractors)
        {
            text.Append('\u001d');
            Append(text, distractor);
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        // Never 0: that marks a row whose fingerprint is not computed yet.
        return BinaryPrimitives.ReadInt64LittleEndian(hash) is var value && value != 0 ? value : 1;
    }

    private static void Append(StringBuilder text, string value)
    {
        var space = false;
        foreach (var c in value.AsSpan().Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                text.Append(' ');
                space = false;
            }

            text.Append(char.ToLowerInvariant(c));
        }

        text.Append('\u001f');
    }
}
