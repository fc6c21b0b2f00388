using System.Globalization;
using System.Security.Cryptography;
using System.Text;

using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EduLoop.Domain.Identity;

/// <summary>
/// Identity's password hasher that also accepts the original service's Django hashes
/// (<c>pbkdf2_sha256$&lt;iterations&gt;$&lt;salt&gt;$&lt;base64 hash&gt;</c>), which accounts moved by
/// <c>migrate-from-django</c> keep until their next sign-in. A right password against such a hash
/// answers <see cref="PasswordVerificationResult.SuccessRehashNeeded"/>, so Identity stores its own
/// hash in its place; every other hash, and every new one, is Identity's.
/// </summary>
public sealed class DjangoPasswordHasher(IOptions<PasswordHasherOptions>? options = null) : IPasswordHasher<ApplicationUser>
{
    /// <summary>The prefix of the only Django hash format that can be checked here.</summary>
    public const string Pbkdf2Sha256Prefix = "pbkdf2_sha256$";

    // Django's defaults went from 20,000 (1.9) to 870,000 (5.1); far beyond that is a damaged row, not a hash
    // worth minutes of CPU.
    private const int MaxIterations = 10_000_000;

    private readonly PasswordHasher<ApplicationUser> _identity = new(options);

    public string HashPassword(ApplicationUser user, string password) => _identity.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(ApplicationUser user, string hashedPassword, string providedPassword)
    {
        ArgumentNullException.ThrowIfNull(hashedPassword);
        ArgumentNullException.ThrowIfNull(providedPassword);
        if (!hashedPassword.StartsWith(Pbkdf2Sha256Prefix, StringComparison.Ordinal))
        {
            return _identity.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }

        return VerifyDjango(hashedPassword, providedPassword)
            ? PasswordVerificationResult.SuccessRehashNeeded
            : PasswordVerificationResult.Failed;
    }

    /// <summary>Whether <paramref name="hash"/> is a Django hash this class can check.</summary>
    public static bool IsDjangoPbkdf2(string? hash) => hash is not null && hash.StartsWith(Pbkdf2Sha256Prefix, StringComparison.Ordinal);

    private static bool VerifyDjango(string hash, string password)
    {
        var parts = hash.Split('$');
        if (parts.Length != 4
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations is < 1 or > MaxIterations
            || parts[2].Length == 0)
        {
            return false;
        }

        var decoded = new byte[parts[3].Length];
        if (!Convert.TryFromBase64String(parts[3], decoded, out var written) || written != SHA256.HashSizeInBytes)
        {
            return false;
        }

        var expected = decoded.AsSpan(0, written);

        var actual = Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(parts[2]), iterations, HashAlgorithmName.SHA256, written);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
