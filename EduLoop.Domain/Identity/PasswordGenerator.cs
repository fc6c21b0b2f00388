using System.Security.Cryptography;

namespace EduLoop.Domain.Identity;

/// <summary>Strong random passwords for accounts made by first run or by an admin's reset.</summary>
public static class PasswordGenerator
{
    // No look-alikes (0/O, 1/l/I), so a password read off a console can be typed.
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>Groups of five separated by dashes: 20 random characters, about 116 bits.</summary>
    public static string Generate(int groups = 4) =>
        string.Join('-', Enumerable.Range(0, groups)
            .Select(_ => RandomNumberGenerator.GetString(Alphabet, 5)));
}
