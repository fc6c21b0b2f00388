using System.Globalization;
using System.Net;
using System.Text;
using EduLoop.Domain.Querying;
using Microsoft.Extensions.Primitives;
using SortKey = EduLoop.Domain.Querying.SortKey;

namespace EduLoop.App.Api.Compatible;

/// <summary>
/// A list request's query string read as Django REST Framework reads it: <c>page</c> (a number or
/// <c>last</c>), <c>page_size</c> (bad values fall back to the default, large ones are clamped),
/// <c>search</c>, <c>ordering</c> and exact-id filters.
/// </summary>
public sealed class ListRequest
{
    // A copy of the query and path, not the request: a page is built once for every request waiting
    // for it, and may still be built after the request that started it has ended.
    private readonly QueryCollection _query;
    private readonly PathString _path;
    private readonly Dictionary<string, List<string>> _errors = [];

    private ListRequest(HttpRequest request)
    {
        _query = new QueryCollection(request.Query.ToDictionary(q => q.Key, q => q.Value, StringComparer.OrdinalIgnoreCase));
        _path = request.Path;
        Page = ReadPage(_query["page"]);
        PageSize = ReadPageSize(_query["page_size"]);
        Options = new ListOptions(Search.Terms(_query["search"]), ReadOrdering(_query["ordering"]));
    }

    public PageRequest PageRequest => new(Page, PageSize);

    public ListOptions Options { get; }

    /// <summary>True when a filter could not be read; <see cref="Errors"/> says which.</summary>
    public bool HasErrors => _errors.Count > 0;

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors => _errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value);

    /// <summary>Set when the page parameter is not a page number: the list answers 404 "Invalid page.".</summary>
    public bool InvalidPage { get; private set; }

    private int? Page { get; set; }

    private int PageSize { get; }

    public static ListRequest From(HttpRequest request) => new(request);

    /// <summary>
    /// An exact-id filter such as <c>group__id</c>. Absent or empty: no filter. Not a number: an
    /// error. A number no row can have (fractional, out of range): a filter that matches nothing.
    /// </summary>
    public int? IdFilter(string name)
    {
        var raw = _query[name].ToString();
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        if (!decimal.TryParse(raw.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            _errors[name] = ["Enter a number."];
            return null;
        }

        return decimal.Truncate(value) == value && value is >= int.MinValue and <= int.MaxValue ? (int)value : -1;
    }

    /// <summary>The values of one query parameter, none when it is absent.</summary>
    public StringValues Query(string name) => _query[name];

    /// <summary>Records a query parameter that could not be read; the list answers 400 with it.</summary>
    public void AddError(string name, string message) => _errors[name] = [message];

    /// <summary>The link to another page of this list, keeping every other parameter.</summary>
    /// <param name="origin">What comes before the path: <see cref="ApiLinks.OriginOf"/>.</param>
    public string PageLink(int page, string origin)
    {
        var query = _query
            .Where(q => q.Key != "page")
            .Select(q => (q.Key, Values: q.Value))
            .ToList();
        if (page != 1)
        {
            query.Add(("page", new StringValues(page.ToString(CultureInfo.InvariantCulture))));
        }

        var builder = new StringBuilder().Append(origin).Append(_path.ToUriComponent());
        var first = true;
        foreach (var (key, values) in query.OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            foreach (var value in values)
            {
                builder.Append(first ? '?' : '&').Append(WebUtility.UrlEncode(key)).Append('=').Append(WebUtility.UrlEncode(value));
                first = false;
            }
        }

        return builder.ToString();
    }

    private int? ReadPage(StringValues values)
    {
        if (values.Count == 0)
        {
            return 1;
        }

        var raw = values[^1] ?? "";
        if (raw == "last")
        {
            return null;
        }

        if (int.TryParse(raw, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
                CultureInfo.InvariantCulture, out var page))
        {
            return page;
        }

        InvalidPage = true;
        return 1;
    }

    private static int ReadPageSize(StringValues values)
    {
        if (values.Count == 0
            || !long.TryParse(values[^1], NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
                CultureInfo.InvariantCulture, out var size)
            || size <= 0)
        {
            return PageRequest.DefaultPageSize;
        }

        return (int)Math.Min(size, PageRequest.MaxPageSize);
    }

    private static IReadOnlyList<SortKey> ReadOrdering(StringValues values) =>
        values.Count == 0
            ? []
            : (values[^1] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(field => field.StartsWith('-') ? new SortKey(field[1..], true) : new SortKey(field, false))
                .ToList();
}
