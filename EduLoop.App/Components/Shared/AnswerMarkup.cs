using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EduLoop.App.Rendering;
using EduLoop.Domain.QuestionBank;
using Microsoft.Extensions.Localization;

namespace EduLoop.App.Components.Shared;

/// <summary>
/// The form fields of one question as markup, filled with the saved answer, and the answer (as JSON)
/// that the fields' values in an <see cref="AnswerInputEventArgs"/> stand for. Once on the page the
/// fields keep their own state; the server is told of every change and never rewrites them.
/// </summary>
public static partial class AnswerMarkup
{
    /// <summary>The most characters of a one-line answer.</summary>
    public const int MaxTextLength = 500;

    /// <summary>An essay's most characters; a page's answer stays a small message.</summary>
    public const int MaxEssayLength = 20_000;

    public static string Build(AnswerItem item, IStringLocalizer l, QuestionRenderer renderer)
    {
        var saved = item.Response is null ? (JsonElement?)null : JsonSerializer.Deserialize<JsonElement>(item.Response);
        var html = new StringBuilder(256);
        html.Append("<div class=\"answer-input\" data-testid=\"answer-input\" data-answer=\"").Append(item.Key).Append("\">");
        var disabled = item.Disabled ? " disabled" : "";
        switch (item.Type)
        {
            case QuestionType.Mcq or QuestionType.McqMulti:
                var multi = item.Type == QuestionType.McqMulti;
                html.Append("<fieldset class=\"answer-choices\"").Append(disabled).Append('>')
                    .Append(multi ? "<legend class=\"answer-hint\">" : "<legend class=\"visually-hidden\">")
                    .Append(Encode(l[multi ? "Choose all answers that apply." : "Choose one answer."])).Append("</legend>");
                for (var i = 0; i < item.Options.Count; i++)
                {
                    Choice(html, multi ? "checkbox" : "radio", item.Name, i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        IsChosen(saved, item.Options[i]), renderer.RenderInline(item.Options[i]).Value);
                }

                html.Append("</fieldset>");
                break;
            case QuestionType.TrueFalse:
                html.Append("<fieldset class=\"answer-choices\"").Append(disabled).Append("><legend class=\"visually-hidden\">")
                    .Append(Encode(l["True or false?"])).Append("</legend>");
                Choice(html, "radio", item.Name, "true", saved?.ValueKind == JsonValueKind.True, Encode(l["True"]));
                Choice(html, "radio", item.Name, "false", saved?.ValueKind == JsonValueKind.False, Encode(l["False"]));
                html.Append("</fieldset>");
                break;
            case QuestionType.FillBlank or QuestionType.Math:
                var math = item.Type == QuestionType.Math;
                html.Append("<label class=\"answer-text-label\"><span>").Append(Encode(l[math ? "Your answer (a number)" : "Your answer"]))
                    .Append("</span><input class=\"answer-text\" type=\"text\" autocomplete=\"off\" spellcheck=\"false\" maxlength=\"")
                    .Append(MaxTextLength).Append("\" inputmode=\"").Append(math ? "decimal" : "text").Append("\" value=\"").Append(Encode(Text(saved)))
                    .Append('"').Append(disabled).Append(" data-testid=\"answer-text\"></label>");
                break;
            case QuestionType.Matching:
                html.Append("<table class=\"answer-matching\"><tbody>");
                for (var i = 0; i < item.Prompts.Count; i++)
                {
                    var id = $"{item.Name}-{i}";
                    var match = Match(saved, item.Prompts[i]);
                    html.Append("<tr><td><label for=\"").Append(Encode(id)).Append("\">").Append(renderer.RenderInline(item.Prompts[i]).Value)
                        .Append("</label></td><td><select id=\"").Append(Encode(id)).Append('"').Append(disabled).Append("><option value=\"\">")
                        .Append(Encode(l["Choose…"])).Append("</option>");
                    foreach (var answer in item.MatchAnswers)
                    {
                        html.Append("<option value=\"").Append(Encode(answer)).Append('"').Append(answer == match ? " selected" : "").Append('>')
                            .Append(Encode(answer)).Append("</option>");
                    }

                    html.Append("</select></td></tr>");
                }

                html.Append("</tbody></table>");
                break;
            case QuestionType.Writing:
                // The parser drops one line break right after <textarea>, so an answer that starts with one keeps it.
                html.Append("<label class=\"answer-text-label\"><span>").Append(Encode(l["Your answer (graded by your teacher)"]))
                    .Append("</span><textarea class=\"answer-essay\" rows=\"8\" maxlength=\"").Append(MaxEssayLength).Append('"').Append(disabled)
                    .Append(" data-testid=\"answer-essay\">\n").Append(Encode(Text(saved))).Append("</textarea></label>");
                break;
        }

        return html.Append("</div>").ToString();
    }

