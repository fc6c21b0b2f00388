using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace EduLoop.App.Components.Layout;

/// <summary>
/// MudBlazor's theme provider with its style sheet built once per theme and mode and shared by every
/// circuit, instead of a 12 KB string (and its palette objects) per connected user.
/// </summary>
public sealed class SharedThemeProvider : MudThemeProvider
{
    private static readonly ConcurrentDictionary<(MudTheme Theme, bool Dark), string> Sheets = new();

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
#pragma warning disable MUD0010, MUD0012 // A subclass reads the mode it renders.
        var dark = IsDarkMode;
#pragma warning restore MUD0010, MUD0012
        builder.AddMarkupContent(0, Sheets.GetOrAdd((GetTheme(), dark), _ => BuildTheme()));
    }
}
