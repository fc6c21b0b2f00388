namespace EduLoop.Domain.Identity;

/// <summary>
/// A personal API token, sent as <c>Authorization: Token &lt;key&gt;</c>. Only the SHA-256 of its key
/// is stored: the key is shown once, when the token is made. A token works until its owner or an admin
/// revokes it, until it expires, and while its account keeps the security stamp it was made under: a
/// new password, a role change, a deactivation or a deletion ends it.
/// </summary>
public sealed class ApiToken
{
    /// <summary>40 hex digits (160 random bits), as the original service's keys were.</summary>
    public const int KeyLength = 40;

    /// <summary>A SHA-256 in hex.</summary>
    public const int HashLength = 64;

    public const int NameLength = 100;

    public int Id { get; set; }

    /// <summary>The SHA-256 of the key, in lower-case hex.</summary>
    public required string KeyHash { get; set; }

    public required string UserId { get; set; }
    public ApplicationUser? User { get; set; }

    /// <summary>What the owner calls it; <see cref="ApiTokenService.SignInTokenName"/> for those made by signing in through the API.</summary>
    public string Name { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    /// <summary>When it stops working; null: never.</summary>
    public DateTime? ExpiresAt { get; set; }

    /// <summary>The account's security stamp when the token was made; the token works only while it is the account's.</summary>
    public string? SecurityStamp { get; set; }
}
