namespace EduLoop.Domain.Identity;

/// <summary>
/// A personal API token, as the original service's <c>/api/api-token-auth/</c> handed out: one per
/// user, sent as <c>Authorization: Token &lt;key&gt;</c>.
/// </summary>
public sealed class ApiToken
{
    public const int KeyLength = 40;

    public required string Key { get; set; }
    public required string UserId { get; set; }
    public ApplicationUser? User { get; set; }
    public DateTime CreatedAt { get; set; }
}
