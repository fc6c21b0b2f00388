using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EduLoop.Tests.Infrastructure;

/// <summary>
/// A throwaway Redis server for the tests of several servers: <c>redis-server</c> on a free loopback
/// port, its files in a temp folder, nothing saved to disk; stopped and started again on the same port
/// by the tests of an outage, killed at the end. Without redis-server the fixture fails: CI installs it
/// (apt-get install redis-server), and a skipped test would hide a gap.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private readonly TempDirectory _root = new();
    private Process? _process;

    public int Port { get; private set; }

    /// <summary>The configuration string EduLoop takes in <c>EduLoop:Redis</c>.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        Port = Deployed.FreePort();
        await StartAsync();
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _root.Path,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--dir", _root.Path, "--save", "", "--appendonly", "no", "--daemonize", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed: apt-get install redis-server. The tests of several servers need it.", e);
        }

        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Kills the server, as a crash or a lost machine would.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        _root.Dispose();
    }
}
