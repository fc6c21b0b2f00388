using Bunit;

using EduLoop.App.Components.Shared;
using EduLoop.Domain.Dashboard;
using EduLoop.Domain.QuestionBank;

using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

using MudBlazor;

namespace EduLoop.Tests.Components;

public sealed class SharedComponentTests : MudComponentTest
{
    private static readonly BankCounts _counts = new(3, 8, 40, 152, 12_345, 4, 17);

    [Fact]
    public void CountCard_ShouldShowTheFormattedValueAndLabel()
    {
        var card = Render<CountCard>(p => p
            .Add(c => c.Label, "Questions")
            .Add(c => c.Value, 12_345)
            .Add(c => c.Icon, Icons.Material.Filled.Quiz)
            .Add(c => c.TestId, "count-questions"));

        Assert.Equal("12,345", card.Find(".count-value").TextContent);
        Assert.Contains("Questions", card.Markup);
        Assert.NotNull(card.Find("[data-testid=count-questions]"));
    }

    [Fact]
    public void BankOverview_ShouldShowAccountCountsOnlyWhenAsked()
    {
        var teacherView = Render<BankOverview>(p => p.Add(c => c.Counts, _counts).Add(c => c.PerType, PerType(10)));
        var adminView = Render<BankOverview>(p => p.Add(c => c.Counts, _counts).Add(c => c.PerType, PerType(10)).Add(c => c.IncludeAccounts, true));

        Assert.Empty(teacherView.FindAll("[data-testid=count-users]"));
        Assert.Equal("17", adminView.Find("[data-testid=count-users] .count-value").TextContent);
        Assert.Equal("4", adminView.Find("[data-testid=count-access-keys] .count-value").TextContent);
    }

    [Fact]
    public void BankOverview_ShouldChartTheTypes_WithATextAlternative()
    {
        var view = Render<BankOverview>(p => p.Add(c => c.Counts, _counts).Add(c => c.PerType, PerType(7)));

        Assert.NotEmpty(view.FindAll(".mud-chart"));
        var summary = view.Find(".visually-hidden").TextContent;
        Assert.Contains("Single choice: 7", summary);
        Assert.Contains("Essay: 7", summary);
    }

    [Fact]
    public void BankOverview_ShouldShowAnEmptyState_WhenTheBankIsEmpty()
    {
        var view = Render<BankOverview>(p => p
            .Add(c => c.Counts, _counts with { Questions = 0 })
            .Add(c => c.PerType, PerType(0)));

        Assert.Empty(view.FindAll(".mud-chart"));
        Assert.Contains("The bank has no questions yet.", view.Markup);
    }

    [Fact]
    public async Task ConfirmDialog_ShouldReturnTrue_OnlyWhenConfirmed()
    {
        var provider = RenderProviders().Dialogs;
        var dialogs = Services.GetRequiredService<IDialogService>();

        var confirmed = provider.InvokeAsync(() => dialogs.ConfirmAsync("Delete class", "Delete 7b?", "Delete"));
        provider.WaitForElement("[data-testid=confirm]").Click();

        Assert.True(await confirmed);
    }

    [Fact]
    public async Task ConfirmDialog_ShouldReturnFalse_WhenCancelled()
    {
        var provider = RenderProviders().Dialogs;
        var dialogs = Services.GetRequiredService<IDialogService>();

        var answer = provider.InvokeAsync(() => dialogs.ConfirmAsync("Delete class", "Delete 7b?", "Delete"));
        provider.WaitForElement("[data-testid=confirm]");
        Assert.Contains("Delete 7b?", provider.Markup);
        provider.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();

        Assert.False(await answer);
    }

    [Fact]
    public void LanguageSwitch_ShouldReloadThroughTheCultureEndpoint_KeepingThePage()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("admin/users?tab=2");
        var popovers = RenderProviders().Popovers;
        var menu = Render<LanguageSwitch>();

        menu.Find("button").Click();
        popovers.WaitForElement("[data-testid=language-de]").Click();

        // The menu item's handler runs asynchronously; wait for its navigation.
        menu.WaitForAssertion(() => Assert.Equal("http://localhost/culture/set?culture=de&redirectUri=%2Fadmin%2Fusers%3Ftab%3D2", navigation.Uri));
    }

    private static List<TypeCount> PerType(int each) => Enum.GetValues<QuestionType>().Select(t => new TypeCount(t, each)).ToList();

    [Fact]
    public void SharedThemeProvider_WritesTheThemeOnce_PerMode()
    {
        var light = Render<EduLoop.App.Components.Layout.SharedThemeProvider>(p => p.Add(c => c.Theme, EduLoop.App.Components.Layout.EduLoopTheme.Value));
        var dark = Render<EduLoop.App.Components.Layout.SharedThemeProvider>(p => p
            .Add(c => c.Theme, EduLoop.App.Components.Layout.EduLoopTheme.Value).Add(c => c.IsDarkMode, true));
        var again = Render<EduLoop.App.Components.Layout.SharedThemeProvider>(p => p.Add(c => c.Theme, EduLoop.App.Components.Layout.EduLoopTheme.Value));

        Assert.Contains("--mud-native-html-color-scheme: light", light.Markup, StringComparison.Ordinal);
        Assert.Contains("--mud-native-html-color-scheme: dark", dark.Markup, StringComparison.Ordinal);
        Assert.NotEqual(light.Markup, dark.Markup);
        Assert.Equal(light.Markup, again.Markup);
    }
}
