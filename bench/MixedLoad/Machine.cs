using System.Diagnostics;
using System.Globalization;

namespace MixedLoad;

/// <summary>CPU time of the server, of this generator and of the whole machine, to say who had the two cores.</summary>
internal sealed record CpuSample(double ServerSeconds, double GeneratorSeconds, double MachineBusySeconds, double MachineTotalSeconds, long Timestamp)
{
    /// <summary>Linux counts process and machine times in clock ticks of 1/100 s.</summary>
    private const double TicksPerSecond = 100;

    public static CpuSample Take(int? serverPid)
    {
        double server = 0;
        if (serverPid is { } pid && File.Exists($"/proc/{pid}/stat"))
        {
            // The fields after the command's closing parenthesis; utime and stime are the 14th and 15th of the line.
            var line = File.ReadAllText($"/proc/{pid}/stat");
            var fields = line[(line.LastIndexOf(')') + 2)..].Split(' ');
            server = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }

        double busy = 0, total = 0;
        if (File.Exists("/proc/stat"))
        {
            var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            total = cpu.Take(8).Sum() / TicksPerSecond;
            busy = total - (cpu[3] + cpu[4]) / TicksPerSecond; // less idle and iowait
        }

        return new CpuSample(server, Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, busy, total, Stopwatch.GetTimestamp());
    }

    /// <summary>"server 0.93 cores, generator 0.31, machine 71 % busy" between two samples.</summary>
    public static string Describe(CpuSample before, CpuSample after)
    {
        var seconds = Clock.Seconds(after.Timestamp - before.Timestamp);
        var busy = after.MachineTotalSeconds > before.MachineTotalSeconds
            ? (after.MachineBusySeconds - before.MachineBusySeconds) / (after.MachineTotalSeconds - before.MachineTotalSeconds)
            : 0;
        var server = (after.ServerSeconds - before.ServerSeconds) / seconds;
        var generator = (after.GeneratorSeconds - before.GeneratorSeconds) / seconds;
        // The machine is shared: what neither the server nor the generator used went to other work.
        var others = Math.Max(0, busy * Environment.ProcessorCount - server - generator);
        return string.Create(CultureInfo.InvariantCulture,
            $"server {server:0.00} cores, generator {generator:0.00}, other processes {others:0.00}; machine {busy * 100:0} % busy ({Environment.ProcessorCount} cores)");
    }
}
