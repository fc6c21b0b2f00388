namespace EduLoop.Domain;

/// <summary>The <c>EduLoop</c> configuration section.</summary>
public sealed class EduLoopOptions
{
    public const string Section = "EduLoop";
    public const string DatabaseFileName = "eduloop.db";

    /// <summary>Where the database, its backups and uploads live. Relative paths start at the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// The address users reach EduLoop at (for example <c>https://school.example/eduloop</c>). The API's
    /// absolute links start with it; when it is empty they start with the request's scheme and Host.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>Load the demo school on first run.</summary>
    public bool DemoData { get; set; } = true;

    /// <summary>The largest file an import accepts (50 MB unless configured).</summary>
    public long MaxImportBytes { get; set; } = 50L * 1024 * 1024;

    public AdminAccountOptions Admin { get; set; } = new();

    public DemoAccountOptions Demo { get; set; } = new();
}

public sealed class AdminAccountOptions
{
    public string Email { get; set; } = "admin@eduloop.local";

    /// <summary>When empty, first run generates a strong password and prints it once.</summary>
    public string? Password { get; set; }
}

/// <summary>Passwords of the demo teacher and student; generated and printed when not configured.</summary>
public sealed class DemoAccountOptions
{
    public string? TeacherPassword { get; set; }
    public string? StudentPassword { get; set; }
}
