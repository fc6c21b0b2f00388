namespace EduLoop.App.Hosting;

/// <summary>Logs every request as a structured event and flags those slower than a second.</summary>
public sealed partial class RequestTimingMiddleware(ILogger<RequestTimingMiddleware> logger, TimeProvider clock) : IMiddleware
{
    public static readonly TimeSpan SlowRequest = TimeSpan.FromSeconds(1);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var started = clock.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = clock.GetElapsedTime(started);
            // Long-lived connections (the Blazor circuit, WebSockets) are not slow requests.
            var isStreaming = context.WebSockets.IsWebSocketRequest || context.Request.Path.StartsWithSegments("/_blazor");
            if (elapsed >= SlowRequest && !isStreaming)
            {
                LogSlow(context.Request.Method, context.Request.Path, context.Response.StatusCode, elapsed.TotalMilliseconds);
            }
            else
            {
                LogRequest(context.Request.Method, context.Request.Path, context.Response.StatusCode, elapsed.TotalMilliseconds);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms")]
    private partial void LogRequest(string method, string path, int statusCode, double elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Slow request: {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms")]
    private partial void LogSlow(string method, string path, int statusCode, double elapsedMs);
}
