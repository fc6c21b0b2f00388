using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EduLoop.Tests.Compatibility;

/// <summary>
/// The recording's placeholders (<c>&lt;admin_token&gt;</c>, <c>&lt;session_id_3&gt;</c>, …): bound the
/// first time an answer shows one, substituted into the requests that follow, and matched in answers as the
/// corpus README says (any date-time for <c>&lt;timestamp&gt;</c>, 1–60 for <c>&lt;retry_after&gt;</c>,
/// the replay's own URL for <c>&lt;base&gt;</c>).
/// </summary>
public sealed partial class Placeholders(string baseUrl)
{
    private readonly Dictionary<string, string> _bound = new(StringComparer.Ordinal) { ["base"] = baseUrl };

    public string BaseUrl
    {
        get => _bound["base"];
        set => _bound["base"] = value;
    }

    public string? this[string name] => _bound.GetValueOrDefault(name);

    /// <summary>Binds a placeholder to a value known beforehand (a credential moved with the data).</summary>
    public void Bind(string name, string value) => _bound[name] = value;

    /// <summary>
    /// A request's text with every bound placeholder replaced by its value. One no answer has bound yet
    /// (an earlier case failed) is sent as it stands, and the case fails on its answer.
    /// </summary>
    public string Substitute(string text) =>
        PlaceholderPattern().Replace(text, m => _bound.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    public JsonNode? Substitute(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Substitute(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Substitute).ToArray()),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(Substitute(v.GetValue<string>())),
        _ => node?.DeepClone(),
    };

    /// <summary>Whether <paramref name="actual"/> is what <paramref name="expected"/> (with placeholders) allows; binds what it can.</summary>
    public bool Matches(string expected, string? actual)
    {
        if (actual is null)
        {
            return false;
        }

        var whole = PlaceholderPattern().Match(expected);
        if (whole.Success && whole.Length == expected.Length && !IsPattern(whole.Groups[1].Value) && !_bound.ContainsKey(whole.Groups[1].Value))
        {
            _bound[whole.Groups[1].Value] = actual;
            return true;
        }

        var pattern = new StringBuilder("^");
        var at = 0;
        foreach (Match m in PlaceholderPattern().Matches(expected))
        {
            pattern.Append(Regex.Escape(expected[at..m.Index]));
            var name = m.Groups[1].Value;
            pattern.Append(name switch
            {
                "timestamp" => @"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?|\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT)",
                "retry_after" => "([1-9]|[1-5][0-9]|60)",
                "new_token" => "[0-9a-f]{40}",
                _ when _bound.TryGetValue(name, out var value) => Regex.Escape(value),
                _ => Regex.Escape(m.Value),
            });
            at = m.Index + m.Length;
        }

        pattern.Append(Regex.Escape(expected[at..])).Append('$');
        return Regex.IsMatch(actual, pattern.ToString(), RegexOptions.None, TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// The differences between an expected JSON value (with placeholders) and the actual one: key names
    /// and order, list lengths and order, and every value.
    /// </summary>
    public void Compare(JsonNode? expected, JsonNode? actual, string path, List<string> differences)
    {
        switch (expected)
        {
            // A deviation that checks the shape around a value, not the value.
            case JsonValue any when any.GetValueKind() == JsonValueKind.String && any.GetValue<string>() == "<any>":
                break;
            case null:
                if (actual is not null)
                {
                    differences.Add($"{path}: expected null, got {Show(actual)}");
                }

                break;
            case JsonObject e when actual is JsonObject a:
                var expectedKeys = e.Select(p => p.Key).ToList();
                var actualKeys = a.Select(p => p.Key).ToList();
                if (!expectedKeys.SequenceEqual(actualKeys))
                {
                    differences.Add($"{path}: keys [{string.Join(", ", expectedKeys)}] expected, got [{string.Join(", ", actualKeys)}]");
                }

                foreach (var (key, value) in e)
                {
                    if (a.ContainsKey(key))
                    {
                        Compare(value, a[key], $"{path}.{key}", differences);
                    }
                }

                break;
            case JsonArray e when actual is JsonArray a:
                if (e.Count != a.Count)
                {
                    differences.Add($"{path}: {e.Count} items expected, got {a.Count}: {Show(a)}");
                    break;
                }

                for (var i = 0; i < e.Count; i++)
                {
                    Compare(e[i], a[i], $"{path}[{i}]", differences);
                }

                break;
            case JsonValue e when e.GetValueKind() == JsonValueKind.String && actual is JsonValue a && a.GetValueKind() == JsonValueKind.String:
                if (!Matches(e.GetValue<string>(), a.GetValue<string>()))
                {
                    differences.Add($"{path}: expected {Show(e)}, got {Show(a)}");
                }

                break;
            case JsonValue e when e.GetValueKind() == JsonValueKind.Number && actual is JsonValue a && a.GetValueKind() == JsonValueKind.Number:
                if (e.GetValue<decimal>() != a.GetValue<decimal>())
                {
                    differences.Add($"{path}: expected {Show(e)}, got {Show(a)}");
                }

                break;
            case JsonValue e when actual is JsonValue a && e.GetValueKind() == a.GetValueKind() && e.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                break;
            default:
                differences.Add($"{path}: expected {Show(expected)}, got {Show(actual)}");
                break;
        }
    }

    private static bool IsPattern(string name) => name is "timestamp" or "retry_after" or "new_token";

    private static string Show(JsonNode? node)
    {
        var text = node?.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "null";
        return text.Length > 300 ? text[..300] + "…" : text;
    }

    [GeneratedRegex("<(admin_token|student_token|lehrer_token|access_key|session_id_[0-9]+|timestamp|base|csrf_token|retry_after|new_token)>")]
    private static partial Regex PlaceholderPattern();
}
