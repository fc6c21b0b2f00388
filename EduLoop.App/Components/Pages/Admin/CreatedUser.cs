namespace EduLoop.App.Components.Pages.Admin;

/// <summary>What the new-account dialog returns: the sign-in details to show once.</summary>
public sealed record CreatedUser(string Email, string Password);
