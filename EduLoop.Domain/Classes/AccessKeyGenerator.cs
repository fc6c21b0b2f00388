using System.Globalization;
using System.Security.Cryptography;

namespace EduLoop.Domain.Classes;

/// <summary>Makes 8-digit access keys from a cryptographic random source, so keys cannot be guessed from others.</summary>
public sealed class AccessKeyGenerator
{
    // Keys never start with 0: old clients store them as numbers.
    private const int Smallest = 10_000_000;
    private const int Largest = 99_999_999;

    public string NewKey() =>
        RandomNumberGenerator.GetInt32(Smallest, Largest + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>A key EduLoop made (8 digits, no leading 0) or one an admin chose: 1 to 12 visible ASCII characters.</summary>
    public static bool IsWellFormed(string? key) =>
        key is { Length: > 0 and <= AccessKey.MaxLength } && key.All(c => c is > ' ' and <= '~');
}
