using System.Text.Json;

namespace EduLoop.Domain;

/// <summary>
/// JSON text whose strings .NET can read. JSON's grammar lets a string hold an unpaired surrogate
/// escape (<c>"\ud800"</c>) and a reader may pass bytes that are not UTF-8; either parses, but reading
/// the string throws. Input is checked with <see cref="FirstInvalid"/> before anything stores it, and
/// stored answers are read back through <see cref="TryParse"/>, so one such string is a clear 400 or
/// an answer shown as unreadable, never an error that stops a page or the overdue-attempt service.
/// </summary>
public static class JsonStrings
{
    /// <summary>The path (<c>metadata.options[2]</c>) of the first string or property name that cannot be read; null when every one can.</summary>
    public static string? FirstInvalid(JsonElement element) => FirstInvalid(element, "");

    /// <summary>The parsed value of stored JSON text, or null when it is missing, not JSON, or holds a string that cannot be read.</summary>
    public static JsonElement? TryParse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return FirstInvalid(document.RootElement) is null ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? FirstInvalid(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Readable(element) ? null : Root(path);
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstInvalid(item, $"{path}[{index++}]") is { } bad)
                    {
                        return bad;
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return Root(path);
                    }

                    if (FirstInvalid(property.Value, path.Length == 0 ? name : $"{path}.{name}") is { } bad)
                    {
                        return bad;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool Readable(JsonElement value)
    {
        try
        {
            _ = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>A bad string at the top of a body has no field name of its own.</summary>
    private static string Root(string path) => path.Length == 0 ? "non_field_errors" : path;
}
