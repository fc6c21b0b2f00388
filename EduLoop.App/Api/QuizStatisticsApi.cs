using EduLoop.Domain.Quizzes.Statistics;

namespace EduLoop.App.Api;

/// <summary>
/// A quiz's statistics for staff, with Moodle's definitions and on the scales its report uses: facility
/// and standard deviations of a slot as fractions of its maximum mark, weights, indices and the
/// consistency in percent, the quiz's mean, median, standard deviation and standard error in marks;
/// null where Moodle shows no figure.
/// </summary>
public static class QuizStatisticsApi
{
    public static RouteGroupBuilder MapQuizStatisticsApi(this RouteGroupBuilder api)
    {
        api.MapGroup("").AddEndpointFilter<StaffOnlyFilter>()
            .MapGet("/quizzes/{id}/statistics/", GetAsync).WithName("QuizStatistics")
            .WithSummary("A quiz's statistics over its handed-in, fully marked attempts (previews left out): quiz figures, then each slot's with how often each choice was chosen.");
        return api;
    }

    private static Task<IResult> GetAsync(HttpContext context, QuizStatisticsService statistics, string id) =>
        ApiResponses.WithIdAsync(id, async quizId =>
            TypedResults.Json(QuizStatisticsDto.From(await statistics.GetAsync(quizId, context.RequestAborted)), ApiJson.Context.QuizStatisticsDto));
}

internal sealed record QuizStatisticsDto(QuizFiguresDto Quiz, IReadOnlyList<SlotFiguresDto> Slots)
{
    public static QuizStatisticsDto From(QuizStatisticsReport report)
    {
        var test = report.Test;
        return new QuizStatisticsDto(
            new QuizFiguresDto(test.Attempts, Finite(test.Mean), Finite(test.Median), Finite(test.StandardDeviation), Finite(test.Skewness),
                Finite(test.Kurtosis), Finite(test.InternalConsistency), Finite(test.ErrorRatio), Finite(test.StandardError)),
            report.Slots.Select(s => new SlotFiguresDto(
                s.Figures.Slot, s.QuestionId, s.Figures.Attempts, Finite(s.Figures.Facility), Finite(s.Figures.StandardDeviation),
                Finite(s.Figures.RandomGuessScore), Finite(s.Figures.IntendedWeight), Finite(s.Figures.EffectiveWeight),
                Finite(s.Figures.DiscriminationIndex), Finite(s.Figures.DiscriminativeEfficiency),
                s.Choices.Select(c => new ChoiceCountDto(c.Choice, c.Count)).ToList())).ToList());
    }

    /// <summary>JSON has no NaN or infinity: such a figure is one Moodle would not show either.</summary>
    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}

internal sealed record QuizFiguresDto(
    int Attempts, double? Mean, double? Median, double? Sd, double? Skewness, double? Kurtosis, double? Cic, double? ErrorRatio, double? StandardError);

internal sealed record SlotFiguresDto(
    int Slot, int? QuestionId, int S, double? Facility, double? Sd, double? RandomGuessScore, double? IntendedWeight, double? EffectiveWeight,
    double? DiscriminationIndex, double? DiscriminativeEfficiency, IReadOnlyList<ChoiceCountDto> Choices);

internal sealed record ChoiceCountDto(string Text, int Count);
