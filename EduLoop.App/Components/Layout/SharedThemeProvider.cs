using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace EduLoop.App.Components.Layout;

/// <summary>
/// The theme's CSS variables as MudBlazor's theme provider writes them, built once per theme and mode
/// and shared by every circuit: a page that needs no more of MudBlazor than its styles (taking a quiz)
/// carries no theme provider, palette objects or 12 KB style string per connected student.
/// </summary>
public sealed class SharedThemeProvider : ComponentBase
{
    private static readonly ConcurrentDictionary<(MudTheme Theme, bool Dark), string> Sheets = new();

    [Parameter, EditorRequired]
    public required MudTheme Theme { get; set; }

    [Parameter]
    public bool IsDarkMode { get; set; }

    protected override void BuildRenderTree(RenderTreeBuilder builder) =>
        builder.AddMarkupContent(0, Sheets.GetOrAdd((Theme, IsDarkMode), key => StyleSheet.Of(key.Theme, key.Dark)));

    /// <summary>Asks MudBlazor's provider, never rendered, for the style sheet it would write.</summary>
    private sealed class StyleSheet : MudThemeProvider
    {
        public static string Of(MudTheme theme, bool dark)
        {
#pragma warning disable BL0005, MUD0012 // A provider that is never rendered gets its parameters set directly, once.
            var provider = new StyleSheet { Theme = theme, IsDarkMode = dark };
#pragma warning restore BL0005, MUD0012
            return provider.BuildTheme();
        }
    }
}
