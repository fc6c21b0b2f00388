using System.Globalization;

namespace EduLoop.App.Components;

/// <summary>
/// Ids from a page's query string. Pages take them as text and read them here, because Blazor throws
/// (a 500) on a query value that does not fit the parameter's type, such as a number past int's range;
/// a value that is not an id simply names nothing.
/// </summary>
public static class QueryIds
{
    public static int? Parse(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;
}
