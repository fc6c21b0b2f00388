using System.Globalization;
using System.Net;
using System.Text;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Quizzes.Statistics;
using EduLoop.Tests.Infrastructure;

namespace EduLoop.Tests.Api;

/// <summary>
/// The statistics downloads: the slots' figures (statistics.csv) and the quiz's (statistics-quiz.csv), with
/// the API's names, invariant numbers and empty cells for figures that do not exist; for staff only.
/// </summary>
public sealed class QuizStatisticsExportTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    /// <summary>Capital right in three attempts, Sky in two, River in all four: totals 3, 3, 2 and 1.</summary>
    private static readonly StatisticsAnswers[] Attempts =
    [
        new(Capital: true, Sky: true, River: true),
        new(Capital: true, Sky: true, River: true),
        new(Capital: true, Sky: false, River: true),
        new(Capital: false, Sky: false, River: true),
    ];

    private static readonly QuizStatistics Expected = QuizStatisticsCalculator.Calculate(
        [new StatisticsSlot(1, 0.5), new StatisticsSlot(1, 0.5), new StatisticsSlot(1, 0.5)],
        Attempts.Select(a => (IReadOnlyList<double>)[a.Capital ? 1 : 0, a.Sky ? 1 : 0, a.River ? 1 : 0]).ToList());

    [Fact]
    public async Task StatisticsCsv_ForStaff_HasOneRowPerSlotWithItsFigures()
    {
        var quiz = await StatisticsQuiz.CreateAsync(app, Attempts);

        var answer = await app.CreateClientAs(Roles.Teacher).GetAsync($"/quizzes/{quiz.QuizId}/statistics.csv");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("text/csv", answer.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"statistics-{quiz.QuizId}.csv", answer.Content.Headers.ContentDisposition!.FileName);
        var lines = await LinesAsync(answer);
        Assert.Equal(
            [
                "slot,question_id,question,s,facility,sd,random_guess_score,intended_weight,effective_weight,discrimination_index,discriminative_efficiency",
                SlotLine(Expected.Slots[0], quiz.Questions["Capital"], "Capital"),
                SlotLine(Expected.Slots[1], quiz.Questions["Sky"], "Sky"),
                SlotLine(Expected.Slots[2], quiz.Questions["River"], "River"),
            ],
            lines);
        // A few figures by hand: Capital's facility and weight; River, right in every attempt, has no spread to correlate.
        Assert.StartsWith($"1,{quiz.Questions["Capital"]},Capital,4,0.75,0.5,0.5,33.333333,", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",1,0,0.5,33.333333,0,,", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatisticsQuizCsv_ForStaff_ListsTheQuizFigures()
    {
        var quiz = await StatisticsQuiz.CreateAsync(app, Attempts);

        var answer = await app.CreateClientAs(Roles.Teacher).GetAsync($"/quizzes/{quiz.QuizId}/statistics-quiz.csv");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var test = Expected.Test;
        Assert.Equal(
            [
                "figure,value", "attempts,4", "mean,2.25", "median,2.5", $"sd,{Figure(test.StandardDeviation)}", $"skewness,{Figure(test.Skewness)}",
                $"kurtosis,{Figure(test.Kurtosis)}", $"cic,{Figure(test.InternalConsistency)}", $"error_ratio,{Figure(test.ErrorRatio)}",
                $"standard_error,{Figure(test.StandardError)}",
            ],
            await LinesAsync(answer));
        Assert.Equal("0.957427", Figure(test.StandardDeviation));
    }

    [Fact]
    public async Task StatisticsCsvs_OfAQuizWithoutAttempts_HaveEmptyFigures()
    {
        var quiz = await StatisticsQuiz.CreateAsync(app);
        var teacher = app.CreateClientAs(Roles.Teacher);

        var slots = await LinesAsync(await teacher.GetAsync($"/quizzes/{quiz.QuizId}/statistics.csv"));
        var figures = await LinesAsync(await teacher.GetAsync($"/quizzes/{quiz.QuizId}/statistics-quiz.csv"));

        Assert.Single(slots);
        Assert.Equal(["figure,value", "attempts,0", "mean,", "median,", "sd,", "skewness,", "kurtosis,", "cic,", "error_ratio,", "standard_error,"], figures);
    }

    [Fact]
    public async Task StatisticsCsv_ATitleASpreadsheetWouldRun_IsEscaped()
    {
        var quiz = await StatisticsQuiz.CreateAsync(app, Attempts);
        await using (var db = app.CreateDbContext())
        {
            var capital = await db.Questions.FindAsync(quiz.Questions["Capital"]);
            capital!.Title = "=1+2";
            await db.SaveChangesAsync();
        }

        var lines = await LinesAsync(await app.CreateClientAs(Roles.Teacher).GetAsync($"/quizzes/{quiz.QuizId}/statistics.csv"));

        Assert.Contains("'=1+2", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain(",=1+2", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("statistics.csv")]
    [InlineData("statistics-quiz.csv")]
    public async Task StatisticsCsvs_AreStaffs_AndNotFoundForNoQuiz(string file)
    {
        var quiz = await StatisticsQuiz.CreateAsync(app, Attempts[0]);

        var refused = await app.CreateClientAs(Roles.Student).GetAsync($"/quizzes/{quiz.QuizId}/{file}");
        var missing = await app.CreateClientAs(Roles.Teacher).GetAsync($"/quizzes/999999/{file}");
        var admin = await app.CreateClientAs(Roles.Admin).GetAsync($"/quizzes/{quiz.QuizId}/{file}");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    /// <summary>The file's lines, after checking that it starts with the byte order mark spreadsheets need to read UTF-8.</summary>
    private static async Task<string[]> LinesAsync(HttpResponseMessage answer)
    {
        var bytes = await answer.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        return text[..^2].Split("\r\n");
    }

    private static string SlotLine(SlotStatistics slot, int questionId, string title) =>
        string.Join(",", [
            slot.Slot.ToString(CultureInfo.InvariantCulture), questionId.ToString(CultureInfo.InvariantCulture), title, slot.Attempts.ToString(CultureInfo.InvariantCulture),
            Figure(slot.Facility), Figure(slot.StandardDeviation), Figure(slot.RandomGuessScore), Figure(slot.IntendedWeight), Figure(slot.EffectiveWeight),
            Figure(slot.DiscriminationIndex), Figure(slot.DiscriminativeEfficiency)]);

    private static string Figure(double? value) => value?.ToString("0.######", CultureInfo.InvariantCulture) ?? "";
}
