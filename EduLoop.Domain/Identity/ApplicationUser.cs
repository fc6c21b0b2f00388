using Microsoft.AspNetCore.Identity;

namespace EduLoop.Domain.Identity;

public sealed class ApplicationUser : IdentityUser
{
    public const int NamePartLength = 150;

    /// <summary>
    /// The account's number: 1, 2, 3… in the order accounts were made, never reused. The API shows it
    /// as the account's <c>id</c>, as the original service did, so old clients' stored ids still work.
    /// </summary>
    public int Number { get; set; }

    public string DisplayName { get; set; } = "";

    /// <summary>The original service's <c>first_name</c>, kept for its clients.</summary>
    public string FirstName { get; set; } = "";

    /// <summary>The original service's <c>last_name</c>, kept for its clients.</summary>
    public string LastName { get; set; } = "";

    /// <summary>A deactivated account keeps its data but cannot sign in.</summary>
    public bool IsActive { get; set; } = true;

    /// <summary>The theme the user chose; null follows the system setting.</summary>
    public bool? PrefersDarkMode { get; set; }

    public DateTime CreatedAt { get; set; }
}
