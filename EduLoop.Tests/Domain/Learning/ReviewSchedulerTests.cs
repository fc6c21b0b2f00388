using EduLoop.Domain.Learning;
using FsCheck;
using FsCheck.Fluent;

namespace EduLoop.Tests.Domain.Learning;

/// <summary>The scheduler against py-fsrs's reference schedule (fuzz off), its steps, and its invariants.</summary>
public sealed class ReviewSchedulerTests
{
    private static readonly DateTime _start = new(2022, 11, 29, 12, 30, 0, DateTimeKind.Utc);

    [Fact]
    public void Review_ReferenceSequenceAtEachDueTime_GivesTheReferenceIntervals()
    {
        Rating[] ratings =
        [
            Rating.Good, Rating.Good, Rating.Good, Rating.Good, Rating.Good, Rating.Good,
            Rating.Again, Rating.Again,
            Rating.Good, Rating.Good, Rating.Good, Rating.Good, Rating.Good,
        ];
        var schedule = ReviewSchedule.New(_start);
        var intervals = new List<int>();

        foreach (var rating in ratings)
        {
            schedule = ReviewScheduler.Default.Review(schedule, rating, schedule.Due);
            intervals.Add((schedule.Due - schedule.LastReview!.Value).Days);
        }

        Assert.Equal([0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21], intervals);
    }

    [Fact]
    public void Review_ReferenceMemoryHistory_GivesTheReferenceMemory()
    {
        (int Days, Rating Rating)[] history = [(0, Rating.Again), (0, Rating.Good), (1, Rating.Good), (3, Rating.Good), (8, Rating.Good), (21, Rating.Good)];
        var schedule = ReviewSchedule.New(_start);
        var at = _start;

        foreach (var (days, rating) in history)
        {
            at = at.AddDays(days);
            schedule = ReviewScheduler.Default.Review(schedule, rating, at);
        }

        Assert.True(Math.Abs(schedule.Memory!.Stability - 53.62691) <= 53.62691 * 1e-4, $"stability {schedule.Memory.Stability}");
        Assert.True(Math.Abs(schedule.Memory.Difficulty - 6.3574867) <= 6.3574867 * 1e-4, $"difficulty {schedule.Memory.Difficulty}");
    }

    [Fact]
    public void Review_NewQuestion_WalksTheLearningSteps()
    {
        var first = ReviewScheduler.Default.Review(ReviewSchedule.New(_start), Rating.Good, _start);
        Assert.Equal((LearningPhase.Learning, 1, TimeSpan.FromMinutes(10)), (first.Phase, first.Step, first.Due - _start));

        var again = ReviewScheduler.Default.Review(ReviewSchedule.New(_start), Rating.Again, _start);
        Assert.Equal((LearningPhase.Learning, 0, TimeSpan.FromMinutes(1)), (again.Phase, again.Step, again.Due - _start));

        var hard = ReviewScheduler.Default.Review(ReviewSchedule.New(_start), Rating.Hard, _start);
        Assert.Equal((LearningPhase.Learning, 0, TimeSpan.FromMinutes(5.5)), (hard.Phase, hard.Step, hard.Due - _start));

        var easy = ReviewScheduler.Default.Review(ReviewSchedule.New(_start), Rating.Easy, _start);
        Assert.Equal(LearningPhase.Review, easy.Phase);
        Assert.Null(easy.Step);
        Assert.Equal(ReviewScheduler.Default.IntervalDays(easy.Memory!), (easy.Due - _start).Days);
    }

