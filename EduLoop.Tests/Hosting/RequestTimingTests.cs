using EduLoop.App.Hosting;

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EduLoop.Tests.Hosting;

public sealed class RequestTimingTests
{
    [Fact]
    public async Task InvokeAsync_SlowRequest_IsLoggedAsAWarning()
    {
        var logger = new CapturingLogger();
        var middleware = new RequestTimingMiddleware(logger, new SteppingClock(TimeSpan.FromSeconds(2)));
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/api/groups/";

        await middleware.InvokeAsync(context, _ => Task.CompletedTask);

        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("Slow request: GET /api/groups/", entry.Message);
    }

    [Fact]
    public async Task InvokeAsync_FastRequest_IsLoggedAtDebugOnly()
    {
        var logger = new CapturingLogger();
        var middleware = new RequestTimingMiddleware(logger, new SteppingClock(TimeSpan.FromMilliseconds(5)));
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/";

        await middleware.InvokeAsync(context, _ => Task.CompletedTask);

        Assert.Equal(LogLevel.Debug, Assert.Single(logger.Entries).Level);
    }

    [Fact]
    public async Task InvokeAsync_FailingRequest_IsStillLogged()
    {
        var logger = new CapturingLogger();
        var middleware = new RequestTimingMiddleware(logger, new SteppingClock(TimeSpan.FromSeconds(3)));

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            middleware.InvokeAsync(new DefaultHttpContext(), _ => throw new InvalidOperationException()));

        Assert.Equal(LogLevel.Warning, Assert.Single(logger.Entries).Level);
    }

    /// <summary>A clock whose every reading is <paramref name="step"/> after the previous one.</summary>
    private sealed class SteppingClock(TimeSpan step) : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _ticks, step.Ticks);
    }

    private sealed class CapturingLogger : ILogger<RequestTimingMiddleware>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
