namespace EduLoop.Domain;

/// <summary>
/// The signed-in person a domain service acts for. Services that guard what belongs to someone (a
/// quiz and its attempts) take one and refuse with <see cref="ForbiddenException"/>; the pages that
/// call them already let only staff in, so an actor is a teacher or an admin.
/// </summary>
public sealed record Actor(string UserId, bool IsAdmin)
{
    public static Actor Teacher(string userId) => new(userId, false);

    public static Actor Admin(string userId) => new(userId, true);
}
