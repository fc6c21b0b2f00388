using Bunit;
using EduLoop.App.Components.Shared;

namespace EduLoop.Tests.Components;

/// <summary>Chart labels are names that users typed: they show as text and never become elements.</summary>
public sealed class CountBarChartTests : MudComponentTest
{
    private static readonly string[] HostileLabels =
        ["XSSS <svg onload=alert(1)>", "<img src=x onerror=alert(1)>", "Tom & Jerry </text><script>alert(1)</script>", "Plain"];

    private IRenderedComponent<CountBarChart> Chart(params string[] labels) =>
        Render<CountBarChart>(p => p
            .Add(c => c.Bars, labels.Select((label, i) => new ChartBar(label, i + 1)).ToList())
            .Add(c => c.SeriesName, "Questions <b>n</b>")
            .Add(c => c.Title, "Questions per subject")
            .Add(c => c.Color, "#5c6bc0")
            .Add(c => c.TestId, "subject-chart"));

    [Fact]
    public void CountBarChart_ShouldShowHostileLabelsAsTheirLiteralText()
    {
        var view = Chart(HostileLabels);

        var axis = view.FindAll(".mud-charts-xaxis text").Select(t => t.TextContent).ToList();
        Assert.Equal(HostileLabels, axis);
        Assert.Contains("XSSS <svg onload=alert(1)>: 1", view.Find(".visually-hidden").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void CountBarChart_ShouldNeverTurnALabelIntoAnElement()
    {
        var view = Chart(HostileLabels);

        Assert.Empty(view.FindAll("[onload], [onerror], script, img, b"));
        Assert.Single(view.FindAll("svg"));
    }

    [Fact]
    public void CountBarChart_ShouldShowEachCountOnItsBar_WithoutATooltip()
    {
        var view = Chart(HostileLabels);

        for (var i = 0; i < HostileLabels.Length; i++)
        {
            view.FindAll("path.mud-chart-bar")[i].MouseOver();
        }

        Assert.Equal(HostileLabels.Length, view.FindAll("path.mud-chart-bar").Count);
        Assert.Empty(view.FindAll(".svg-tooltip, [onload], [onerror], script, img"));
        var texts = view.FindAll("svg text").Select(t => t.TextContent.Trim()).ToList();
        Assert.Contains("4", texts);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 2)]
    [InlineData(40, 10)]
    [InlineData(230, 50)]
    public void CountBarChart_ShouldScaleItsCountAxisToTheLargestCount(int count, int highestTick)
    {
        var view = Render<CountBarChart>(p => p
            .Add(c => c.Bars, [new ChartBar("0–9", 0), new ChartBar("90–100", count)])
            .Add(c => c.SeriesName, "Attempts")
            .Add(c => c.Title, "Score distribution")
            .Add(c => c.Color, "#5c6bc0"));

        var ticks = view.FindAll(".mud-charts-yaxis text").Select(t => int.Parse(t.TextContent.Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.InRange(ticks.Max(), count, count + highestTick);
        Assert.InRange(ticks.Count, 2, 7);
    }
}
