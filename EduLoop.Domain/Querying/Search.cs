using System.Linq.Expressions;

namespace EduLoop.Domain.Querying;

public static class Search
{
    /// <summary>
    /// Keeps the rows where every term occurs, case-insensitively, in at least one of the fields,
    /// as Django REST Framework's search filter does.
    /// </summary>
    public static IQueryable<T> Matching<T>(this IQueryable<T> query, IReadOnlyList<string> terms, params Expression<Func<T, string>>[] fields)
    {
        foreach (var term in terms)
        {
            var lowered = term.ToLowerInvariant();
            var row = Expression.Parameter(typeof(T), "row");
            Expression? anyField = null;
            foreach (var field in fields)
            {
                var value = new ParameterReplacer(field.Parameters[0], row).Visit(field.Body);
                var contains = Expression.Call(
                    Expression.Call(value, nameof(string.ToLower), Type.EmptyTypes),
                    nameof(string.Contains),
                    Type.EmptyTypes,
                    Expression.Constant(lowered));
                anyField = anyField is null ? contains : Expression.OrElse(anyField, contains);
            }

            if (anyField is not null)
            {
                query = query.Where(Expression.Lambda<Func<T, bool>>(anyField, row));
            }
        }

        return query;
    }

    /// <summary>Splits a search string into terms at white space and commas.</summary>
    public static IReadOnlyList<string> Terms(string? search) =>
        string.IsNullOrWhiteSpace(search)
            ? []
            : search.Replace('\0', ' ').Split([' ', ',', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);

    private sealed class ParameterReplacer(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
