using System.Text.Json;
using EduLoop.App.Hosting;
using EduLoop.Domain;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Identity;

namespace EduLoop.App.Api.Compatible;

/// <summary>Signing in for a personal token, and checking access keys.</summary>
public static class TokensApi
{
    public static RouteGroupBuilder MapTokensApi(this RouteGroupBuilder api)
    {
        api.MapPost("/api-token-auth/", ObtainTokenAsync).WithName("ObtainToken").WithMetadata(new OwnThrottle())
            .WithSummary("Exchange a username (email) and password for a personal token.");
        api.MapPost("/token-verify/", VerifyAccessKeyAsync).WithName("VerifyAccessKey")
            .WithSummary("Whether a key is an active access key.");

        var staff = api.MapGroup("").AddEndpointFilter<StaffOnlyFilter>();
        staff.MapPost("/token-generate/", GenerateAsync).WithName("GenerateAccessKey").WithSummary("Make a new access key: {description?}.");
        staff.MapGet("/token-list/", ListAsync).WithName("ListAccessKeys").WithSummary("Access keys, newest first; search by key or description.");
        staff.MapPut("/token-update/", UpdateAsync).WithName("UpdateAccessKey").WithSummary("Change an access key: {key, description?, is_active?}.");
        staff.MapDelete("/token-delete/", DeleteAsync).WithName("DeleteAccessKey").WithSummary("Delete an access key: {key} (or ?key=).");
        return api;
    }

    private static async Task<IResult> GenerateAsync(HttpContext context, ClassService classes)
    {
        var (body, error) = await ApiBody.ReadAsync(context.Request);
        if (error is not null)
        {
            return error;
        }

        var errors = new Dictionary<string, IReadOnlyList<string>>();
        var description = body.ValueKind == JsonValueKind.Object ? ApiBody.String(body, "description", errors) : null;
        var chosen = body.ValueKind == JsonValueKind.Object ? ApiBody.String(body, "key", errors) : null;
        if (errors.Count > 0)
        {
            return ApiResponses.FieldErrors(errors);
        }

        if (description?.Length > EduLoop.Domain.Limits.DescriptionLength)
        {
            return ApiResponses.FieldErrors(new Dictionary<string, IReadOnlyList<string>> { ["description"] = ["Ensure this field has no more than 2000 characters."] });
        }

        try
        {
            var key = await classes.AddKeyAsync(null, description, context.RequestAborted, string.IsNullOrEmpty(chosen) ? null : chosen);
            return TypedResults.Json(new KeyBody(key.Key), ApiJson.Context.KeyBody, statusCode: 201);
        }
        catch (DuplicateKeyException)
        {
            return Error(Messages.KeyTaken, StatusCodes.Status400BadRequest);
        }
        catch (DomainValidationException e)
        {
            return ApiResponses.FieldErrors(new Dictionary<string, IReadOnlyList<string>> { [e.Field ?? "key"] = [e.Message] });
        }
    }

    /// <summary>The list, with <c>is_active=true|false</c> (anything else is ignored, as the original's filter did).</summary>
    private static Task<IResult> ListAsync(HttpContext context, ClassService classes)
    {
        bool? isActive = context.Request.Query["is_active"].ToString() switch
        {
            "true" or "True" or "1" => true,
            "false" or "False" or "0" => false,
            _ => null,
        };
        return ApiResponses.PageAsync(context, ApiCacheTags.AccessKeys, (list, page, cancellationToken) => classes.ListAllKeysAsync(list.Options, page, isActive, cancellationToken),
            AccessKeyDto.From, ApiJson.Context.PageAccessKeyDto);
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, ClassService classes)
    {
        var (body, key, error) = await ReadKeyAsync(context);
        if (error is not null)
        {
            return error;
        }

        var errors = new Dictionary<string, IReadOnlyList<string>>();
        var description = ApiBody.String(body, "description", errors);
        var newKey = ApiBody.String(body, "new_key", errors);
        bool? isActive = null;
        if (body.TryGetProperty("is_active", out var active))
        {
            isActive = active.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => null,
            };
            if (isActive is null)
            {
                errors["is_active"] = ["Must be a valid boolean."];
            }
        }

        if (errors.Count > 0)
        {
            return ApiResponses.FieldErrors(errors);
        }

