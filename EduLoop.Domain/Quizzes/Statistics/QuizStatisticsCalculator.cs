namespace EduLoop.Domain.Quizzes.Statistics;

/// <summary>
/// Computes a quiz's item analysis from a matrix of marks (one row per attempt, one mark per slot)
/// exactly as Moodle's quiz statistics report does, so teachers who know Moodle's figures read the same
/// numbers here. Pure: the caller chooses the attempts (e.g. the finished ones, or each student's first).
/// Variances are sample variances (divided by n − 1), as in Moodle; its fixture quiz is reproduced to
/// its printed precision by the tests.
/// </summary>
public static class QuizStatisticsCalculator
{
    /// <param name="slots">The quiz's slots, in order.</param>
    /// <param name="marks">One row per attempt with the mark of each slot, in the order of <paramref name="slots"/>.</param>
    public static QuizStatistics Calculate(IReadOnlyList<StatisticsSlot> slots, IReadOnlyList<IReadOnlyList<double>> marks)
    {
        for (var row = 0; row < marks.Count; row++)
        {
            if (marks[row].Count != slots.Count)
            {
                throw new ArgumentException($"Attempt {row + 1} has {marks[row].Count} marks for {slots.Count} slots.", nameof(marks));
            }
        }

        var totals = marks.Select(row => row.Sum()).ToArray();
        var slotStatistics = SlotsOf(slots, marks, totals);
        var sumOfMarkVariance = slotStatistics.Sum(s => s.MarkVariance ?? 0);
        return new QuizStatistics(TestOf(totals, slots.Count, sumOfMarkVariance), slotStatistics);
    }

    private static TestStatistics TestOf(double[] totals, int slotCount, double sumOfMarkVariance)
    {
        var n = totals.Length;
        if (n == 0)
        {
            return new TestStatistics(0, null, null, null, null, null, null, null, null);
        }

        var mean = totals.Average();
        var median = Median(totals);
        if (n == 1)
        {
            return new TestStatistics(1, mean, median, null, null, null, null, null, null);
        }

        double power2 = 0, power3 = 0, power4 = 0;
        foreach (var total in totals)
        {
            var d = total - mean;
            power2 += d * d;
            power3 += d * d * d;
            power4 += d * d * d * d;
        }

        var standardDeviation = Math.Sqrt(power2 / (n - 1));
        double? skewness = null, kurtosis = null, cic = null, errorRatio = null, standardError = null;
        // Moodle's figures from the sample's k-statistics, from 3 attempts (kurtosis from 4) and a spread above 0.
        // Totals that are all equal have no spread, though their rounded mean may leave a trace of one.
        var k2 = AllEqual(totals) ? 0 : power2 / (n - 1);
        if (n > 2 && k2 != 0)
        {
            var (m2, m3, m4) = (power2 / n, power3 / n, power4 / n);
            var k3 = (double)n * n * m3 / ((n - 1.0) * (n - 2));
            skewness = k3 / Math.Pow(k2, 1.5);
            if (n > 3)
            {
                var k4 = (double)n * n * (((n + 1) * m4) - (3 * (n - 1) * m2 * m2)) / ((n - 1.0) * (n - 2) * (n - 3));
                kurtosis = k4 / (k2 * k2);
            }

            if (slotCount > 1)
            {
                cic = 100.0 * slotCount / (slotCount - 1) * (1 - (sumOfMarkVariance / k2));
                // cic is at most 100 in exact arithmetic; rounding must not turn the root into NaN.
                errorRatio = 100 * Math.Sqrt(Math.Max(0, 1 - (cic.Value / 100)));
                standardError = errorRatio * standardDeviation / 100;
            }
        }

        return new TestStatistics(n, mean, median, standardDeviation, skewness, kurtosis, cic, errorRatio, standardError);
    }

