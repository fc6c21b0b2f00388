using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Data;

/// <summary>
/// A compiled query, compiled once for each provider. EF binds a compiled query to the model it first
/// runs with, and one process can hold both models: the test run, or a school moving from SQLite to
/// PostgreSQL. A server runs on one of them, so it compiles one.
/// </summary>
internal sealed class CompiledPerProvider<TQuery>(Func<TQuery> compile) where TQuery : Delegate
{
    private readonly Lazy<TQuery> _sqlite = new(compile);
    private readonly Lazy<TQuery> _postgres = new(compile);

    public TQuery For(DbContext db) => db.Database.IsNpgsql() ? _postgres.Value : _sqlite.Value;
}
