using EduLoop.Domain.Quizzes;

namespace EduLoop.App.Hosting;

/// <summary>
/// Submits attempts whose deadline has passed, with what was saved, every few seconds: a student who
/// closed the tab or lost the connection still gets the attempt graded on time.
/// </summary>
public sealed class OverdueAttempts(IServiceScopeFactory scopes, TimeProvider clock, ILogger<OverdueAttempts> logger, EduLoop.Domain.EduLoopMetrics metrics) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private long _submitted;

    /// <summary>How many attempts this server's rounds have submitted since it started (its timer's and any run by hand).</summary>
    public long Submitted => Interlocked.Read(ref _submitted);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            await RunOnceAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>
    /// One round; returns how many attempts it submitted (not those another server submitted first). Each attempt is submitted on its own: one
    /// that fails is logged and tried again next round, and never holds up the others.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<int> overdue;
        await using var scope = scopes.CreateAsyncScope();
        var attempts = scope.ServiceProvider.GetRequiredService<AttemptService>();
        try
        {
            overdue = await attempts.OverdueAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Listing overdue attempts failed; trying again in {Interval}", Interval);
            return 0;
        }

        var submitted = 0;
        var failed = 0;
        foreach (var id in overdue)
        {
            try
            {
                // Another server's round, or the student, may have submitted it since the list was read.
                if (await attempts.SubmitOverdueAsync(id, cancellationToken))
                {
                    submitted++;
                    Interlocked.Increment(ref _submitted);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed++;
                logger.LogError(e, "Submitting overdue attempt {Attempt} failed; trying it again in {Interval}", id, Interval);
            }
        }

        // Those another server's round submitted meanwhile are done; those that failed are behind.
        metrics.OverdueLeft(failed);
        if (submitted > 0)
        {
            logger.LogInformation("Submitted {Count} overdue attempts", submitted);
        }

        return submitted;
    }
}
