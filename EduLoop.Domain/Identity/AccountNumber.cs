namespace EduLoop.Domain.Identity;

/// <summary>
/// One row per account number ever given out, never deleted: the table is the sequence that
/// <see cref="ApplicationUser.Number"/> is drawn from, so a deleted account's number is not given to the next one.
/// </summary>
public sealed class AccountNumber
{
    public int Number { get; set; }
}
