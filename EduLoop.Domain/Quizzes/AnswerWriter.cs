using System.Data;
using System.Data.Common;
using System.Threading.Channels;
using EduLoop.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EduLoop.Domain.Quizzes;

/// <summary>One answer to write: whose attempt, which question, what, and the client's number for it.</summary>
public sealed record AnswerSave(int AttemptId, string StudentId, int Position, string ResponseJson, long Sequence);

/// <summary>
/// The single writer of answers. Saves queue up while a commit is on its way to disk and the next
/// commit takes all of them together (group commit): every save is checked and written in one
/// transaction, and its caller hears back only after that transaction is durable. One fsync then
/// serves many answers, so throughput stays high with <c>synchronous=FULL</c>.
/// </summary>
/// <remarks>
/// The checks run inside the writing transaction, which holds the database's write lock: a submit,
/// the overdue service or another save cannot slip between the check and the write.
/// On PostgreSQL, which has many writers, the check locks the group's attempts' rows instead, and the
/// group is read and written in three round trips (<see cref="PostgresGroup"/>).
/// </remarks>
public sealed class AnswerWriter : IAsyncDisposable
{
    /// <summary>At most this many saves share one commit, so a burst never makes one transaction huge.</summary>
    public const int MaxGroup = 512;

    private readonly IDbContextFactory<EduLoopDbContext> contextFactory;
    private readonly TimeProvider clock;
    private readonly Caching.DataChanges changes;
    private readonly EduLoopMetrics? metrics;
    private readonly ILogger logger;
    private readonly Channel<Pending> queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(50_000) { SingleReader = true });
    private readonly Task loop;

    public AnswerWriter(
        IDbContextFactory<EduLoopDbContext> contextFactory, TimeProvider clock, Caching.DataChanges changes, ILogger<AnswerWriter>? logger = null,
        EduLoopMetrics? metrics = null)
    {
        this.metrics = metrics;
        this.contextFactory = contextFactory;
        this.clock = clock;
        this.changes = changes;
        this.logger = logger ?? NullLogger<AnswerWriter>.Instance;
        loop = Task.Run(RunAsync);
    }

    /// <summary>How many commits and saves the writer has made, for the benchmark's report.</summary>
    public (long Commits, long Saves) Totals => (Interlocked.Read(ref commits), Interlocked.Read(ref saves));

    private long commits;
    private long saves;

    /// <summary>
    /// Writes the answer and returns once it is committed. Throws <see cref="NotFoundException"/> (not
    /// the student's attempt or question), <see cref="AttemptClosedException"/> (submitted or past the
    /// deadline) or <see cref="StaleAnswerException"/> (a newer answer is saved).
    /// </summary>
    public async Task<long> SaveAsync(AnswerSave save, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(save, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        await queue.Writer.WriteAsync(pending, cancellationToken);
        // Once queued the save is written even if the caller gives up: the answer is not lost, only unacknowledged.
        return await pending.Done.Task;
    }

    private async Task RunAsync()
    {
        var group = new List<Pending>(MaxGroup);
        try
        {
            while (await queue.Reader.WaitToReadAsync())
            {
                group.Clear();
                while (group.Count < MaxGroup && queue.Reader.TryRead(out var next))
                {
                    group.Add(next);
                }

                await WriteGroupAsync(group);
            }
        }
        catch (ChannelClosedException)
        {
        }
    }

    private async Task WriteGroupAsync(List<Pending> group)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcomes = new Outcome[group.Count];
        try
        {
            await using var db = await contextFactory.CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            var dialect = SqlDialect.Of(db);
            await using var transaction = await connection.BeginTransactionAsync(dialect.AnswerIsolation);
            if (connection is Npgsql.NpgsqlConnection postgres)
            {
                await PostgresGroup.WriteAsync(postgres, group.Select(p => p.Save).ToList(), clock.GetUtcNow().UtcDateTime, outcomes);
            }
            else
            {
                // With sequential navigation, the furthest question answered so far: the ones before it are passed.
                await using var read = Command(connection, transaction,
                    "SELECT a.\"StudentId\", a.\"State\", a.\"Deadline\", CASE WHEN q.\"SequentialNavigation\" AND q.\"OneQuestionPerPage\" THEN "
                    + "(SELECT MAX(x.\"Position\") FROM \"AttemptQuestions\" x WHERE x.\"AttemptId\" = a.\"Id\" AND x.\"Sequence\" > 0) END "
                    + "FROM \"Attempts\" a JOIN \"Quizzes\" q ON q.\"Id\" = a.\"QuizId\" WHERE a.\"Id\" = @attempt", "@attempt");
                await using var write = Command(connection, transaction,
                    "UPDATE \"AttemptQuestions\" SET \"Response\" = @response, \"Sequence\" = @sequence, \"SavedAt\" = @now "
                    + "WHERE \"AttemptId\" = @attempt AND \"Position\" = @position AND \"Sequence\" < @sequence",
                    "@response", "@sequence", "@now", "@attempt", "@position");
                await using var current = Command(connection, transaction,
                    "SELECT \"Sequence\" FROM \"AttemptQuestions\" WHERE \"AttemptId\" = @attempt AND \"Position\" = @position", "@attempt", "@position");
                var now = clock.GetUtcNow().UtcDateTime;
                for (var i = 0; i < group.Count; i++)
                {
                    outcomes[i] = await WriteOneAsync(group[i].Save, now, read, write, current);
                }
            }

            await transaction.CommitAsync();
            // Written through the connection directly, past EF's interceptor.
            await changes.ChangedAsync(Caching.DataTags.Attempts);
            Interlocked.Increment(ref commits);
            var saved = outcomes.Count(o => o.Error is null);
            Interlocked.Add(ref saves, saved);
            metrics?.AnswersSaved(saved, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e)
        {
            logger.LogError(e, "A group of {Count} answer saves failed; none of them was acknowledged", group.Count);
            // Nothing of this group is committed: every caller hears it, none is told its answer is saved.
            foreach (var pending in group)
            {
                pending.Done.TrySetException(e);
            }

            return;
        }

        for (var i = 0; i < group.Count; i++)
        {
            if (outcomes[i].Error is { } error)
            {
                group[i].Done.TrySetException(error);
            }
            else
            {
                group[i].Done.TrySetResult(outcomes[i].Sequence);
            }
        }
    }

    /// <summary>
    /// A group on PostgreSQL in three round trips instead of two or three per save: the group's
    /// attempts read and locked together (in id order, so a submit waiting on one of them never
    /// deadlocks with the writer), the current answers of those attempts, then one UPDATE of every
    /// accepted answer. Each save is checked in memory exactly as the per-save statements check it on
    /// SQLite, in arrival order, earlier saves of the group included.
    /// </summary>
    private static class PostgresGroup
    {
        public static async Task WriteAsync(Npgsql.NpgsqlConnection connection, List<AnswerSave> saves, DateTime now, Outcome[] outcomes)
        {
            var ids = saves.Select(s => s.AttemptId).Distinct().Order().ToArray();
            var attempts = new Dictionary<int, (string Owner, AttemptState State, DateTime? Deadline, bool OneWay, int? Furthest)>();
            await using (var read = new Npgsql.NpgsqlCommand(
                "SELECT a.\"Id\", a.\"StudentId\", a.\"State\", a.\"Deadline\", q.\"SequentialNavigation\" AND q.\"OneQuestionPerPage\", "
                + "(SELECT MAX(x.\"Position\") FROM \"AttemptQuestions\" x WHERE x.\"AttemptId\" = a.\"Id\" AND x.\"Sequence\" > 0) "
                + "FROM \"Attempts\" a JOIN \"Quizzes\" q ON q.\"Id\" = a.\"QuizId\" WHERE a.\"Id\" = ANY(@ids) ORDER BY a.\"Id\" FOR UPDATE OF a", connection))
            {
                read.Parameters.AddWithValue("ids", ids);
                await using var reader = await read.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    attempts[reader.GetInt32(0)] = (reader.GetString(1), (AttemptState)reader.GetInt32(2),
                        reader.IsDBNull(3) ? null : reader.GetDateTime(3), reader.GetBoolean(4), reader.IsDBNull(5) ? null : reader.GetInt32(5));
                }
            }

            var current = new Dictionary<(int Attempt, int Position), long>();
            await using (var answers = new Npgsql.NpgsqlCommand(
                "SELECT \"AttemptId\", \"Position\", \"Sequence\" FROM \"AttemptQuestions\" WHERE \"AttemptId\" = ANY(@ids)", connection))
            {
                answers.Parameters.AddWithValue("ids", ids);
                await using var reader = await answers.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    current[(reader.GetInt32(0), reader.GetInt32(1))] = reader.GetInt64(2);
                }
            }

            var accepted = new Dictionary<(int Attempt, int Position), AnswerSave>();
            for (var i = 0; i < saves.Count; i++)
            {
                var save = saves[i];
                if (!attempts.TryGetValue(save.AttemptId, out var attempt) || attempt.Owner != save.StudentId)
                {
                    outcomes[i] = new Outcome(0, new NotFoundException("Not found."));
                }
                else if (attempt.State != AttemptState.InProgress)
                {
                    outcomes[i] = new Outcome(0, new AttemptClosedException("This attempt is submitted; answers can no longer change."));
                }
                else if (attempt.Deadline is { } due && now > due)
                {
                    outcomes[i] = new Outcome(0, new AttemptClosedException("The time is up; answers can no longer change."));
                }
                else if (attempt.OneWay && save.Position < attempt.Furthest)
                {
                    outcomes[i] = new Outcome(0, new QuestionPassedException());
                }
                else if (!current.TryGetValue((save.AttemptId, save.Position), out var saved))
                {
                    outcomes[i] = new Outcome(0, new NotFoundException("Not found."));
                }
                else if (saved >= save.Sequence)
                {
                    outcomes[i] = new Outcome(0, new StaleAnswerException(saved));
                }
                else
                {
                    current[(save.AttemptId, save.Position)] = save.Sequence;
                    accepted[(save.AttemptId, save.Position)] = save;
                    attempts[save.AttemptId] = attempt with { Furthest = Math.Max(attempt.Furthest ?? save.Position, save.Position) };
                    outcomes[i] = new Outcome(save.Sequence, null);
                }
            }

            if (accepted.Count == 0)
            {
                return;
            }

            await using var write = new Npgsql.NpgsqlCommand(
                "UPDATE \"AttemptQuestions\" AS t SET \"Response\" = u.response, \"Sequence\" = u.sequence, \"SavedAt\" = @now "
                + "FROM unnest(@attempts, @positions, @responses, @sequences) AS u(attempt, position, response, sequence) "
                + "WHERE t.\"AttemptId\" = u.attempt AND t.\"Position\" = u.position", connection);
            var rows = accepted.Values.ToList();
            write.Parameters.AddWithValue("now", now);
            write.Parameters.AddWithValue("attempts", rows.Select(r => r.AttemptId).ToArray());
            write.Parameters.AddWithValue("positions", rows.Select(r => r.Position).ToArray());
            write.Parameters.AddWithValue("responses", rows.Select(r => Data.PostgresTextInterceptor.Clean(r.ResponseJson)).ToArray());
            write.Parameters.AddWithValue("sequences", rows.Select(r => r.Sequence).ToArray());
            await write.ExecuteNonQueryAsync();
        }
    }

    private static async Task<Outcome> WriteOneAsync(AnswerSave save, DateTime now, DbCommand read, DbCommand write, DbCommand current)
    {
        read.Parameters[0].Value = save.AttemptId;
        string? owner = null;
        var state = AttemptState.InProgress;
        DateTime? deadline = null;
        int? furthest = null;
        await using (var reader = await read.ExecuteReaderAsync())
        {
            if (await reader.ReadAsync())
            {
                owner = reader.GetString(0);
                state = (AttemptState)reader.GetInt32(1);
                deadline = reader.IsDBNull(2) ? null : reader.GetDateTime(2);
                furthest = reader.IsDBNull(3) ? null : reader.GetInt32(3);
            }
        }

        if (owner != save.StudentId)
        {
            return new Outcome(0, new NotFoundException("Not found."));
        }

        if (state != AttemptState.InProgress)
        {
            return new Outcome(0, new AttemptClosedException("This attempt is submitted; answers can no longer change."));
        }

        if (deadline is { } due && now > due)
        {
            return new Outcome(0, new AttemptClosedException("The time is up; answers can no longer change."));
        }

        if (save.Position < furthest)
        {
            return new Outcome(0, new QuestionPassedException());
        }

        (write.Parameters[0].Value, write.Parameters[1].Value, write.Parameters[2].Value, write.Parameters[3].Value, write.Parameters[4].Value) =
            (save.ResponseJson, save.Sequence, now, save.AttemptId, save.Position);
        if (await write.ExecuteNonQueryAsync() == 1)
        {
            return new Outcome(save.Sequence, null);
        }

        (current.Parameters[0].Value, current.Parameters[1].Value) = (save.AttemptId, save.Position);
        return await current.ExecuteScalarAsync() is { } saved and not DBNull
            ? new Outcome(0, new StaleAnswerException(Convert.ToInt64(saved, System.Globalization.CultureInfo.InvariantCulture)))
            : new Outcome(0, new NotFoundException("Not found."));
    }

    internal static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    public async ValueTask DisposeAsync()
    {
        // Saves already queued are still written; new ones are refused.
        queue.Writer.TryComplete();
        await loop;
        logger.LogInformation("Answer writer stopped: {Saves} saves in {Commits} commits", Interlocked.Read(ref saves), Interlocked.Read(ref commits));
    }

    private sealed record Pending(AnswerSave Save, TaskCompletionSource<long> Done);

    private readonly record struct Outcome(long Sequence, Exception? Error);
}
