using System.Globalization;
using EduLoop.Domain;
using EduLoop.Domain.Quizzes.Statistics;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace EduLoop.App.Components.Pages.Quizzes;

/// <summary>
/// A quiz's statistics for its teachers, as Moodle's quiz statistics report defines them
/// (<see cref="QuizStatisticsService"/>): the quiz's figures, each slot's with a hint where a question
/// may need a look, a chart of facility and discrimination, and how often each choice was chosen. Every
/// term has its meaning in plain words, since few teachers know Moodle's names.
/// </summary>
public sealed partial class QuizStatisticsPage
{
    /// <summary>Facility above this: nearly everyone got it, so it tells students apart little.</summary>
    internal const double VeryEasy = 0.95;

    /// <summary>Facility below this: nearly no one got it; the key or the wording may be wrong.</summary>
    internal const double VeryHard = 0.15;

    private QuizStatisticsReport? report;
    private bool missing;
    private readonly HashSet<int> expanded = [];

    [Parameter]
    public int QuizId { get; set; }

    [Inject]
    private QuizStatisticsService Statistics { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        try
        {
            report = await Statistics.GetAsync(QuizId);
            missing = false;
        }
        catch (NotFoundException)
        {
            missing = true;
        }
    }

    /// <summary>One labelled figure: <see cref="Name"/> is the API's name of it, for tests and the CSV.</summary>
    private sealed record QuizFigure(string Name, string Label, string Hint, string Value);

    /// <summary>One figure column of the slot table; the less important ones are left out of a phone's cards.</summary>
    private sealed record SlotColumn(string Name, string Label, string Hint, Func<SlotStatistics, string> Value, bool Optional = false);

    /// <summary>Why a slot may need a look, as a chip: the reason and what to check.</summary>
    private sealed record SlotFlag(string Text, string Hint, Color Color);

    private string Summary => L.Plural(report?.Test.Attempts ?? 0, "From 1 graded attempt, as Moodle's quiz statistics figure it.", "From {0} graded attempts, as Moodle's quiz statistics figure them.");

    private List<QuizFigure> QuizFigures()
    {
        var test = report!.Test;
        var maximum = report.Slots.Sum(s => s.Figures.MaxMark);
        string OutOf(double? marks) => marks is null || !double.IsFinite(marks.Value) ? Dash : $"{Number(marks, "0.##")} / {maximum.ToString("0.##", CultureInfo.CurrentCulture)}";
        return
        [
            new("attempts", L["Attempts"], L["Handed-in attempts with every answer marked. Previews and attempts with an essay still to grade are left out."],
                test.Attempts.ToString(CultureInfo.CurrentCulture)),
            new("mean", L["Mean"], L["The average total mark."], OutOf(test.Mean)),
            new("median", L["Median"], L["The middle total mark: half of the attempts scored this or more."], OutOf(test.Median)),
            new("sd", L["Standard deviation"], L["How far total marks typically lie from the mean, in marks. Small: the class scored much alike."],
                Number(test.StandardDeviation, "0.##")),
            new("skewness", L["Skewness"], L["Below 0: most scored high, with a tail of low marks. Above 0: most scored low. Near 0: balanced."],
                Number(test.Skewness, "0.00")),
            new("kurtosis", L["Kurtosis"], L["Above 0: marks bunch around the mean, with a few far off. Below 0: marks spread evenly."],
                Number(test.Kurtosis, "0.00")),
            new("cic", L["Internal consistency"], L["Whether the questions measure the same thing (Cronbach's alpha). Above 75 % is good; below 64 %, the questions agree little."],
                Percent(test.InternalConsistency)),
            new("error_ratio", L["Error ratio"], L["The share of the spread of marks that is down to chance. The lower, the better; above 50 % says little about the students."],
                Percent(test.ErrorRatio)),
            new("standard_error", L["Standard error"], L["By how many marks a student's total may be off by chance."], Number(test.StandardError, "0.##")),
        ];
    }