    /// <summary>The answer the fields' values give, as JSON; null when they give none a question of this type can have.</summary>
    public static string? Response(AnswerItem item, IReadOnlyList<string?> values)
    {
        switch (item.Type)
        {
            case QuestionType.Mcq:
                var chosen = values.Select(v => Index(v, item.Options.Count)).Where(i => i >= 0).DefaultIfEmpty(-1).First();
                return chosen >= 0 ? JsonSerializer.Serialize(item.Options[chosen]) : null;
            case QuestionType.McqMulti:
                return JsonSerializer.Serialize(values.Select(v => Index(v, item.Options.Count)).Where(i => i >= 0).Distinct().Order()
                    .Select(i => item.Options[i]).ToList());
            case QuestionType.TrueFalse:
                return values.FirstOrDefault(v => v is "true" or "false");
            case QuestionType.FillBlank or QuestionType.Math or QuestionType.Writing:
                var text = values.Count == 1 ? values[0] ?? "" : null;
                var limit = item.Type == QuestionType.Writing ? MaxEssayLength : MaxTextLength;
                return text is null ? null : JsonSerializer.Serialize(text.Length > limit ? text[..limit] : text);
            case QuestionType.Matching:
                if (values.Count != item.Prompts.Count)
                {
                    return null;
                }

                var pairs = new Dictionary<string, string>();
                for (var i = 0; i < values.Count; i++)
                {
                    if (values[i] is { Length: > 0 } answer && item.MatchAnswers.Contains(answer))
                    {
                        pairs.TryAdd(item.Prompts[i], answer);
                    }
                }

                return JsonSerializer.Serialize(pairs);
            default:
                return null;
        }
    }

    /// <summary>The words of an essay answer (JSON string).</summary>
    public static int Words(string? response) =>
        Text(response is null ? null : JsonSerializer.Deserialize<JsonElement>(response)).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>
    /// One choice: its input inside its label. A label with math gets a name of its own, the TeX source
    /// as plain text: the typeset math is hidden from assistive technology except as MathML, which not
    /// every screen reader (nor the accessibility checkers) reads into a label, so a choice that is only
    /// math would otherwise have no name.
    /// </summary>
    private static void Choice(StringBuilder html, string type, string name, string value, bool chosen, string label)
    {
        html.Append("<label class=\"answer-choice\"><input type=\"").Append(type).Append("\" name=\"").Append(Encode(name)).Append("\" value=\"")
            .Append(value).Append('"').Append(chosen ? " checked" : "");
        if (label.Contains("class=\"math", StringComparison.Ordinal))
        {
            html.Append(" aria-label=\"").Append(Encode(PlainText(label))).Append('"');
        }

        html.Append("><span>").Append(label).Append("</span></label>");
    }

    /// <summary>The text of rendered markup, its math as the TeX source without the <c>\( \)</c> / <c>\[ \]</c> delimiters.</summary>
    public static string PlainText(string markup)
    {
        var text = WebUtility.HtmlDecode(Tags().Replace(markup, " "));
        text = MathDelimiters().Replace(text, " ");
        return Whitespace().Replace(text, " ").Trim();
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\\[()\[\]]")]
    private static partial Regex MathDelimiters();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private static int Index(string? value, int count) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < count ? i : -1;

    private static bool IsChosen(JsonElement? saved, string option) => saved is { } r && (r.ValueKind == JsonValueKind.String
        ? r.GetString() == option
        : r.ValueKind == JsonValueKind.Array && r.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.String && e.GetString() == option));

    private static string Text(JsonElement? saved) => saved is { ValueKind: JsonValueKind.String } r ? r.GetString() ?? "" : "";

    private static string? Match(JsonElement? saved, string prompt) =>
        saved is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty(prompt, out var answer) && answer.ValueKind == JsonValueKind.String ? answer.GetString() : null;

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
