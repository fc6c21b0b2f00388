namespace EduLoop.Domain.Classes;

/// <summary>
/// An 8-digit key. A student joins the key's class with it, and an outside client may read the API
/// with <c>Authorization: AccessKey &lt;key&gt;</c>. Keys made through the original service's
/// token routes belong to no class.
/// </summary>
public sealed class AccessKey
{
    /// <summary>The length of the keys EduLoop makes.</summary>
    public const int Length = 8;

    /// <summary>The longest key an admin may choose, as the original service allowed (<c>GK-SPARE-01</c>).</summary>
    public const int MaxLength = 12;

    public int Id { get; set; }
    public required string Key { get; set; }
    public int? SchoolClassId { get; set; }
    public SchoolClass? SchoolClass { get; set; }
    public string? Description { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }
}
