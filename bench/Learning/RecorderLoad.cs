using System.Diagnostics;
using EduLoop.Domain.Learning;
using EduLoop.Domain.QuestionBank;
using Microsoft.Extensions.DependencyInjection;

namespace Learning;

/// <summary>
/// Graded practice answers through the recorder, as the practice page sends them: CONCURRENCY
/// students each answer, wait for the acknowledgement and answer again, for a fixed time. Reports
/// acknowledged answers per second and their latency.
/// </summary>
public static class RecorderLoad
{
    /// <param name="wholeBank">Answers spread over every question of the bank, not the first 2,000.</param>
    public static async Task RunAsync(string dataDirectory, int concurrency, TimeSpan duration, bool wholeBank = false)
    {
        await using var services = LearningData.Services(dataDirectory);
        var recorder = services.GetRequiredService<ReviewRecorder>();
        var fixture = LearningData.Load(dataDirectory);
        var contexts = services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<EduLoop.Domain.Data.EduLoopDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        // Students outside the heatmap's class and other than the heavy one, so that a run leaves the timed reads' data as it was.
        var students = db.Users.Where(u => u.Email!.StartsWith("learner-") && u.Email != "learner-0@bench.local" && !db.ClassMemberships.Any(m => m.UserId == u.Id))
            .OrderBy(u => u.Email).Select(u => u.Id).Take(concurrency).ToList();
        var questions = db.Questions.OrderBy(q => q.Id).Select(q => q.Id).Take(wholeBank ? int.MaxValue : 2_000).ToList();
        var latencies = new List<double>[concurrency];
        var stop = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = [];
            var random = new Random(w);
            while (stop.Elapsed < duration)
            {
                var rating = (Rating)(1 + random.Next(4));
                var started = Stopwatch.GetTimestamp();
                await recorder.RecordAsync(new GradedAnswer(students[w], questions[random.Next(questions.Count)], QuestionType.Mcq, DateTime.UtcNow,
                    new AnswerCheck(rating != Rating.Again, rating == Rating.Again ? 0m : 1m), rating, ReviewSource.Practice, TimeTakenMs: 8_000, Chosen: ["A"]));
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })).ToList();
        await Task.WhenAll(workers);
        var all = latencies.SelectMany(l => l).Order().ToList();
        var seconds = stop.Elapsed.TotalSeconds;
        Console.WriteLine(FormattableString.Invariant(
            $"RESULT recorder: questions={questions.Count} concurrency={concurrency} answers={all.Count} rps={all.Count / seconds:0} p50_ms={all[all.Count / 2]:0.0} p99_ms={all[(int)(all.Count * 0.99)]:0.0}"));
        _ = fixture;
    }
}
