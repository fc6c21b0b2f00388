namespace EduLoop.Domain.Classes;

/// <summary>
/// An access key: 8 digits when EduLoop makes it, or a name of up to 12 characters an admin chose. A student joins the key's class with it, and an outside client may read the API
/// with <c>Authorization: AccessKey &lt;key&gt;</c>. Keys made through the original service's
/// token routes belong to no class.
/// </summary>
public sealed class AccessKey
{
    /// <summary>The length of the keys EduLoop makes.</summary>
    public const int Length = 8;

    /// <summary>
    /// The longest key stored: the original service let staff name keys (up to 12 characters, such as
    /// <c>GK-SPARE-01</c>), and keys moved from it keep their names. New keys are 8 digits.
    /// </summary>
    public const int MaxLength = 12;

    public int Id { get; set; }
    public required string Key { get; set; }
    public int? SchoolClassId { get; set; }
    public SchoolClass? SchoolClass { get; set; }
    public string? Description { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }
}