        try
        {
            await classes.UpdateKeyAsync(key, description, isActive, context.RequestAborted, string.IsNullOrEmpty(newKey) ? null : newKey);
            return TypedResults.Json(new MessageBody(Messages.KeyUpdated), ApiJson.Context.MessageBody);
        }
        catch (NotFoundException)
        {
            return Error(Messages.KeyNotFound, StatusCodes.Status404NotFound);
        }
        catch (DuplicateKeyException)
        {
            return Error(Messages.KeyTaken, StatusCodes.Status400BadRequest);
        }
        catch (DomainValidationException e)
        {
            return ApiResponses.FieldErrors(new Dictionary<string, IReadOnlyList<string>> { [e.Field ?? "non_field_errors"] = [e.Message] });
        }
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, ClassService classes)
    {
        var key = context.Request.Query["key"].ToString();
        if (string.IsNullOrEmpty(key))
        {
            (_, key, var error) = await ReadKeyAsync(context);
            if (error is not null)
            {
                return error;
            }
        }

        try
        {
            await classes.DeleteKeyAsync(key, context.RequestAborted);
            return TypedResults.Json(new MessageBody(Messages.KeyDeleted), ApiJson.Context.MessageBody);
        }
        catch (NotFoundException)
        {
            return Error(Messages.KeyNotFound, StatusCodes.Status404NotFound);
        }
    }

    private static IResult Error(string message, int status) => TypedResults.Json(new ErrorBody(message), ApiJson.Context.ErrorBody, statusCode: status);

    private static async Task<IResult> ObtainTokenAsync(
        HttpContext context, ApiThrottle throttle, CredentialThrottle credentials, PasswordCheck passwords, ApiTokenService tokens)
    {
        // Sign-in attempts have their own, much smaller budget: no password guessing at API speed.
        if (await throttle.CheckAsync(context, isLogin: true) is { } wait)
        {
            return ApiCallerFilter.Throttled(context, wait);
        }

        var (body, error) = await ApiBody.ReadObjectAsync(context.Request);
        if (error is not null)
        {
            return error;
        }

        var errors = new Dictionary<string, IReadOnlyList<string>>();
        var username = ApiBody.String(body, "username", errors);
        var password = ApiBody.String(body, "password", errors);
        foreach (var (field, value) in new[] { ("username", username), ("password", password) })
        {
            if (!errors.ContainsKey(field) && string.IsNullOrEmpty(value))
            {
                errors[field] = [value is null ? "This field is required." : "This field may not be blank."];
            }
        }

        if (errors.Count > 0)
        {
            return ApiResponses.FieldErrors(errors);
        }

        // Failed passwords count with the sign-in form's and bad tokens', per address and per account.
        if (await credentials.SignInWaitAsync(context, username!) is { } blocked)
        {
            return ApiCallerFilter.Throttled(context, blocked);
        }

        // As the original's: a deactivated account gets the same answer as a wrong password.
        var result = await passwords.CheckAsync(username!, password!);
        if (result is not { Outcome: PasswordCheckOutcome.Succeeded, User: { } user })
        {
            return await credentials.RecordSignInFailureAsync(context, username!) is { } over
                ? ApiCallerFilter.Throttled(context, over)
                : ApiResponses.FieldErrors(new Dictionary<string, IReadOnlyList<string>>
                {
                    ["non_field_errors"] = ["Unable to log in with provided credentials."],
                });
        }

        return TypedResults.Json(new TokenResponse(await tokens.CreateSignInTokenAsync(user.Id, context.RequestAborted)), ApiJson.Context.TokenResponse);
    }

    /// <summary>A wrong key counts as a failed credential: this answers the same question as <c>Authorization: AccessKey</c>.</summary>
    private static async Task<IResult> VerifyAccessKeyAsync(HttpContext context, ClassService classes, CredentialThrottle credentials)
    {
        var (_, key, error) = await ReadKeyAsync(context);
        if (error is not null)
        {
            return error;
        }

        if (await credentials.FailureWaitAsync(context) is { } blocked)
        {
            return ApiCallerFilter.Throttled(context, blocked);
        }

        if (await classes.IsActiveKeyAsync(key.Trim(), context.RequestAborted))
        {
            return TypedResults.Json(new MessageBody(Messages.KeyValid), ApiJson.Context.MessageBody);
        }

        return await credentials.RecordFailureAsync(context) is { } over
            ? ApiCallerFilter.Throttled(context, over)
            : Error(Messages.KeyInvalid, StatusCodes.Status400BadRequest);
    }

    /// <summary>The body and its <c>key</c>; a body without one is the original's 400 <c>{"error"}</c>.</summary>
    private static async Task<(JsonElement Body, string Key, IResult? Error)> ReadKeyAsync(HttpContext context)
    {
        var (body, error) = await ApiBody.ReadAsync(context.Request);
        if (error is not null)
        {
            return (body, "", error);
        }

        var key = body.ValueKind == JsonValueKind.Object ? ApiBody.String(body, "key", []) : null;
        return string.IsNullOrEmpty(key)
            ? (body, "", Error(Messages.KeyRequired, StatusCodes.Status400BadRequest))
            : (body, key, null);
    }
}

public sealed record TokenResponse(string Token);

public sealed record KeyBody(string Key);

public sealed record AccessKeyDto(string Key, string? Description, bool IsActive, DateTime CreatedAt)
{
    public static AccessKeyDto From(AccessKeySummary key) => new(key.Key, key.Description, key.IsActive, key.CreatedAt);
}

public sealed record MessageBody(string Message);

public sealed record ErrorBody(string Error);
