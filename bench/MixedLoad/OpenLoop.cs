using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using HdrHistogram;

namespace MixedLoad;

/// <summary>
/// One request of a kind: its index in the kind's schedule and the time it was due (a
/// <see cref="Stopwatch"/> timestamp). It records its own outcome in the phase.
/// </summary>
internal delegate Task RequestAction(long index, long due, Phase phase);

/// <summary>A kind of request and its fixed arrival rate (requests per second).</summary>
internal sealed record RequestKind(string Name, double Rate, RequestAction Send);

/// <summary>
/// The outcome of one kind of request in one phase. Latency runs from the time a request was due,
/// not from the time it went out: a request that waited behind others (in the generator, a
/// connection or the server) shows that wait.
/// </summary>
internal sealed class KindStats
{
    private const int MaxErrorSamples = 3;

    private long _ok;
    private long _lastCompletion;
    private readonly ConcurrentQueue<string> _errorSamples = new();

    /// <summary>Microseconds, 1 µs to 10 minutes, three significant digits.</summary>
    public LongConcurrentHistogram Latency { get; } = new(1, 600_000_000, 3);

    public long Ok => Interlocked.Read(ref _ok);

    /// <summary>Failures by what went wrong: <c>HTTP 409</c>, <c>timeout</c>, an exception's name.</summary>
    public ConcurrentDictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

    public long ErrorCount => Errors.Values.Sum();

    /// <summary>The first few failures as they happened, for the report.</summary>
    public IEnumerable<string> ErrorSamples => _errorSamples;

    /// <summary>When the last request of the phase completed (a timestamp); 0 when none did.</summary>
    public long LastCompletion => Interlocked.Read(ref _lastCompletion);

    public void Succeeded(long due, long completed)
    {
        Record(due, completed);
        Interlocked.Increment(ref _ok);
    }

    public void Failed(long due, long completed, string error, string detail)
    {
        Record(due, completed);
        Errors.AddOrUpdate(error, 1, static (_, n) => n + 1);
        if (_errorSamples.Count < MaxErrorSamples)
        {
            _errorSamples.Enqueue(detail);
        }
    }

    /// <summary>The slowest request (µs) by the second of the phase it was due in, for the timeline.</summary>
    public ConcurrentDictionary<long, long> SlowestBySecond { get; } = new();

    /// <summary>The timestamp the phase's seconds count from.</summary>
    public long Origin { get; init; }

    private void Record(long due, long completed)
    {
        var latency = Math.Max(1, Clock.Microseconds(completed - due));
        Latency.RecordValue(latency);
        SlowestBySecond.AddOrUpdate((long)Math.Floor(Clock.Seconds(due - Origin)), latency, (_, slowest) => Math.Max(slowest, latency));
        long last;
        while ((last = Interlocked.Read(ref _lastCompletion)) < completed
            && Interlocked.CompareExchange(ref _lastCompletion, completed, last) != last)
        {
        }
    }
}

/// <summary>One measured stretch of load: the kinds' outcomes, the generator's own punctuality, the requests still out.</summary>
internal sealed class Phase(string name, long start, TimeSpan duration)
{
    private readonly ConcurrentDictionary<string, KindStats> _stats = new(StringComparer.Ordinal);
    private long _inFlight;

    public string Name { get; } = name;

    /// <summary>The timestamp the schedules count from.</summary>
    public long Start { get; } = start;

    public TimeSpan Duration { get; } = duration;

    /// <summary>How late the generator sent requests (µs past their due time): the part of latency that is the generator's own.</summary>
    public LongConcurrentHistogram SendLag { get; } = new(1, 600_000_000, 3);

    /// <summary>The order kinds first recorded in, for the report.</summary>
    public ConcurrentQueue<string> Order { get; } = new();

    public long InFlight => Interlocked.Read(ref _inFlight);

    public KindStats this[string kind] => _stats.GetOrAdd(kind, k =>
    {
        Order.Enqueue(k);
        return new KindStats { Origin = Start };
    });

    public bool Has(string kind) => _stats.ContainsKey(kind);

    public void Sent(long due)
    {
        Interlocked.Increment(ref _inFlight);
        SendLag.RecordValue(Math.Max(1, Clock.Microseconds(Stopwatch.GetTimestamp() - due)));
    }

    public void Done() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Successful requests per second: over the phase, or until its last answer came when that was later (a server that fell behind).</summary>
    public double Throughput(string kind)
    {
        var stats = this[kind];
        var end = Math.Max(Start + Clock.Ticks(Duration), stats.LastCompletion);
        return stats.Ok / Clock.Seconds(end - Start);
    }
}

internal static class Clock
{
    public static long Microseconds(long ticks) => ticks * 1_000_000 / Stopwatch.Frequency;

    public static double Milliseconds(long microseconds) => microseconds / 1000.0;

    public static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    public static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>A percentile in milliseconds; 0 for a histogram without values (which HdrHistogram refuses).</summary>
    public static double PercentileMs(HistogramBase histogram, double percentile) =>
        histogram.TotalCount == 0 ? 0 : Milliseconds(histogram.GetValueAtPercentile(percentile));
}

/// <summary>
/// Sends every kind's requests at their due times, t0 + i / rate, whether or not earlier ones have
/// been answered: an open loop, so a slow server meets the same arrivals and its queue shows in
/// the latencies instead of slowing the generator down (no coordinated omission).
/// </summary>
internal static partial class Dispatcher
{
    /// <summary>Below a millisecond the runtime's sleeps and timers are too coarse; the C library's is not.</summary>
    [LibraryImport("libc", EntryPoint = "usleep")]
    private static partial int USleep(uint microseconds);

    /// <summary>
    /// Runs on the calling thread until the phase's duration is over, then waits (up to
    /// <paramref name="drain"/>) for the requests still out.
    /// </summary>
    public static void Run(Phase phase, IReadOnlyList<RequestKind> kinds, TimeSpan drain)
    {
        var active = kinds.Where(k => k.Rate > 0).ToList();
        var index = new long[active.Count];
        var due = new long[active.Count];
        Array.Fill(due, phase.Start);
        var end = phase.Start + Clock.Ticks(phase.Duration);
        while (true)
        {
            var next = 0;
            for (var k = 1; k < active.Count; k++)
            {
                if (due[k] < due[next])
                {
                    next = k;
                }
            }

            if (active.Count == 0 || due[next] >= end)
            {
                break;
            }

            var wait = Clock.Microseconds(due[next] - Stopwatch.GetTimestamp());
            if (wait > 0)
            {
                USleep((uint)Math.Min(wait, 10_000));
                continue;
            }

            // The request starts on the thread pool: its synchronous part (connection, headers)
            // must not hold up the next due time.
            ThreadPool.UnsafeQueueUserWorkItem(static r => r.Fire(), new Scheduled(active[next], index[next], due[next], phase), preferLocal: false);
            index[next]++;
            due[next] = phase.Start + (long)(index[next] * Stopwatch.Frequency / active[next].Rate);
        }

        var giveUp = Stopwatch.GetTimestamp() + Clock.Ticks(drain);
        while (phase.InFlight > 0 && Stopwatch.GetTimestamp() < giveUp)
        {
            Thread.Sleep(5);
        }
    }

    private sealed record Scheduled(RequestKind Kind, long Index, long Due, Phase Phase)
    {
        public void Fire() => _ = Kind.Send(Index, Due, Phase);
    }
}
