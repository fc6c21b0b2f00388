using System.Security.Cryptography;
using System.Text;

using EduLoop.Domain.Data;

using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Identity;

public sealed record ApiTokenSummary(int Id, string Name, DateTime CreatedAt, DateTime? ExpiresAt);

/// <summary>A token just made, with its key: the only time the key is known.</summary>
public sealed record NewApiToken(ApiTokenSummary Token, string Key);

/// <summary>Whose a key is, and what it is valid for.</summary>
public sealed record ApiTokenOwner(string UserId, string? SecurityStamp, DateTime? ExpiresAt);

/// <summary>Personal API tokens: made, listed and revoked by their owner or an admin; stored as hashes.</summary>
public sealed class ApiTokenService(IDbContextFactory<EduLoopDbContext> contextFactory, TimeProvider clock)
{
    /// <summary>The name of tokens made by <c>/api/api-token-auth/</c>.</summary>
    public const string SignInTokenName = "api-token-auth";

    /// <summary>
    /// Sign-in tokens kept per account: every sign-in makes one, and a client that signs in on every
    /// start would otherwise pile them up. The oldest beyond this are revoked.
    /// </summary>
    public const int MaxSignInTokens = 20;

    /// <summary>Makes a token for the account under its current security stamp.</summary>
    public async Task<NewApiToken> CreateAsync(string userId, string? name, DateTime? expiresAt, CancellationToken cancellationToken = default)
    {
        name = string.IsNullOrWhiteSpace(name) ? "API token" : name.Trim();
        if (name.Length > ApiToken.NameLength)
        {
            throw new DomainValidationException("name", $"Ensure this field has no more than {ApiToken.NameLength} characters.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (expiresAt <= now)
        {
            throw new DomainValidationException("expires_at", "The expiry must be in the future.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var stamp = await db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("That user does not exist.");
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(ApiToken.KeyLength / 2));
        var token = new ApiToken
        {
            KeyHash = Hash(key),
            UserId = userId,
            Name = name,
            CreatedAt = now,
            ExpiresAt = expiresAt,
            SecurityStamp = stamp,
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return new NewApiToken(new ApiTokenSummary(token.Id, token.Name, token.CreatedAt, token.ExpiresAt), key);
    }

    /// <summary>
    /// A new token for <c>/api/api-token-auth/</c>. The original service returned the account's one
    /// stored token every time; only hashes are kept here, so every sign-in makes a new token (and the
    /// older ones keep working, up to <see cref="MaxSignInTokens"/>).
    /// </summary>
    public async Task<string> CreateSignInTokenAsync(string userId, CancellationToken cancellationToken = default)
    {
        var made = await CreateAsync(userId, SignInTokenName, null, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var oldest = await db.ApiTokens.Where(t => t.UserId == userId && t.Name == SignInTokenName)
            .OrderByDescending(t => t.Id).Skip(MaxSignInTokens).Select(t => t.Id).ToListAsync(cancellationToken);
        if (oldest.Count > 0)
        {
            await db.ApiTokens.Where(t => oldest.Contains(t.Id)).ExecuteDeleteAsync(cancellationToken);
        }

        return made.Key;
    }

    /// <summary>The account's tokens, newest first (expired ones too, until revoked).</summary>
    public async Task<IReadOnlyList<ApiTokenSummary>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.Id)
            .Select(t => new ApiTokenSummary(t.Id, t.Name, t.CreatedAt, t.ExpiresAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Deletes one of the account's tokens; false when it has no such token.</summary>
    public async Task<bool> RevokeAsync(string userId, int tokenId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.ApiTokens.Where(t => t.Id == tokenId && t.UserId == userId).ExecuteDeleteAsync(cancellationToken) > 0;
    }

    /// <summary>Who a key belongs to, if it is a token of an active account that has not expired.</summary>
    public async Task<ApiTokenOwner?> FindAsync(string key, CancellationToken cancellationToken = default)
    {
        if (key.Length != ApiToken.KeyLength)
        {
            return null;
        }

        var hash = Hash(key);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await OwnerOf.For(db)(db, hash, now, cancellationToken);
    }

    /// <summary>
    /// The owner of a live token by its key's hash, compiled once: every API request with a token the
    /// credential cache does not hold yet (a new token, or one after a change to accounts) asks it.
    /// </summary>
    internal static readonly CompiledPerProvider<Func<EduLoopDbContext, string, DateTime, CancellationToken, Task<ApiTokenOwner?>>> OwnerOf = new(() => EF.CompileAsyncQuery(
        (EduLoopDbContext db, string hash, DateTime now, CancellationToken cancellationToken) => db.ApiTokens
            .Where(t => t.KeyHash == hash && t.User!.IsActive && (t.ExpiresAt == null || t.ExpiresAt > now))
            .Select(t => new ApiTokenOwner(t.UserId, t.SecurityStamp, t.ExpiresAt))
            .FirstOrDefault()));

    /// <summary>
    /// Replaces keys stored in clear (by versions before hashing) with their hashes, bound to the
    /// account's current security stamp: they keep working, and no key is left readable in the
    /// database or its later backups. Runs at start-up; the number of keys hashed.
    /// </summary>
    public async Task<int> HashClearKeysAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var clear = await db.ApiTokens.Include(t => t.User).Where(t => t.KeyHash.Length == ApiToken.KeyLength).ToListAsync(cancellationToken);
        foreach (var token in clear)
        {
            token.KeyHash = Hash(token.KeyHash);
            token.SecurityStamp = token.User?.SecurityStamp;
            token.Name = SignInTokenName;
        }

        await db.SaveChangesAsync(cancellationToken);
        return clear.Count;
    }

    /// <summary>The stored form of a key: its SHA-256 in lower-case hex (the key is 160 random bits, so no salt or stretching is needed).</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
