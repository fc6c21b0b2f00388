using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Querying;

/// <summary>One page of a list, as the caller asked for it.</summary>
/// <param name="Page">The 1-based page number, or null for the last page.</param>
public sealed record PageRequest(int? Page, int PageSize)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static PageRequest First { get; } = new(1, DefaultPageSize);
}

/// <summary>A page of results and where it sits in the whole list.</summary>
public sealed record PageResult<T>(int Count, int Page, int PageSize, IReadOnlyList<T> Items)
{
    public int PageCount => Math.Max(1, (Count + PageSize - 1) / PageSize);

    public bool HasNext => Page < PageCount;

    public bool HasPrevious => Page > 1;

    /// <summary>The list holds more than <see cref="Count"/> rows, which is where counting stopped.</summary>
    public bool IsCountCapped { get; init; }
}

/// <summary>The requested page does not exist (past the end, or before the first).</summary>
public sealed class InvalidPageException() : Exception("Invalid page.");

/// <summary>A sort key by name, with the direction.</summary>
public sealed record SortKey(string Field, bool Descending);

/// <summary>A list's search terms and ordering; every term must match one of the searched fields.</summary>
public sealed record ListOptions(IReadOnlyList<string> SearchTerms, IReadOnlyList<SortKey> Ordering)
{
    public static ListOptions None { get; } = new([], []);
}

/// <summary>The fields a list may be ordered by, each mapped to its column.</summary>
public sealed class SortMap<T>
{
    private readonly Dictionary<string, Func<IQueryable<T>, bool, bool, IOrderedQueryable<T>>> _fields = new(StringComparer.Ordinal);
    private readonly HashSet<string> _idFollows = new(StringComparer.Ordinal);

    /// <param name="idFollows">
    /// Ties are broken by the id in this key's direction: for a time stored to the second, where the
    /// later of two rows made in one second has the larger id.
    /// </param>
    public SortMap<T> Add<TKey>(string name, Expression<Func<T, TKey>> key, bool idFollows = false)
    {
        if (idFollows)
        {
            _idFollows.Add(name);
        }

        _fields[name] = (query, descending, then) => (then, descending) switch
        {
            (false, false) => query.OrderBy(key),
            (false, true) => query.OrderByDescending(key),
            (true, false) => ((IOrderedQueryable<T>)query).ThenBy(key),
            (true, true) => ((IOrderedQueryable<T>)query).ThenByDescending(key),
        };
        return this;
    }

    /// <summary>
    /// A key that may be missing (null): missing ones come first ascending and last descending, as
    /// the original's database put them, on either provider (PostgreSQL on its own does the opposite).
    /// </summary>
    public SortMap<T> AddMaybeMissing<TKey>(string name, Expression<Func<T, TKey?>> key) where TKey : class
    {
        var missing = Expression.Lambda<Func<T, bool>>(Expression.Equal(key.Body, Expression.Constant(null, key.Body.Type)), key.Parameters);
        _fields[name] = (query, descending, then) => (then, descending) switch
        {
            (false, false) => query.OrderByDescending(missing).ThenBy(key),
            (false, true) => query.OrderBy(missing).ThenByDescending(key),
            (true, false) => ((IOrderedQueryable<T>)query).ThenByDescending(missing).ThenBy(key),
            (true, true) => ((IOrderedQueryable<T>)query).ThenBy(missing).ThenByDescending(key),
        };
        return this;
    }

    public bool Contains(string field) => _fields.ContainsKey(field);

    /// <summary>
    /// Orders by the known keys of <paramref name="ordering"/> (unknown ones are ignored, as Django REST
    /// Framework does), or by <paramref name="defaultOrdering"/> when none is known; the id breaks ties
    /// so that pages never overlap.
    /// </summary>
    public IQueryable<T> Apply(IQueryable<T> query, IReadOnlyList<SortKey> ordering, IReadOnlyList<SortKey> defaultOrdering, Expression<Func<T, int>> id)
    {
        var keys = ordering.Where(k => _fields.ContainsKey(k.Field)).ToList();
        if (keys.Count == 0)
        {
            keys = [.. defaultOrdering];
        }

        var ordered = query;
        for (var i = 0; i < keys.Count; i++)
        {
            ordered = _fields[keys[i].Field](ordered, keys[i].Descending, i > 0);
        }

        if (keys.Count == 0)
        {
            return ordered.OrderBy(id);
        }

        return keys[^1] is { Descending: true } last && _idFollows.Contains(last.Field)
            ? ((IOrderedQueryable<T>)ordered).ThenByDescending(id)
            : ((IOrderedQueryable<T>)ordered).ThenBy(id);
    }
}

public static class Paging
{
    /// <summary>A page of a list already in memory (short lists such as the accounts).</summary>
    public static PageResult<T> ToPage<T>(this IReadOnlyList<T> items, PageRequest request)
    {
        var pageCount = Math.Max(1, (items.Count + request.PageSize - 1) / request.PageSize);
        var page = request.Page ?? pageCount;
        if (page < 1 || page > pageCount)
        {
            throw new InvalidPageException();
        }

        return new PageResult<T>(items.Count, page, request.PageSize, items.Skip((page - 1) * request.PageSize).Take(request.PageSize).ToList());
    }

    /// <summary>Counts, resolves the page (the last one when none is named) and reads it.</summary>
    public static async Task<PageResult<T>> ToPageAsync<T>(this IQueryable<T> ordered, PageRequest request, CancellationToken cancellationToken = default)
    {
        var count = await ordered.CountAsync(cancellationToken);
        var pageCount = Math.Max(1, (count + request.PageSize - 1) / request.PageSize);
        var page = request.Page ?? pageCount;
        if (page < 1 || page > pageCount)
        {
            throw new InvalidPageException();
        }

        var items = count == 0
            ? []
            : await ordered.Skip((page - 1) * request.PageSize).Take(request.PageSize).ToListAsync(cancellationToken);
        return new PageResult<T>(count, page, request.PageSize, items);
    }
}
