using System.Security.Claims;
using System.Text.Json;
using EduLoop.Domain;
using EduLoop.Domain.Identity;

namespace EduLoop.App.Api.Compatible;

/// <summary>
/// Personal API tokens, which the original service did not list: owners manage theirs under
/// <c>/current-user/tokens/</c>, admins anyone's under <c>/users/{id}/tokens/</c>. Keys are shown only
/// in the answer that makes them.
/// </summary>
public static class PersonalTokensApi
{
    public static RouteGroupBuilder MapOwnTokens(this RouteGroupBuilder self)
    {
        self.MapGet("/tokens/", (HttpContext c, ApiTokenService t) => ListAsync(c, t, UserId(c.User)))
            .WithName("ListOwnTokens").WithSummary("Your API tokens, newest first (never their keys).");
        self.MapPost("/tokens/", CreateAsync)
            .WithName("CreateOwnToken").WithSummary("Make an API token: {name?, expires_in_days?}. Its key is in this answer only.");
        self.MapDelete("/tokens/{tokenId:int}/", (HttpContext c, ApiTokenService t, int tokenId) => RevokeAsync(c, t, UserId(c.User), tokenId))
            .WithName("RevokeOwnToken").WithSummary("Revoke one of your API tokens.");
        return self;
    }

    public static RouteGroupBuilder MapUserTokens(this RouteGroupBuilder admins)
    {
        admins.MapGet("/{id}/tokens/", async (HttpContext c, UserAdminService u, ApiTokenService t, string id) =>
                await ExistsAsync(u, id, c.RequestAborted) ? await ListAsync(c, t, id) : ApiResponses.NotFound())
            .WithName("ListUserTokens").WithSummary("An account's API tokens (never their keys).");
        admins.MapDelete("/{id}/tokens/{tokenId:int}/", (HttpContext c, ApiTokenService t, string id, int tokenId) => RevokeAsync(c, t, id, tokenId))
            .WithName("RevokeUserToken").WithSummary("Revoke one of an account's API tokens.");
        return admins;
    }

    private static async Task<IResult> ListAsync(HttpContext context, ApiTokenService tokens, string userId) =>
        TypedResults.Json((await tokens.ListAsync(userId, context.RequestAborted)).Select(ApiTokenDto.From).ToList(), ApiJson.Context.ListApiTokenDto);

    private static async Task<IResult> CreateAsync(HttpContext context, ApiTokenService tokens, TimeProvider clock)
    {
        var (body, error) = await ApiBody.ReadObjectAsync(context.Request);
        if (error is not null)
        {
            return error;
        }

        var errors = new Dictionary<string, IReadOnlyList<string>>();
        var name = ApiBody.String(body, "name", errors);
        DateTime? expiresAt = null;
        if (body.TryGetProperty("expires_in_days", out var days) && days.ValueKind != JsonValueKind.Null)
        {
            if (days.ValueKind == JsonValueKind.Number && days.TryGetInt32(out var count) && count is >= 1 and <= 3650)
            {
                expiresAt = clock.GetUtcNow().UtcDateTime.AddDays(count);
            }
            else
            {
                errors["expires_in_days"] = ["A whole number of days from 1 to 3650, or null for a token that does not expire."];
            }
        }

        if (errors.Count > 0)
        {
            return ApiResponses.FieldErrors(errors);
        }

        try
        {
            var made = await tokens.CreateAsync(UserId(context.User), name, expiresAt, context.RequestAborted);
            return TypedResults.Json(new NewApiTokenDto(made.Token.Id, made.Token.Name, made.Token.CreatedAt, made.Token.ExpiresAt, made.Key),
                ApiJson.Context.NewApiTokenDto, statusCode: 201);
        }
        catch (DomainValidationException e)
        {
            return ApiResponses.FieldErrors(new Dictionary<string, IReadOnlyList<string>> { [e.Field ?? "non_field_errors"] = [e.Message] });
        }
    }

    private static async Task<IResult> RevokeAsync(HttpContext context, ApiTokenService tokens, string userId, int tokenId) =>
        await tokens.RevokeAsync(userId, tokenId, context.RequestAborted) ? TypedResults.NoContent() : ApiResponses.NotFound();

    private static async Task<bool> ExistsAsync(UserAdminService users, string id, CancellationToken cancellationToken)
    {
        try
        {
            await users.GetAsync(id, cancellationToken);
            return true;
        }
        catch (NotFoundException)
        {
            return false;
        }
    }

    private static string UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
}

public sealed record ApiTokenDto(int Id, string Name, DateTime Created, DateTime? Expires)
{
    public static ApiTokenDto From(ApiTokenSummary token) => new(token.Id, token.Name, token.CreatedAt, token.ExpiresAt);
}

/// <summary>A token just made: <c>token</c> is its key, shown this once.</summary>
public sealed record NewApiTokenDto(int Id, string Name, DateTime Created, DateTime? Expires, string Token);