    private static List<SlotStatistics> SlotsOf(IReadOnlyList<StatisticsSlot> slots, IReadOnlyList<IReadOnlyList<double>> marks, double[] totals)
    {
        var n = marks.Count;
        var quizMaxMark = slots.Sum(s => s.MaxMark);
        var result = new List<SlotStatistics>(slots.Count);
        // The totals' mean and spread are the same for every slot.
        var totalAverage = n > 1 ? totals.Average() : 0;
        var totalVariance = n > 1 ? Variance(totals, totalAverage) : 0;
        for (var i = 0; i < slots.Count; i++)
        {
            var slot = slots[i];
            var mark = marks.Select(row => row[i]).ToArray();
            var other = totals.Select((total, row) => total - mark[row]).ToArray();
            double? intendedWeight = quizMaxMark != 0 ? 100 * slot.MaxMark / quizMaxMark : null;
            if (n == 0)
            {
                result.Add(new SlotStatistics(i + 1, slot.MaxMark, 0, null, null, slot.RandomGuessScore, intendedWeight, null, null, null, null, null, null, null, null));
                continue;
            }

            var markAverage = mark.Average();
            double? facility = slot.MaxMark != 0 ? markAverage / slot.MaxMark : null;
            if (n == 1)
            {
                result.Add(new SlotStatistics(i + 1, slot.MaxMark, 1, facility, null, slot.RandomGuessScore, intendedWeight, null, null, null, null, null, null, null, null));
                continue;
            }

            var otherAverage = other.Average();
            var sortedMark = mark.Order().ToArray();
            var sortedOther = other.Order().ToArray();
            double markSum = 0, otherSum = 0, covarianceSum = 0, covarianceMaxSum = 0, covarianceWithTotalSum = 0;
            for (var row = 0; row < n; row++)
            {
                var markDifference = mark[row] - markAverage;
                var otherDifference = other[row] - otherAverage;
                markSum += markDifference * markDifference;
                otherSum += otherDifference * otherDifference;
                covarianceSum += markDifference * otherDifference;
                covarianceMaxSum += (sortedMark[row] - markAverage) * (sortedOther[row] - otherAverage);
                covarianceWithTotalSum += markDifference * (totals[row] - totalAverage);
            }

            // Marks that are all equal have no spread and covary with nothing, whatever trace rounding leaves.
            var (markConstant, otherConstant) = (AllEqual(mark), AllEqual(other));
            var markVariance = markConstant ? 0 : markSum / (n - 1);
            var otherVariance = otherConstant ? 0 : otherSum / (n - 1);
            var covariance = markConstant || otherConstant ? 0 : covarianceSum / (n - 1);
            var covarianceMax = markConstant || otherConstant ? 0 : covarianceMaxSum / (n - 1);
            var covarianceWithTotal = CovarianceOrZero(covarianceWithTotalSum / (n - 1), markVariance, totalVariance);
            double? standardDeviation = slot.MaxMark != 0 ? Math.Sqrt(markVariance) / slot.MaxMark : null;
            double? discriminationIndex = markVariance * otherVariance != 0 ? 100 * covariance / Math.Sqrt(markVariance * otherVariance) : null;
            double? discriminativeEfficiency = covarianceMax != 0 ? 100 * covariance / covarianceMax : null;
            result.Add(new SlotStatistics(
                i + 1, slot.MaxMark, n, facility, standardDeviation, slot.RandomGuessScore, intendedWeight, null, discriminationIndex,
                discriminativeEfficiency, markVariance, otherVariance, covariance, covarianceMax, covarianceWithTotal));
        }

        // Effective weights share out the roots of the covariances with the total that are not negative;
        // a slot whose covariance is negative has none (Moodle shows nothing).
        var sumOfRoots = result.Sum(s => RootOfCovarianceWithTotal(s) ?? 0);
        if (sumOfRoots == 0)
        {
            return result;
        }

        return result.Select(s => s with
        {
            EffectiveWeight = 100 * RootOfCovarianceWithTotal(s) / sumOfRoots,
        }).ToList();
    }

    private static bool AllEqual(double[] values) => values.All(v => v == values[0]);

    private static double Variance(double[] values, double average) =>
        values.Sum(v => (v - average) * (v - average)) / (values.Length - 1);

    /// <summary>
    /// A covariance is at most the root of the two variances' product; one below a trillionth of that is
    /// rounding left over from an exact 0. Kept, its root would give a slot a weight it does not have.
    /// </summary>
    private static double CovarianceOrZero(double covariance, double variance, double otherVariance) =>
        Math.Abs(covariance) <= 1e-12 * Math.Sqrt(variance * otherVariance) ? 0 : covariance;

    private static double? RootOfCovarianceWithTotal(SlotStatistics slot) =>
        slot.CovarianceWithTotal is { } c && c >= 0 ? Math.Sqrt(c) : null;

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
