using MudBlazor;

namespace EduLoop.App.Components.Layout;

/// <summary>
/// The school colours: a calm teal for actions, readable in both themes (WCAG AA contrast, at least
/// 4.5:1 for text: checked by axe-core on every page in AccessibilityTests). In the light theme the
/// status colours are the darker Material shades, so that white text on them and they as text on
/// white are readable; in the dark theme they stay light and carry dark text.
/// </summary>
public static class EduLoopTheme
{
    public static MudTheme Value { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#00695c",
            Secondary = "#5e35b1",
            Success = "#2e7d32",
            Warning = "#9a5b00",
            Error = "#c62828",
            Info = "#1565c0",
            TextSecondary = "#5f6363",
            AppbarBackground = "#00695c",
            Background = "#f6f8f8",
            DrawerBackground = "#ffffff",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#4db6ac",
            PrimaryContrastText = "#0b1f1d",
            Secondary = "#b39ddb",
            SecondaryContrastText = "#0b1f1d",
            SuccessContrastText = "#111111",
            WarningContrastText = "#111111",
            ErrorContrastText = "#111111",
            // MudBlazor's dark info blue is 4.1:1 as an alert's text on its own tint; this one is 5.9:1.
            Info = "#4ea8ff",
            InfoContrastText = "#111111",
            AppbarBackground = "#1f2a2a",
            Background = "#121616",
            Surface = "#1c2222",
            DrawerBackground = "#182020",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
