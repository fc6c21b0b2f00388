namespace EduLoop.Domain;

public static class Clock
{
    /// <summary>Now in UTC, to the whole second, as the original service stored and showed times.</summary>
    public static DateTime UtcNowToSecond(this TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
    }
}
