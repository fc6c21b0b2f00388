using CsvHelper;
using EduLoop.Domain;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Quizzes.Statistics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EduLoop.App.Api;

/// <summary>
/// A quiz's statistics as CSV downloads for staff (cookie sign-in, as the statistics page that links to
/// them), with the figures and column names of <see cref="QuizStatisticsApi"/>: numbers in the invariant
/// culture, an empty cell where the API has null, UTF-8 with a byte order mark for spreadsheets.
/// </summary>
public static class QuizStatisticsExport
{
    // Two plain tables rather than one file with two sections, so that each sorts and filters in a spreadsheet: the slots, and the quiz's figures.
    private static readonly string[] SlotColumns =
    [
        "slot", "question_id", "question", "s", "facility", "sd", "random_guess_score", "intended_weight", "effective_weight",
        "discrimination_index", "discriminative_efficiency",
    ];

    /// <summary>Six decimals: a spreadsheet shows fewer, and a figure copied from it keeps more than the page shows.</summary>
    private const string Figure = "0.######";

    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with { WriteByteOrderMark = true, Injection = CsvInjection.Escape };

    public static IEndpointRouteBuilder MapQuizStatisticsExport(this IEndpointRouteBuilder app)
    {
        var staff = new AuthorizeAttribute { Roles = $"{Roles.Admin},{Roles.Teacher}" };
        app.MapGet("/quizzes/{id:int}/statistics.csv", GetSlotsAsync).RequireAuthorization(staff).ExcludeFromDescription();
        app.MapGet("/quizzes/{id:int}/statistics-quiz.csv", GetQuizAsync).RequireAuthorization(staff).ExcludeFromDescription();
        return app;
    }

    private static Task<Results<FileContentHttpResult, NotFound>> GetSlotsAsync(int id, QuizStatisticsService statistics, CancellationToken cancellationToken) =>
        FileAsync(id, statistics, SlotsCsv, $"statistics-{id}.csv", cancellationToken);

    private static Task<Results<FileContentHttpResult, NotFound>> GetQuizAsync(int id, QuizStatisticsService statistics, CancellationToken cancellationToken) =>
        FileAsync(id, statistics, QuizCsv, $"statistics-quiz-{id}.csv", cancellationToken);

    private static async Task<Results<FileContentHttpResult, NotFound>> FileAsync(
        int id, QuizStatisticsService statistics, Func<QuizStatisticsReport, byte[]> write, string name, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.File(write(await statistics.GetAsync(id, cancellationToken)), "text/csv; charset=utf-8", name);
        }
        catch (NotFoundException)
        {
            return TypedResults.NotFound();
        }
    }

    /// <summary>One row per slot; the question's title (text a spreadsheet could take for a formula is escaped) is empty for a random slot.</summary>
    internal static byte[] SlotsCsv(QuizStatisticsReport report)
    {
        var figures = QuizStatisticsDto.From(report).Slots;
        using var stream = new MemoryStream();
        using (var csv = CsvWriter.Create(stream, Options, leaveOpen: true))
        {
            csv.WriteHeader(SlotColumns);
            foreach (var (slot, title) in figures.Zip(report.Slots.Select(s => s.Title)))
            {
                csv.WriteField(slot.Slot, "");
                csv.WriteField(slot.QuestionId, "");
                csv.WriteField(title);
                csv.WriteField(slot.S, "");
                foreach (var value in new[]
                {
                    slot.Facility, slot.Sd, slot.RandomGuessScore, slot.IntendedWeight, slot.EffectiveWeight, slot.DiscriminationIndex, slot.DiscriminativeEfficiency,
                })
                {
                    csv.WriteField(value, Figure);
                }

                csv.EndRecord();
            }
        }

        return stream.ToArray();
    }

    /// <summary>The quiz's figures as <c>figure,value</c> rows, in the API's order and with its names.</summary>
    internal static byte[] QuizCsv(QuizStatisticsReport report)
    {
        var quiz = QuizStatisticsDto.From(report).Quiz;
        using var stream = new MemoryStream();
        using (var csv = CsvWriter.Create(stream, Options, leaveOpen: true))
        {
            csv.WriteHeader(["figure", "value"]);
            foreach (var (name, value) in new (string, double?)[]
            {
                ("attempts", quiz.Attempts), ("mean", quiz.Mean), ("median", quiz.Median), ("sd", quiz.Sd), ("skewness", quiz.Skewness),
                ("kurtosis", quiz.Kurtosis), ("cic", quiz.Cic), ("error_ratio", quiz.ErrorRatio), ("standard_error", quiz.StandardError),
            })
            {
                csv.WriteField(name);
                csv.WriteField(value, Figure);
                csv.EndRecord();
            }
        }

        return stream.ToArray();
    }
}