    private List<SlotColumn> SlotColumns() =>
    [
        new("s", L["Attempts"], L["How many of the attempts had this question."], s => s.Attempts.ToString(CultureInfo.CurrentCulture)),
        new("facility", L["Facility"], L["The average mark as a share of the question's maximum: how easy it was. 100 %: everyone got it right."],
            s => Percent(s.Facility * 100)),
        new("sd", L["Spread"], L["How much the marks on this question varied (standard deviation), as a share of its maximum."],
            s => Percent(s.StandardDeviation * 100), Optional: true),
        new("random_guess_score", L["Random guess"], L["What a student would score on average by guessing."], s => Percent(s.RandomGuessScore * 100), Optional: true),
        new("intended_weight", L["Intended weight"], L["The question's share of the quiz's maximum mark."], s => Percent(s.IntendedWeight), Optional: true),
        new("effective_weight", L["Effective weight"], L["The question's actual share in how the totals differ. Far above the intended weight: it decides grades more than planned."],
            s => Percent(s.EffectiveWeight), Optional: true),
        new("discrimination_index", L["Discrimination index"], L["Whether students who did well on the rest of the quiz did well here. Above 30 % is good; below 0, the weaker students did better."],
            s => Percent(s.DiscriminationIndex)),
        new("discriminative_efficiency", L["Discriminative efficiency"], L["The discrimination index as a share of the best that the question's marks allow."],
            s => Percent(s.DiscriminativeEfficiency), Optional: true),
    ];

    private SlotFlag NegativeDiscrimination => new(
        L["Negative discrimination"], L["Students who did well on the rest of the quiz did worse on this question: check its key and wording."], Color.Error);

    private SlotFlag TooEasy => new(L["Very easy"], L["More than 95 % of the marks were given: the question tells students apart little."], Color.Warning);

    private SlotFlag TooHard => new(L["Very hard"], L["Less than 15 % of the marks were given: check its key, or whether it was taught."], Color.Warning);

    private List<SlotFlag> AllFlags() => [NegativeDiscrimination, TooEasy, TooHard];

    /// <summary>The hints for one slot: a negative discrimination index, a facility above 95 % or below 15 %.</summary>
    private List<SlotFlag> Flags(SlotStatistics slot)
    {
        var flags = new List<SlotFlag>();
        if (slot.DiscriminationIndex < 0)
        {
            flags.Add(NegativeDiscrimination);
        }

        if (slot.Facility > VeryEasy)
        {
            flags.Add(TooEasy);
        }
        else if (slot.Facility < VeryHard)
        {
            flags.Add(TooHard);
        }

        return flags;
    }

    private void Toggle(int slot)
    {
        if (!expanded.Remove(slot))
        {
            expanded.Add(slot);
        }
    }

    /// <summary>The share of the slot's attempts that chose it, in %; with several choices allowed, the shares add up to more than 100.</summary>
    private static double ChoiceShare(SlotReport slot, ChoiceCount choice) =>
        slot.Figures.Attempts == 0 ? 0 : 100.0 * choice.Count / slot.Figures.Attempts;

    /// <summary>A true/false question's options come as "True" and "False": shown in the page's language.</summary>
    private string ChoiceLabel(ChoiceCount choice) => choice.Choice switch
    {
        "True" => L["True"],
        "False" => L["False"],
        _ => choice.Choice,
    };

    private static string ChoiceText(SlotReport slot, ChoiceCount choice) =>
        $"{choice.Count.ToString(CultureInfo.CurrentCulture)} ({ChoiceShare(slot, choice).ToString("0", CultureInfo.CurrentCulture)} %)";

    private const string Dash = "—";

    private static string Number(double? value, string format) =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.CurrentCulture) : Dash;

    private static string Percent(double? value) => value is { } v && double.IsFinite(v) ? $"{v.ToString("0.0", CultureInfo.CurrentCulture)} %" : Dash;
}
