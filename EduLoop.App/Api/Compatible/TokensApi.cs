using System.Text.Json;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Identity;
using Microsoft.AspNetCore.Identity;

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
        return api;
    }

    private static async Task<IResult> ObtainTokenAsync(
        HttpContext context, ApiThrottle throttle, UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, ApiTokenService tokens)
    {
        // Sign-in attempts have their own, much smaller budget: no password guessing at API speed.
        if (throttle.Check(context, isLogin: true) is { } wait)
        {
            return ApiCallerFilter.Throttled(context, wait);
        }

        var (body, error) = await ApiBody.ReadAsync(context.Request);
        if (error is not null)
        {
            return error;
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return ApiBody.NotAnObject();
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

        var user = await users.FindByEmailAsync(username!) ?? await users.FindByNameAsync(username!);
        // The same checks as the sign-in page: lockout counts, deactivated accounts are refused.
        var result = user is null ? SignInResult.Failed : await signIn.CheckPasswordSignInAsync(user, password!, lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            return ApiResponses.FieldErrors(new Dictionary<string, IReadOnlyList<string>>
            {
                ["non_field_errors"] = ["Unable to log in with provided credentials."],
            });
        }

        return TypedResults.Json(new TokenResponse(await tokens.GetOrCreateAsync(user!.Id, context.RequestAborted)), ApiJson.Context.TokenResponse);
    }

    private static async Task<IResult> VerifyAccessKeyAsync(HttpContext context, ClassService classes)
    {
        var (body, error) = await ApiBody.ReadAsync(context.Request);
        if (error is not null)
        {
            return error;
        }

        var errors = new Dictionary<string, IReadOnlyList<string>>();
        var key = body.ValueKind == JsonValueKind.Object ? ApiBody.String(body, "key", errors) : null;
        if (string.IsNullOrEmpty(key))
        {
            return TypedResults.Json(new ErrorBody("Key is required."), ApiJson.Context.ErrorBody, statusCode: 400);
        }

        return await classes.IsActiveKeyAsync(key.Trim(), context.RequestAborted)
            ? TypedResults.Json(new MessageBody("Key is valid."), ApiJson.Context.MessageBody)
            : TypedResults.Json(new ErrorBody("Invalid or inactive key."), ApiJson.Context.ErrorBody, statusCode: 400);
    }
}

public sealed record TokenResponse(string Token);

public sealed record MessageBody(string Message);

public sealed record ErrorBody(string Error);
