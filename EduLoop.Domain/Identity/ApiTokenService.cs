using System.Security.Cryptography;
using EduLoop.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Identity;

public sealed class ApiTokenService(IDbContextFactory<EduLoopDbContext> contextFactory, TimeProvider clock)
{
    /// <summary>The user's token, made on first use (the original service returned the same token every time).</summary>
    public async Task<string> GetOrCreateAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var existing = await db.ApiTokens.Where(t => t.UserId == userId).Select(t => t.Key).FirstOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var token = new ApiToken
        {
            Key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(ApiToken.KeyLength / 2)),
            UserId = userId,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.ApiTokens.Add(token);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return token.Key;
        }
        catch (DbUpdateException)
        {
            // Two sign-ins at once: the other one made the token.
            db.ChangeTracker.Clear();
            return await db.ApiTokens.Where(t => t.UserId == userId).Select(t => t.Key).FirstAsync(cancellationToken);
        }
    }

    /// <summary>The active user a token belongs to, or null.</summary>
    public async Task<string?> FindUserIdAsync(string key, CancellationToken cancellationToken = default)
    {
        if (key.Length != ApiToken.KeyLength)
        {
            return null;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.ApiTokens.Where(t => t.Key == key && t.User!.IsActive).Select(t => t.UserId).FirstOrDefaultAsync(cancellationToken);
    }
}
