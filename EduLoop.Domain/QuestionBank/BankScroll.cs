namespace EduLoop.Domain.QuestionBank;

/// <summary>
/// A view of the bank read as one long list, window by window (a scrolled, virtualized list). It
/// remembers the sort keys of the rows at the edges of the windows it has read, by their index, so
/// that the next window continues from a known key (a keyset read: "the 50 rows after this one")
/// instead of skipping every row before it. Made per list on screen; a changed view is a new one.
/// </summary>
public sealed class BankScroll(BankQuery view)
{
    /// <summary>
    /// At most this many keys are kept (two per window read); past it the ones farthest from the last
    /// read go, so a list scrolled through a million rows holds as little as one scrolled through a hundred.
    /// </summary>
    public const int MaxKeys = 256;

    private readonly SortedList<int, BankRowKey> _keys = [];
    private readonly Lock _lock = new();

    public BankQuery View { get; } = view;

    /// <summary>How many row keys are remembered now.</summary>
    public int KnownKeys
    {
        get
        {
            lock (_lock)
            {
                return _keys.Count;
            }
        }
    }

    /// <summary>
    /// The cheapest way to read rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/>
    /// of <paramref name="total"/>: after the nearest known key before them, before the nearest known key
    /// after them, or from whichever end of the list is nearer; the plan that skips fewest rows.
    /// </summary>
    internal BankReadPlan Plan(int start, int count, int total)
    {
        var end = start + count;
        var plan = start <= total - end
            ? new BankReadPlan(null, Backwards: false, Skip: start)
            : new BankReadPlan(null, Backwards: true, Skip: total - end);
        lock (_lock)
        {
            // The nearest known row before the window (index below start) and after it (index at or past end).
            var at = LowerBound(end);
            if (at < _keys.Count && _keys.Keys[at] - end < plan.Skip)
            {
                plan = new BankReadPlan(_keys.Values[at], Backwards: true, Skip: _keys.Keys[at] - end);
            }

            var before = LowerBound(start) - 1;
            if (before >= 0 && start - _keys.Keys[before] - 1 <= plan.Skip)
            {
                plan = new BankReadPlan(_keys.Values[before], Backwards: false, Skip: start - _keys.Keys[before] - 1);
            }
        }

        return plan;
    }

    /// <summary>Keeps the keys of the first and last row of a window read from <paramref name="start"/>.</summary>
    internal void Remember(int start, IReadOnlyList<BankRow> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            _keys[start] = BankRowKey.Of(rows[0], View);
            _keys[start + rows.Count - 1] = BankRowKey.Of(rows[^1], View);
            while (_keys.Count > MaxKeys)
            {
                // The key farthest from this window goes first.
                var first = Math.Abs(_keys.Keys[0] - start);
                var last = Math.Abs(_keys.Keys[^1] - start);
                _keys.RemoveAt(first >= last ? 0 : _keys.Count - 1);
            }
        }
    }

    /// <summary>The position of the first known index at or past <paramref name="index"/>.</summary>
    private int LowerBound(int index)
    {
        var (low, high) = (0, _keys.Count);
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (_keys.Keys[middle] < index)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}

/// <summary>
/// Where a row stands in its view's order: its time (created, or last edited for that order; unused
/// for a text search, which lists by id) and its id, which breaks ties.
/// </summary>
public readonly record struct BankRowKey(DateTime Time, int Id)
{
    internal static BankRowKey Of(BankRow row, BankQuery view) =>
        new(view.Sort == BankSort.RecentlyEdited ? row.UpdatedAt : row.CreatedAt, row.Id);
}

/// <summary>
/// How to read a window: the rows after <see cref="From"/> in the view's order (before it when
/// <see cref="Backwards"/>, read in the reverse order), or from the list's start (its end) when
/// there is no key, skipping <see cref="Skip"/> rows first.
/// </summary>
internal sealed record BankReadPlan(BankRowKey? From, bool Backwards, int Skip);

/// <summary>A window of a scrolled list and the number of rows in the whole view.</summary>
public sealed record BankWindow(int Count, IReadOnlyList<BankRow> Rows);