    [Fact]
    public void Review_LapseOfALearntQuestion_RelearnsThenReturnsToReview()
    {
        var schedule = ReviewSchedule.New(_start);
        foreach (var rating in new[] { Rating.Good, Rating.Good, Rating.Good })
        {
            schedule = ReviewScheduler.Default.Review(schedule, rating, schedule.Due);
        }

        var lapse = ReviewScheduler.Default.Review(schedule, Rating.Again, schedule.Due);
        Assert.Equal((LearningPhase.Relearning, 0, TimeSpan.FromMinutes(10)), (lapse.Phase, lapse.Step, lapse.Due - lapse.LastReview!.Value));
        Assert.True(lapse.Memory!.Stability < schedule.Memory!.Stability);

        var relearnt = ReviewScheduler.Default.Review(lapse, Rating.Good, lapse.Due);
        Assert.Equal(LearningPhase.Review, relearnt.Phase);
    }

    [Fact]
    public void Review_NoSteps_GoesStraightToDays()
    {
        var scheduler = new ReviewScheduler(MemoryModel.Default, 0.9, [], []);

        var first = scheduler.Review(ReviewSchedule.New(_start), Rating.Again, _start);
        Assert.Equal(LearningPhase.Review, first.Phase);
        Assert.Equal(TimeSpan.FromDays(1), first.Due - _start);

        var lapse = scheduler.Review(first, Rating.Again, first.Due);
        Assert.Equal(LearningPhase.Review, lapse.Phase);
    }

    [Fact]
    public void Review_StepBeyondFewerStepsThanBefore_Graduates()
    {
        var memory = MemoryModel.Default.Initial(Rating.Good);
        var schedule = new ReviewSchedule(LearningPhase.Learning, 5, memory, _start, _start.AddMinutes(10));

        var next = ReviewScheduler.Default.Review(schedule, Rating.Hard, _start.AddMinutes(10));

        Assert.Equal(LearningPhase.Review, next.Phase);
    }

    [Fact]
    public void Review_LocalTime_IsRefused() =>
        Assert.Throws<ArgumentException>(() => ReviewScheduler.Default.Review(ReviewSchedule.New(_start), Rating.Good, DateTime.Now));

    [Fact]
    public void Retrievability_CountsWholeDaysSinceTheLastReview()
    {
        var schedule = ReviewScheduler.Default.Review(ReviewSchedule.New(_start), Rating.Easy, _start);
        var stability = schedule.Memory!.Stability;

        Assert.Equal(0, ReviewScheduler.Default.Retrievability(ReviewSchedule.New(_start), _start));
        Assert.Equal(1, ReviewScheduler.Default.Retrievability(schedule, _start.AddHours(23)));
        Assert.Equal(MemoryModel.Default.Retrievability(2, stability), ReviewScheduler.Default.Retrievability(schedule, _start.AddHours(71)));
    }

    [Fact]
    public void Review_AnyRatingsAtAnyTimes_KeepsMemoryInRangeAndDueAfterTheReview()
    {
        var gap = Gen.Frequency((2, Gen.Choose(0, 59).Select(m => TimeSpan.FromMinutes(m))), (1, Gen.Choose(0, 24 * 400).Select(h => TimeSpan.FromHours(h))));
        var step = gap.SelectMany(_ => Gen.Elements(Rating.Again, Rating.Hard, Rating.Good, Rating.Easy), (g, r) => (g, r));
        Prop.ForAll(Gen.NonEmptyListOf(step).ToArbitrary(), steps =>
            {
                var schedule = ReviewSchedule.New(_start);
                var at = _start;
                foreach (var (g, rating) in steps)
                {
                    at += g;
                    schedule = ReviewScheduler.Default.Review(schedule, rating, at);
                    var memory = schedule.Memory!;
                    var interval = schedule.Due - at;
                    if (!(memory.Stability > 0 && memory.Difficulty is >= 1 and <= 10 && interval > TimeSpan.Zero && interval <= TimeSpan.FromDays(36_500)))
                    {
                        return false;
                    }

                    if ((schedule.Phase == LearningPhase.Review) != (schedule.Step is null))
                    {
                        return false;
                    }
                }

                var r = ReviewScheduler.Default.Retrievability(schedule, at);
                return r is > 0 and <= 1 && ReviewScheduler.Default.Retrievability(schedule, at.AddDays(3)) < r;
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }
}
