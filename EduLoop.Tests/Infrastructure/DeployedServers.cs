using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace EduLoop.Tests.Infrastructure;

/// <summary>
/// EduLoop as a school installs it: published once per test run (<c>dotnet publish</c> of the build
/// the tests run from), started as <c>deploy/systemd/eduloop@.service</c> says, behind nginx with
/// <c>deploy/nginx/eduloop.conf</c>. Only what names this machine changes: paths, ports.
/// </summary>
public static partial class Deployed
{
    private static readonly Lazy<Task<string>> Published = new(PublishAsync);

    /// <summary>The published app's folder, as /opt/eduloop.</summary>
    public static Task<string> AppAsync() => Published.Value;

    private static async Task<string> PublishAsync()
    {
        var output = Path.Combine(Path.GetTempPath(), "eduloop-published-" + Guid.NewGuid().ToString("N")[..8]);
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        };
        await Processes.RunAsync("dotnet", RepositoryPaths.Root,
            "publish", RepositoryPaths.Combine("EduLoop.App", "EduLoop.App.csproj"), "-c", configuration, "--no-build", "--nologo", "-o", output);
        return output;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One EduLoop server started from the systemd unit: its environment, its command, its port as the instance.</summary>
public sealed partial class UnitServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private UnitServer(Process process, int port)
    {
        _process = process;
        Port = port;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/";

    /// <summary>What the server wrote to its console so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the unit's command with the unit's environment: <c>Environment=</c> lines with %i (the
    /// port) and %H (this machine) filled in, then the <c>EnvironmentFile=</c>, which systemd lets win;
    /// <paramref name="paths"/> puts this machine's folders for the unit's (/opt/eduloop, /var/lib/eduloop, /etc/eduloop/eduloop.env).
    /// </summary>
    public static async Task<UnitServer> StartAsync(int port, IReadOnlyDictionary<string, string> paths)
    {
        var unit = await File.ReadAllLinesAsync(RepositoryPaths.Combine("deploy", "systemd", "eduloop@.service"));
        string Fill(string text)
        {
            text = text.Replace("%i", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("%H", Environment.MachineName, StringComparison.Ordinal);
            foreach (var (unitPath, path) in paths)
            {
                text = text.Replace(unitPath, path, StringComparison.Ordinal);
            }

            return text;
        }

        var settings = unit.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToList();
        var execStart = Fill(settings.Single(s => s[0] == "ExecStart")[1]).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = new ProcessStartInfo(execStart[0] == "/usr/bin/dotnet" && !File.Exists(execStart[0]) ? "dotnet" : execStart[0])
        {
            WorkingDirectory = Fill(settings.Single(s => s[0] == "WorkingDirectory")[1]),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in execStart.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        // Only what the unit gives: none of the test run's own settings.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("EduLoop", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var environment in settings.Where(s => s[0] == "Environment").Select(s => Fill(s[1]).Split('=', 2)))
        {
            start.Environment[environment[0]] = environment[1];
        }

        foreach (var line in await File.ReadAllLinesAsync(Fill(settings.Single(s => s[0] == "EnvironmentFile")[1])))
        {
            if (line.Trim() is { Length: > 0 } setting && !setting.StartsWith('#') && setting.Split('=', 2) is [var name, var value])
            {
                start.Environment[name] = value;
            }
        }

        var server = new UnitServer(Process.Start(start) ?? throw new InvalidOperationException("EduLoop did not start."), port);
        await server.WaitUntilReadyAsync();
        return server;
    }

    /// <summary>Kills the server at once, as a crash or a pulled plug would: no shutdown, no goodbye to its browsers.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"EduLoop on port {Port} exited with {_process.ExitCode}:{Environment.NewLine}{Log}");
            }

            try
            {
                if ((await client.GetAsync(Url + "health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"EduLoop on port {Port} was not ready in 2 minutes:{Environment.NewLine}{Log}");
            }

            await Task.Delay(200);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}

/// <summary>nginx with the site from deploy/, its upstream servers and listen port set to these, in a folder of its own.</summary>
public sealed partial class NginxServer : IAsyncDisposable
{
    private readonly TempDirectory _root;
    private readonly Process _process;

    private NginxServer(Process process, int port, TempDirectory root)
    {
        _process = process;
        Port = port;
        _root = root;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/";

    public static async Task<NginxServer> StartAsync(IReadOnlyList<int> upstreams)
    {
        var root = new TempDirectory();
        var port = Deployed.FreePort();
        var site = await File.ReadAllTextAsync(RepositoryPaths.Combine("deploy", "nginx", "eduloop.conf"));
        var servers = UpstreamServer().Matches(site);
        if (servers.Count != upstreams.Count)
        {
            throw new InvalidOperationException($"The site lists {servers.Count} servers; the test starts {upstreams.Count}.");
        }

        var index = 0;
        site = UpstreamServer().Replace(site, m => $"server 127.0.0.1:{upstreams[index++]}{m.Groups["rest"].Value}");
        site = Listen().Replace(site, $"listen 127.0.0.1:{port};");
        await File.WriteAllTextAsync(Path.Combine(root.Path, "eduloop.conf"), site);
        var temp = root.Path;
        await File.WriteAllTextAsync(Path.Combine(root.Path, "nginx.conf"), $$"""
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            worker_processes 1;
            daemon off;
            pid {{temp}}/nginx.pid;
            error_log {{temp}}/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{temp}}/body;
                proxy_temp_path {{temp}}/proxy;
                fastcgi_temp_path {{temp}}/fastcgi;
                uwsgi_temp_path {{temp}}/uwsgi;
                scgi_temp_path {{temp}}/scgi;
                include {{temp}}/eduloop.conf;
            }
            """);
        var start = new ProcessStartInfo(File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-p", temp, "-c", Path.Combine(temp, "nginx.conf") })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("nginx is not installed: apt-get install nginx. The tests of several servers need it.", e);
        }

        var server = new NginxServer(process, port, root);
        await server.WaitForPortAsync(temp);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _root.Dispose();
    }

    private async Task WaitForPortAsync(string temp)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                if (_process.HasExited)
                {
                    var log = Path.Combine(temp, "error.log");
                    throw new InvalidOperationException($"nginx exited with {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()} {(File.Exists(log) ? await File.ReadAllTextAsync(log) : "")}");
                }

                await Task.Delay(50);
            }
        }
    }

    [GeneratedRegex(@"server 127\.0\.0\.1:\d+(?<rest>[^;]*;)")]
    private static partial Regex UpstreamServer();

    [GeneratedRegex(@"listen 80;")]
    private static partial Regex Listen();
}

/// <summary>Runs a program to its end; its output in the exception when it fails.</summary>
public static class Processes
{
    public static async Task RunAsync(string program, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }
}
