using System.Threading.Channels;
using EduLoop.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EduLoop.Domain.Live;

/// <summary>A marked answer to write, with the time the server received it.</summary>
public sealed record LiveAnswerSave(
    int GameId, int PlayerId, int QuestionIndex, string Response, DateTime ReceivedAt, int ElapsedMs, double Score, bool Correct, int Points);

/// <summary>What became of an answer: kept, a second answer to the question (the first one stands), or refused.</summary>
public enum LiveAnswerOutcome
{
    Kept,
    AnsweredAlready,
    Refused,
}

/// <summary>
/// The single writer of live answers, built as the quiz answers' writer is: answers queue up while a
/// commit is on its way to disk, and the next commit takes all of them, so a room answering at once
/// costs a few commits, not three hundred. A player hears back only once the answer is durable.
/// </summary>
/// <remarks>
/// Each insert is conditional on the stored game: the question still open, not paused, the close not
/// passed at the answer's receipt, and the player not removed. The host's close is a write to the same
/// row, so an answer is either in before the close (and in the reveal's distribution) or refused. On
/// PostgreSQL the game's row is read <c>FOR SHARE</c>: a close waits for answers being written, and an
/// answer written after a close sees it.
/// </remarks>
public sealed class LiveAnswerWriter : IAsyncDisposable
{
    public const int MaxGroup = 512;

    private readonly IDbContextFactory<EduLoopDbContext> contextFactory;
    private readonly ILogger logger;
    private readonly Channel<(LiveAnswerSave Save, TaskCompletionSource<LiveAnswerOutcome> Done)> queue =
        Channel.CreateBounded<(LiveAnswerSave, TaskCompletionSource<LiveAnswerOutcome>)>(new BoundedChannelOptions(50_000) { SingleReader = true });
    private readonly Task loop;
    private long commits, kept;

    public LiveAnswerWriter(IDbContextFactory<EduLoopDbContext> contextFactory, ILogger<LiveAnswerWriter>? logger = null)
    {
        this.contextFactory = contextFactory;
        this.logger = logger ?? NullLogger<LiveAnswerWriter>.Instance;
        loop = Task.Run(RunAsync);
    }

    /// <summary>How many commits and kept answers, for the benchmark's report.</summary>
    public (long Commits, long Kept) Totals => (Interlocked.Read(ref commits), Interlocked.Read(ref kept));

    public async Task<LiveAnswerOutcome> SaveAsync(LiveAnswerSave save, CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource<LiveAnswerOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        await queue.Writer.WriteAsync((save, done), cancellationToken);
        return await done.Task;
    }

    private async Task RunAsync()
    {
        var group = new List<(LiveAnswerSave Save, TaskCompletionSource<LiveAnswerOutcome> Done)>(MaxGroup);
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

    private async Task WriteGroupAsync(List<(LiveAnswerSave Save, TaskCompletionSource<LiveAnswerOutcome> Done)> group)
    {
        var outcomes = new LiveAnswerOutcome[group.Count];
        try
        {
            await using var db = await contextFactory.CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            var dialect = SqlDialect.Of(db);
            await using var transaction = await connection.BeginTransactionAsync(dialect.AnswerIsolation);
            var share = db.Database.IsNpgsql() ? " FOR SHARE" : "";
            await using var insert = Quizzes.AnswerWriter.Command(connection, transaction,
                "INSERT INTO \"LiveAnswers\" (\"GameId\", \"PlayerId\", \"QuestionIndex\", \"Response\", \"ReceivedAt\", \"ElapsedMs\", \"Score\", \"Correct\", \"Points\") "
                + "SELECT @game, @player, @question, @response, @received, @elapsed, @score, @correct, @points "
                + "WHERE EXISTS (SELECT 1 FROM \"LiveGames\" g WHERE g.\"Id\" = @game AND g.\"Phase\" = @open AND g.\"QuestionIndex\" = @question "
                + "AND g.\"PausedAt\" IS NULL AND g.\"ClosesAt\" >= @received" + share + ") "
                + "AND EXISTS (SELECT 1 FROM \"LivePlayers\" p WHERE p.\"Id\" = @player AND p.\"GameId\" = @game AND NOT p.\"Removed\") "
                + "ON CONFLICT (\"PlayerId\", \"QuestionIndex\") DO NOTHING",
                "@game", "@player", "@question", "@response", "@received", "@elapsed", "@score", "@correct", "@points", "@open");
            await using var answered = Quizzes.AnswerWriter.Command(connection, transaction,
                "SELECT COUNT(*) FROM \"LiveAnswers\" WHERE \"PlayerId\" = @player AND \"QuestionIndex\" = @question", "@player", "@question");
            for (var i = 0; i < group.Count; i++)
            {
                var save = group[i].Save;
                Set(insert, save.GameId, save.PlayerId, save.QuestionIndex, save.Response, save.ReceivedAt, save.ElapsedMs, save.Score, save.Correct, save.Points,
                    (int)LivePhase.Open);
                if (await insert.ExecuteNonQueryAsync() == 1)
                {
                    outcomes[i] = LiveAnswerOutcome.Kept;
                    continue;
                }

                Set(answered, save.PlayerId, save.QuestionIndex);
                outcomes[i] = Convert.ToInt64(await answered.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) > 0
                    ? LiveAnswerOutcome.AnsweredAlready
                    : LiveAnswerOutcome.Refused;
            }

            await transaction.CommitAsync();
            Interlocked.Increment(ref commits);
            Interlocked.Add(ref kept, outcomes.Count(o => o == LiveAnswerOutcome.Kept));
        }
        catch (Exception e)
        {
            logger.LogError(e, "A group of {Count} live answers failed; none of them was acknowledged", group.Count);
            foreach (var (_, done) in group)
            {
                done.TrySetException(e);
            }

            return;
        }

        for (var i = 0; i < group.Count; i++)
        {
            group[i].Done.TrySetResult(outcomes[i]);
        }
    }

    private static void Set(System.Data.Common.DbCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop;
        logger.LogInformation("Live answer writer stopped: {Kept} answers in {Commits} commits", Interlocked.Read(ref kept), Interlocked.Read(ref commits));
    }
}
