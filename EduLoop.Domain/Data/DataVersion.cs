using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EduLoop.Domain.Data;

/// <summary>
/// A number that changes whenever this process writes to the database. Caches key their entries by
/// it, so a read after a write never sees a page cached before the write.
/// </summary>
public sealed class DataVersion
{
    private long _value;

    public long Current => Interlocked.Read(ref _value);

    public void Bump() => Interlocked.Increment(ref _value);
}

/// <summary>Bumps <see cref="DataVersion"/> after every command that writes (SaveChanges, ExecuteUpdate, ExecuteDelete).</summary>
internal sealed class DataVersionInterceptor(DataVersion version) : DbCommandInterceptor
{
    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        BumpIfWrite(command);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        BumpIfWrite(command);
        return ValueTask.FromResult(result);
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        BumpIfWrite(command);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        BumpIfWrite(command);
        return ValueTask.FromResult(result);
    }

    private void BumpIfWrite(DbCommand command)
    {
        var text = command.CommandText.AsSpan().TrimStart();
        if (text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase)
            || text.Contains("INSERT INTO", StringComparison.OrdinalIgnoreCase))
        {
            version.Bump();
        }
    }
}
