using EduLoop.Domain.Data;

using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Identity;

/// <summary>Per-user settings that follow the user from device to device.</summary>
public sealed class UserPreferenceService(IDbContextFactory<EduLoopDbContext> contextFactory)
{
    public async Task<bool?> GetDarkModeAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.Where(u => u.Id == userId).Select(u => u.PrefersDarkMode).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task SetDarkModeAsync(string userId, bool? prefersDarkMode, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.PrefersDarkMode, prefersDarkMode), cancellationToken);
    }
}
