namespace EduLoop.Domain.Quizzes.Statistics;

/// <summary>
/// One slot of a quiz as the statistics see it: its maximum mark and, where the question type has one,
/// the score a random guess would get on average (a fraction of the maximum, e.g. 0.25 for four
/// choices), shown beside the facility.
/// </summary>
public sealed record StatisticsSlot(double MaxMark, double? RandomGuessScore = null);

/// <summary>
/// The test statistics of a quiz's attempts, as Moodle's quiz statistics report defines them. Figures
/// are null where Moodle shows none (too few attempts, or a variance of 0).
/// </summary>
/// <param name="Attempts">The number of attempts.</param>
/// <param name="Mean">The mean total mark.</param>
/// <param name="Median">The median total mark (the mean of the middle two for an even number of attempts).</param>
/// <param name="StandardDeviation">The sample standard deviation of the total marks (n − 1).</param>
/// <param name="Skewness">The skewness of the total marks (k3 / k2^1.5); from 3 attempts.</param>
/// <param name="Kurtosis">The excess kurtosis of the total marks (k4 / k2²); from 4 attempts.</param>
/// <param name="InternalConsistency">Coefficient of internal consistency (Cronbach's alpha) in %; from 3 attempts and 2 slots.</param>
/// <param name="ErrorRatio">The share of the standard deviation due to chance, in %: 100·√(1 − cic/100).</param>
/// <param name="StandardError">The standard error of a total mark: error ratio × standard deviation / 100.</param>
public sealed record TestStatistics(
    int Attempts, double? Mean, double? Median, double? StandardDeviation, double? Skewness, double? Kurtosis,
    double? InternalConsistency, double? ErrorRatio, double? StandardError);

/// <summary>
/// The statistics of one slot, as Moodle's quiz statistics report defines them. "The rest of the test"
/// is an attempt's total mark less this slot's mark. Null where Moodle shows none.
/// </summary>
/// <param name="Slot">The slot's number, from 1.</param>
/// <param name="MaxMark">The slot's maximum mark.</param>
/// <param name="Attempts">Moodle's s: the number of attempts at the slot.</param>
/// <param name="Facility">The mean mark over the maximum mark, a fraction (Moodle shows it in %).</param>
/// <param name="StandardDeviation">The sample standard deviation of mark / maximum mark.</param>
/// <param name="RandomGuessScore">The slot's random guess score as given, a fraction.</param>
/// <param name="IntendedWeight">The slot's maximum mark as a share of the quiz's, in %.</param>
/// <param name="EffectiveWeight">
/// The slot's share of the spread of total marks, in %: √(its covariance with the total) over the sum of
/// those roots; null when that covariance is negative.
/// </param>
/// <param name="DiscriminationIndex">The correlation of the slot's mark with the rest of the test, in %.</param>
/// <param name="DiscriminativeEfficiency">The covariance with the rest of the test over its largest possible value (<see cref="CovarianceMax"/>), in %.</param>
/// <param name="MarkVariance">The sample variance of the slot's marks.</param>
/// <param name="OtherMarkVariance">The sample variance of the rest of the test.</param>
/// <param name="Covariance">The sample covariance of the slot's mark with the rest of the test.</param>
/// <param name="CovarianceMax">The covariance with both lists sorted: the largest the covariance could be with the same marks.</param>
/// <param name="CovarianceWithTotal">The sample covariance of the slot's mark with the total mark.</param>
public sealed record SlotStatistics(
    int Slot, double MaxMark, int Attempts, double? Facility, double? StandardDeviation, double? RandomGuessScore, double? IntendedWeight,
    double? EffectiveWeight, double? DiscriminationIndex, double? DiscriminativeEfficiency,
    double? MarkVariance, double? OtherMarkVariance, double? Covariance, double? CovarianceMax, double? CovarianceWithTotal);

/// <summary>A quiz's test statistics and the statistics of each of its slots, in slot order.</summary>
public sealed record QuizStatistics(TestStatistics Test, IReadOnlyList<SlotStatistics> Slots);
