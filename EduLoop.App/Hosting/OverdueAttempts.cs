using EduLoop.Domain.Quizzes;

namespace EduLoop.App.Hosting;

/// <summary>
/// Submits attempts whose deadline has passed, with what was saved, every few seconds: a student who
/// closed the tab or lost the connection still gets the attempt graded on time.
/// </summary>
public sealed class OverdueAttempts(IServiceScopeFactory scopes, TimeProvider clock, ILogger<OverdueAttempts> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            await RunOnceAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One round; returns how many attempts it submitted. A failure is logged and the next round tries again.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var submitted = await scope.ServiceProvider.GetRequiredService<AttemptService>().SubmitOverdueAsync(cancellationToken);
            if (submitted > 0)
            {
                logger.LogInformation("Submitted {Count} overdue attempts", submitted);
            }

            return submitted;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Submitting overdue attempts failed; trying again in {Interval}", Interval);
            return 0;
        }
    }
}
