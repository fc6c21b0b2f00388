using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace EduLoop.Domain.Media;

/// <summary>
/// Images of questions, kept as files in the data directory under a name made from their content.
/// Only PNG, JPEG, GIF and WebP are accepted, recognized by their first bytes (never by the name a
/// file came with), so an upload can never be served as HTML or SVG with script in it.
/// </summary>
public sealed partial class MediaStore(DataLocation location)
{
    public const int MaxBytes = 5 * 1024 * 1024;

    /// <summary>The address under which the app serves stored images.</summary>
    public const string UrlPrefix = "/media/";

    public string Directory => Path.Combine(location.Directory, "media");

    /// <summary>The image's file extension by its content, or null when it is not an accepted image.</summary>
    public static string? ExtensionOf(ReadOnlySpan<byte> data) => data switch
    {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => ".png",
        [0xFF, 0xD8, 0xFF, ..] => ".jpg",
        [0x47, 0x49, 0x46, 0x38, (byte)'7' or (byte)'9', (byte)'a', ..] => ".gif",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => ".webp",
        _ => null,
    };

    public static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".png" => "image/png",
        ".jpg" => "image/jpeg",
        ".gif" => "image/gif",
        ".webp" => "image/webp",
        _ => "application/octet-stream",
    };

    /// <summary>Stores an image and returns its address, or throws <see cref="DomainValidationException"/> when it is not one.</summary>
    public async Task<string> SaveAsync(byte[] data, CancellationToken cancellationToken = default)
    {
        if (data.Length > MaxBytes)
        {
            throw new DomainValidationException("file", $"An image may be at most {MaxBytes / 1024 / 1024} MB.");
        }

        var extension = ExtensionOf(data)
            ?? throw new DomainValidationException("file", "Only PNG, JPEG, GIF and WebP images can be added.");
        var name = Convert.ToHexStringLower(SHA256.HashData(data).AsSpan(0, 16)) + extension;
        var path = Path.Combine(Directory, name);
        if (!File.Exists(path))
        {
            System.IO.Directory.CreateDirectory(Directory);
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            await File.WriteAllBytesAsync(temporary, data, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }

        return UrlPrefix + name;
    }

    /// <summary>The stored file of a name this store gave out, or null for any other name.</summary>
    public string? PathOf(string name) =>
        StoredName().IsMatch(name) && File.Exists(Path.Combine(Directory, name)) ? Path.Combine(Directory, name) : null;

    /// <summary>Whether <paramref name="url"/> is exactly the address of a stored image (<c>/media/</c> and a name this store gives out).</summary>
    public static bool IsStoredUrl(string? url) =>
        url is not null && url.StartsWith(UrlPrefix, StringComparison.Ordinal) && StoredName().IsMatch(url.AsSpan(UrlPrefix.Length));

    /// <summary>The stored names a text refers to, as <c>/media/…</c> addresses.</summary>
    public static IEnumerable<string> NamesIn(string text) =>
        Reference().Matches(text).Select(m => m.Groups[1].Value).Distinct();

    [GeneratedRegex(@"^[0-9a-f]{32}\.(png|jpg|gif|webp)$")]
    private static partial Regex StoredName();

    [GeneratedRegex(@"/media/([0-9a-f]{32}\.(?:png|jpg|gif|webp))")]
    private static partial Regex Reference();
}
