namespace EduLoop.App.Hosting;

/// <summary>
/// The light/dark choice of the current circuit. It starts from the user's saved choice (or the
/// theme cookie for anonymous visitors) and is saved on change.
/// </summary>
public sealed class ThemePreference
{
    public const string CookieName = "eduloop-theme";

    public bool IsDarkMode { get; set; }

    public static bool? Parse(string? cookie) => cookie switch
    {
        "dark" => true,
        "light" => false,
        _ => null,
    };
}
