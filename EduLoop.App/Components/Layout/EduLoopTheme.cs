using MudBlazor;

namespace EduLoop.App.Components.Layout;

/// <summary>The school colours: a calm teal for actions, readable in both themes (WCAG AA contrast).</summary>
public static class EduLoopTheme
{
    public static MudTheme Value { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#00695c",
            Secondary = "#5e35b1",
            AppbarBackground = "#00695c",
            Background = "#f6f8f8",
            DrawerBackground = "#ffffff",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#4db6ac",
            Secondary = "#b39ddb",
            AppbarBackground = "#1f2a2a",
            Background = "#121616",
            Surface = "#1c2222",
            DrawerBackground = "#182020",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
