using Microsoft.AspNetCore.Identity;

namespace EduLoop.Domain.Identity;

public sealed class ApplicationUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>A deactivated account keeps its data but cannot sign in.</summary>
    public bool IsActive { get; set; } = true;

    /// <summary>The theme the user chose; null follows the system setting.</summary>
    public bool? PrefersDarkMode { get; set; }

    public DateTime CreatedAt { get; set; }
}
