using System.Diagnostics.Metrics;

namespace EduLoop.Domain;

/// <summary>
/// EduLoop's own measurements, on the meter <see cref="MeterName"/> (published on <c>/metrics</c> with
/// ASP.NET Core's, EF Core's and Npgsql's): answer saves and their commit time, cached reads and the
/// loads they caused by the kinds of data read, open circuits and the overdue backlog.
/// </summary>
public sealed class EduLoopMetrics
{
    public const string MeterName = "EduLoop";

    private readonly Counter<long> _answersSaved;
    private readonly Histogram<double> _commitDuration;
    private readonly Counter<long> _cacheRequests;
    private readonly Counter<long> _cacheMisses;
    private long _openCircuits;
    private long _overdue;

    public EduLoopMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _answersSaved = meter.CreateCounter<long>("eduloop.answers.saved", "{answer}", "Answer saves acknowledged, each after its group's commit.");
        _commitDuration = meter.CreateHistogram<double>("eduloop.answers.commit.duration", "s",
            "From the start of a group of answer saves to its commit.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _cacheRequests = meter.CreateCounter<long>("eduloop.cache.requests", "{request}", "Cached reads, by the kinds of data they read.");
        _cacheMisses = meter.CreateCounter<long>("eduloop.cache.misses", "{request}", "Cached reads that had to load the value, by the kinds of data they read.");
        meter.CreateObservableUpDownCounter("eduloop.circuits.open", () => Interlocked.Read(ref _openCircuits), "{circuit}",
            "Open Blazor circuits (pages with a live connection) on this server.");
        meter.CreateObservableGauge("eduloop.attempts.overdue", () => Interlocked.Read(ref _overdue), "{attempt}",
            "Attempts past their deadline that the last round could not submit (normally 0).");
    }

    public void AnswersSaved(int count, TimeSpan commit)
    {
        _answersSaved.Add(count);
        _commitDuration.Record(commit.TotalSeconds);
    }

    public void CacheRequested(string kind) => _cacheRequests.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void CacheMissed(string kind) => _cacheMisses.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void CircuitOpened() => Interlocked.Increment(ref _openCircuits);

    public void CircuitClosed() => Interlocked.Decrement(ref _openCircuits);

    public void OverdueLeft(long count) => Interlocked.Exchange(ref _overdue, count);
}
