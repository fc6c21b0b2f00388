using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace EduLoop.App.Scaling;

/// <summary>
/// The console's log lines with the server's name in each (<see cref="ServerName"/>), so that the
/// logs of several servers, gathered in one place, say which server wrote what:
/// <c>2026-12-06T22:41:07Z warn [eduloop-1] EduLoop.App.Hosting.DailyBackups: …</c>.
/// </summary>
public sealed class ServerLogFormatter(IOptionsMonitor<ServerLogFormatterOptions> options) : ConsoleFormatter(Name)
{
    public new const string Name = "eduloop";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        textWriter.Write(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        textWriter.Write(' ');
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(" [");
        textWriter.Write(options.CurrentValue.ServerName);
        textWriter.Write("] ");
        textWriter.Write(logEntry.Category);
        textWriter.Write(": ");
        textWriter.WriteLine(message);
        if (logEntry.Exception is not null)
        {
            textWriter.WriteLine(logEntry.Exception.ToString());
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}

public sealed class ServerLogFormatterOptions : ConsoleFormatterOptions
{
    public string ServerName { get; set; } = Environment.MachineName;
}
