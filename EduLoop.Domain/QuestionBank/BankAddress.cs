using System.Globalization;

namespace EduLoop.Domain.QuestionBank;

/// <summary>
/// A <see cref="BankSelection"/> as the query parameters of an address. The bank page keeps its view
/// in its address so it can be bookmarked; the export page and the export API read the same
/// parameters with the same code, so what is exported is what the list showed.
/// </summary>
public static class BankAddress
{
    /// <summary>The most rows an address may choose by id.</summary>
    public const int MaxIds = 1000;

    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>Every parameter of a selection, in the order they are written.</summary>
    public static IReadOnlyList<string> Names { get; } = ["node", "q", "type", "level", "tag", "author", "from", "to", "archived", "sort", "ids"];

    /// <summary>Reads a selection from parameters; a value it cannot read is left out, as if it were not there.</summary>
    public static BankSelection Read(Func<string, string?> parameter) => Read(parameter, out _);

    /// <summary>Reads a selection from parameters; <paramref name="errors"/> names each value it could not read and left out.</summary>
    public static BankSelection Read(Func<string, string?> parameter, out IReadOnlyDictionary<string, string> errors)
    {
        var problems = new Dictionary<string, string>();
        string? Text(string name) => string.IsNullOrWhiteSpace(parameter(name)) ? null : parameter(name)!.Trim();

        var node = Text("node");
        var place = node is null ? null : ParseNode(node);
        if (node is not null && place is null)
        {
            problems["node"] = "Name a node as g, s, c or sc followed by its id.";
        }

        T? Choice<T>(string name, TryParse<T> parse) where T : struct
        {
            if (Text(name) is not { } value)
            {
                return null;
            }

            if (parse(value, out var parsed))
            {
                return parsed;
            }

            problems[name] = $"Select a valid choice. {value} is not one of the available choices.";
            return null;
        }

        DateTime? Date(string name)
        {
            if (Text(name) is not { } value)
            {
                return null;
            }

            if (DateTime.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date))
            {
                return date;
            }

            problems[name] = "Enter a date as yyyy-mm-dd.";
            return null;
        }

        var view = new BankQuery(
            GroupId: place is (BankNodeKind.Group, var g) ? g : null,
            SubjectId: place is (BankNodeKind.Subject, var s) ? s : null,
            CategoryId: place is (BankNodeKind.Category, var c) ? c : null,
            SubCategoryId: place is (BankNodeKind.SubCategory, var sc) ? sc : null,
            Level: Choice<QuestionLevel>("level", QuestionNames.TryParseLevel),
            Type: Choice<QuestionType>("type", QuestionNames.TryParseType),
            Tag: Text("tag"),
            AuthorId: Text("author"),
            CreatedFrom: Date("from"),
            CreatedTo: Date("to"),
            Text: Text("q") ?? Text("search"),
            Archived: Choice<bool>("archived", bool.TryParse) ?? false,
            Sort: Choice<BankSort>("sort", TryParseSort) ?? BankSort.Newest,
            NeedsReview: Choice<bool>("review", bool.TryParse) ?? false);

        IReadOnlyList<int>? ids = null;
        if (Text("ids") is { } list)
        {
            var parsed = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(part => int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : 0).ToList();
            if (parsed.Contains(0))
            {
                problems["ids"] = "Give the questions' ids as numbers separated by commas.";
            }
            else if (parsed.Count > MaxIds)
            {
                problems["ids"] = $"Choose at most {MaxIds} questions by id; export a view of the bank for more.";
            }
            else
            {
                ids = parsed.Distinct().ToList();
            }
        }

        errors = problems;
        return new BankSelection(view, ids);
    }

    /// <summary>Every parameter of the selection, null where it has no value (so writing it over an address removes the old one).</summary>
    public static IReadOnlyDictionary<string, string?> Write(BankSelection selection)
    {
        var view = selection.View;
        return new Dictionary<string, string?>
        {
            ["node"] = NodeOf(view) is { } node ? NodeText(node.Kind, node.Id) : null,
            ["q"] = string.IsNullOrWhiteSpace(view.Text) ? null : view.Text,
            ["type"] = view.Type?.ToName(),
            ["level"] = view.Level?.ToName(),
            ["tag"] = string.IsNullOrWhiteSpace(view.Tag) ? null : view.Tag,
            ["author"] = string.IsNullOrWhiteSpace(view.AuthorId) ? null : view.AuthorId,
            ["from"] = view.CreatedFrom?.ToString(DateFormat, CultureInfo.InvariantCulture),
            ["to"] = view.CreatedTo?.ToString(DateFormat, CultureInfo.InvariantCulture),
            ["archived"] = view.Archived ? "true" : null,
            ["sort"] = view.Sort == BankSort.Newest ? null : view.Sort.ToString().ToLowerInvariant(),
            ["review"] = view.NeedsReview ? "true" : null,
            ["ids"] = selection.Ids is { } ids ? string.Join(',', ids.Select(id => id.ToString(CultureInfo.InvariantCulture))) : null,
        };
    }

    /// <summary>The selection as a query string ("?node=c4&amp;type=mcq"), or "" when it takes the whole bank.</summary>
    public static string QueryString(BankSelection selection)
    {
        // Commas stay as they are: ids read better as 1,2,3 and a query string allows them.
        var parts = Write(selection).Where(p => p.Value is not null)
            .Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!).Replace("%2C", ",", StringComparison.Ordinal)}").ToList();
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    /// <summary>The most specific node of the hierarchy the view is limited to.</summary>
    public static (BankNodeKind Kind, int Id)? NodeOf(BankQuery view) => view switch
    {
        { SubCategoryId: { } id } => (BankNodeKind.SubCategory, id),
        { CategoryId: { } id } => (BankNodeKind.Category, id),
        { SubjectId: { } id } => (BankNodeKind.Subject, id),
        { GroupId: { } id } => (BankNodeKind.Group, id),
        _ => null,
    };

    /// <summary>The view limited to a node of the hierarchy, or to none.</summary>
    public static BankQuery AtNode(BankQuery view, (BankNodeKind Kind, int Id)? node) => view with
    {
        GroupId = node is (BankNodeKind.Group, var g) ? g : null,
        SubjectId = node is (BankNodeKind.Subject, var s) ? s : null,
        CategoryId = node is (BankNodeKind.Category, var c) ? c : null,
        SubCategoryId = node is (BankNodeKind.SubCategory, var sc) ? sc : null,
    };

    public static string NodeText(BankNodeKind kind, int id) => kind switch
    {
        BankNodeKind.Group => "g",
        BankNodeKind.Subject => "s",
        BankNodeKind.Category => "c",
        _ => "sc",
    } + id.ToString(CultureInfo.InvariantCulture);

    public static (BankNodeKind Kind, int Id)? ParseNode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var (kind, number) = text.StartsWith("sc", StringComparison.Ordinal) ? (BankNodeKind.SubCategory, text[2..])
            : text[0] switch
            {
                'g' => (BankNodeKind.Group, text[1..]),
                's' => (BankNodeKind.Subject, text[1..]),
                'c' => (BankNodeKind.Category, text[1..]),
                _ => (BankNodeKind.Group, ""),
            };
        return int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? (kind, id) : null;
    }

    private static bool TryParseSort(string? text, out BankSort sort) =>
        Enum.TryParse(text, ignoreCase: true, out sort) && Enum.IsDefined(sort) && !int.TryParse(text, out _);

    private delegate bool TryParse<T>(string? text, out T value);
}
