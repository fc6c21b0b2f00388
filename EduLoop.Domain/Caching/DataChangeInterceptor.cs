using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EduLoop.Domain.Caching;

/// <summary>
/// Announces every write EF sends (SaveChanges, ExecuteUpdate, ExecuteDelete, raw SQL) to
/// <see cref="DataChanges"/> by the tables it names, once it is committed: at once for a statement
/// outside a transaction, at the commit for one inside (nothing for a rollback). A reader that
/// starts before the commit reads the old data under the old generation; one that starts after it
/// uses the new one.
/// </summary>
internal sealed partial class DataChangeInterceptor(DataChanges changes) : DbCommandInterceptor, IDbTransactionInterceptor
{
    private const int MaxRememberedCommands = 4_096;

    /// <summary>The kinds of data each command text writes (EF sends the same texts again and again).</summary>
    private readonly ConcurrentDictionary<string, string[]> _tagsOfCommand = new(StringComparer.Ordinal);

    /// <summary>What each open transaction has written so far.</summary>
    private readonly ConditionalWeakTable<DbTransaction, HashSet<string>> _pending = [];

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Record(command);
        return result;
    }

    public override async ValueTask<int> NonQueryExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await RecordAsync(command);
        return result;
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Record(command);
        return result;
    }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        await RecordAsync(command);
        return result;
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Record(command);
        return result;
    }

    public override async ValueTask<object?> ScalarExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        await RecordAsync(command);
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (Committed(transaction) is { } tags)
        {
            changes.Changed(tags);
        }
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Committed(transaction) is { } tags ? changes.ChangedAsync(tags) : Task.CompletedTask;

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => _pending.Remove(transaction);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        _pending.Remove(transaction);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => _pending.Remove(transaction);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        _pending.Remove(transaction);
        return Task.CompletedTask;
    }

    /// <summary>The kinds of data a command writes: none for a read; every kind for a table no kind names.</summary>
    internal static string[] TagsWrittenBy(string commandText)
    {
        var tags = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match write in WrittenTable().Matches(commandText))
        {
            if (DataTags.OfTable(write.Groups["table"].Value) is { } tag)
            {
                tags.Add(tag);
                if (ChangesPools(commandText, write))
                {
                    tags.Add(DataTags.Pools);
                }
            }
            else
            {
                return [.. DataTags.All];
            }
        }

        return [.. tags];
    }

    private void Record(DbCommand command)
    {
        if (WrittenOutsideATransaction(command) is { } tags)
        {
            changes.Changed(tags);
        }
    }

    private Task RecordAsync(DbCommand command) =>
        WrittenOutsideATransaction(command) is { } tags ? changes.ChangedAsync(tags) : Task.CompletedTask;

    /// <summary>
    /// The kinds a command wrote, when they are to be announced now; a write inside a transaction is
    /// kept for its commit.
    /// </summary>
    private string[]? WrittenOutsideATransaction(DbCommand command)
    {
        var tags = _tagsOfCommand.TryGetValue(command.CommandText, out var known) ? known : Remember(command.CommandText);
        if (tags.Length == 0)
        {
            return null;
        }

        if (command.Transaction is { } transaction)
        {
            var pending = _pending.GetValue(transaction, static _ => []);
            lock (pending)
            {
                pending.UnionWith(tags);
            }

            return null;
        }

        return tags;
    }

    private string[] Remember(string commandText)
    {
        var tags = TagsWrittenBy(commandText);
        if (_tagsOfCommand.Count < MaxRememberedCommands)
        {
            _tagsOfCommand.TryAdd(commandText, tags);
        }

        return tags;
    }

    /// <summary>
    /// Whether a write to the questions can change which questions a filter takes: an insert or a
    /// delete, or an update whose statement names a column a filter reads (a text edit does not).
    /// </summary>
    private static bool ChangesPools(string commandText, Match write)
    {
        if (!write.Groups["table"].Value.Equals("Questions", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (!write.Value.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var end = commandText.IndexOf(';', write.Index);
        return PoolColumn().IsMatch(commandText.AsSpan(write.Index, (end < 0 ? commandText.Length : end) - write.Index));
    }

    /// <summary>What a committed transaction wrote, if anything.</summary>
    private string[]? Committed(DbTransaction transaction)
    {
        if (!_pending.TryGetValue(transaction, out var pending))
        {
            return null;
        }

        _pending.Remove(transaction);
        lock (pending)
        {
            return [.. pending];
        }
    }

    /// <summary>
    /// The table after INSERT [OR …] INTO, REPLACE INTO, UPDATE [OR …] and DELETE FROM, quoted or not
    /// (not the SET of an upsert's DO UPDATE, a trigger's UPDATE ON or a row lock's FOR UPDATE).
    /// </summary>
    [GeneratedRegex("""\b(?:(?:INSERT|REPLACE)(?:\s+OR\s+\w+)?\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+(?!(?:SET|ON|OF|NOWAIT|SKIP)\b)(?:"?\w+"?\.)?["`\[]?(?<table>\w+)""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WrittenTable();

    /// <summary>The question columns a practice or quiz filter reads.</summary>
    [GeneratedRegex(@"\b(?:GroupId|SubjectId|CategoryId|SubCategoryId|Type|Level|IsArchived)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PoolColumn();
}
