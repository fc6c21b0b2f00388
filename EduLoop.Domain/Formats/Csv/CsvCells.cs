using System.Globalization;
using System.Text;

namespace EduLoop.Domain.Formats.Csv;

/// <summary>
/// The small language inside a CSV cell: items separated by '|', a leading <c>%n%</c> credit, and
/// backslash escapes for '|', '\', a leading '%' and the '>' of a matching arrow (a backslash before
/// anything else is text).
/// </summary>
internal static class CsvCells
{
    /// <summary>The cell's items, still escaped; an empty cell has none.</summary>
    public static List<string> Split(string cell)
    {
        var items = new List<string>();
        if (cell.Length == 0)
        {
            return items;
        }

        var item = new StringBuilder();
        for (var i = 0; i < cell.Length; i++)
        {
            if (cell[i] == '\\' && i + 1 < cell.Length)
            {
                item.Append(cell, i++, 2);
            }
            else if (cell[i] == '|')
            {
                items.Add(item.ToString());
                item.Clear();
            }
            else
            {
                item.Append(cell[i]);
            }
        }

        items.Add(item.ToString());
        return items;
    }

    /// <summary>Splits off a leading <c>%n%</c> credit (as a fraction); null when the item has none.</summary>
    public static (decimal? Fraction, string Text) Weight(string item)
    {
        var trimmed = item.TrimStart();
        if (!trimmed.StartsWith('%'))
        {
            return (null, item);
        }

        var end = trimmed.IndexOf('%', 1);
        if (end < 0 || !decimal.TryParse(trimmed[1..end], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
        {
            throw new FormatException($"\"{item}\" starts with '%' but not with a credit such as %50%; write \\% for a literal '%'.");
        }

        return percent is < -100 or > 100
            ? throw new FormatException($"The credit {percent}% is outside -100% to 100%.")
            : (Math.Round(percent / 100m, 7), trimmed[(end + 1)..]);
    }

    /// <summary>Splits a matching item at its unescaped " -> ".</summary>
    public static (string Left, string Right)? Arrow(string item)
    {
        for (var i = 0; i + 1 < item.Length; i++)
        {
            if (item[i] == '\\')
            {
                i++;
            }
            else if (item[i] == '-' && item[i + 1] == '>')
            {
                return (item[..i], item[(i + 2)..]);
            }
        }

        return null;
    }

    public static string Unescape(string item)
    {
        if (!item.Contains('\\', StringComparison.Ordinal))
        {
            return item.Trim();
        }

        var text = new StringBuilder(item.Length);
        var first = item.Length - item.TrimStart().Length;
        for (var i = 0; i < item.Length; i++)
        {
            if (IsEscape(item, i, first))
            {
                i++;
            }

            text.Append(item[i]);
        }

        return text.ToString().Trim();
    }

    /// <summary>
    /// Whether the backslash at <paramref name="index"/> escapes what <see cref="Escape"/> escapes:
    /// '\', '|', a leading '%' or the '>' of "->". Before anything else it is text, so LaTeX such as
    /// <c>$\frac{1}{2}$</c> or <c>50\%</c> keeps its backslashes.
    /// </summary>
    private static bool IsEscape(string item, int index, int first) =>
        item[index] == '\\' && index + 1 < item.Length && item[index + 1] switch
        {
            '\\' or '|' => true,
            '%' => index == first,
            '>' => index > 0 && item[index - 1] == '-',
            _ => false,
        };

    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\\' or '|' || (c == '%' && i == 0) || (c == '>' && i > 0 && text[i - 1] == '-'))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    public static string Join(IEnumerable<string> items) => string.Join("|", items);

    public static string Percent(decimal fraction) => "%" + (fraction * 100m).ToString("0.#######", CultureInfo.InvariantCulture) + "%";

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// A cell as CSV writes it: quoted when it needs quotes, and with a leading ' when a spreadsheet
    /// would run it as a formula (it starts with =, +, -, @, a tab or a carriage return).
    /// </summary>
    public static string Quote(string cell)
    {
        if (cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            cell = "'" + cell;
        }

        return cell.AsSpan().IndexOfAny(",;\"\r\n") >= 0 || (cell.Length > 0 && (char.IsWhiteSpace(cell[0]) || char.IsWhiteSpace(cell[^1])))
            ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : cell;
    }
}
