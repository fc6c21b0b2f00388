using BenchmarkDotNet.Attributes;
using EduLoop.Domain;
using EduLoop.Domain.Learning;
using EduLoop.Domain.Quizzes.Statistics;
using Microsoft.Extensions.DependencyInjection;

namespace Learning;

/// <summary>The learning reads as a page or the API asks them, each through its domain service.</summary>
[MemoryDiagnoser]
public class LearningReads
{
    public static string DataDirectory { get; set; } = "";

    private ServiceProvider _services = null!;
    private AsyncServiceScope _scope;
    private Fixture _fixture = null!;
    private LearningService _learning = null!;
    private QuizStatisticsService _statistics = null!;

    [GlobalSetup]
    public void Setup()
    {
        _services = LearningData.Services(DataDirectory);
        _scope = _services.CreateAsyncScope();
        _fixture = LearningData.Load(DataDirectory);
        _learning = _scope.ServiceProvider.GetRequiredService<LearningService>();
        _statistics = _scope.ServiceProvider.GetRequiredService<QuizStatisticsService>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _scope.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _services.Dispose();
    }

    /// <summary>Budget: under 10 ms for a student with 50,000 states.</summary>
    [Benchmark]
    public Task<DueToday> DueToday() => _learning.DueTodayAsync(_fixture.HeavyStudentId);

    /// <summary>No budget in the issue; the student's whole progress page over 50,000 states.</summary>
    [Benchmark]
    public Task<LearningProgress> Progress() => _learning.ProgressAsync(_fixture.HeavyStudentId);

    /// <summary>Budget: under 100 ms for 40 students × 200 subcategories.</summary>
    [Benchmark]
    public Task<ClassProgress> ClassHeatmap() => _learning.ClassProgressAsync(_fixture.ClassId, Actor.Admin(_fixture.AdminId));

    /// <summary>Budget: under 200 ms for 1,000 attempts × 50 slots.</summary>
    [Benchmark]
    public Task<QuizStatisticsReport> QuizStatistics() => _statistics.GetAsync(_fixture.QuizId);
}
