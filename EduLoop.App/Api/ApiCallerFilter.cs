using EduLoop.Domain.Identity;
using Microsoft.AspNetCore.Authentication;

namespace EduLoop.App.Api;

/// <summary>
/// Runs before every API endpoint: works out who is calling (API credentials first, then the
/// browser's sign-in cookie), refuses bad credentials with 401 as the original did, and applies the
/// request budget. Bad credentials count against the address's budget of failures first: over it, a
/// credential is not even checked.
/// </summary>
public sealed class ApiCallerFilter(ApiThrottle throttle, Hosting.CredentialThrottle credentials, Compatible.OriginalRoutes routes) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        if (ApiKeyAuthenticationHandler.CarriesCredentials(context.Request) && await credentials.FailureWaitAsync(context) is { } blocked)
        {
            return Throttled(context, blocked);
        }

        var api = await context.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);
        if (api.Failure is not null)
        {
            if (await credentials.RecordFailureAsync(context) is { } wait)
            {
                return Throttled(context, wait);
            }

            context.Response.Headers.WWWAuthenticate = ApiResponses.Challenge;
            return TypedResults.Json(new Detail(api.Failure.Message), ApiJson.Context.Detail, statusCode: StatusCodes.Status401Unauthorized);
        }

        // Without API credentials the caller is whoever the authentication middleware found: the
        // browser's sign-in cookie, or nobody.
        if (api.Succeeded)
        {
            context.User = api.Principal;
        }

        // As the original (DRF checks permissions before throttles): a request its route refuses
        // anyway gets that answer, not a 429, and costs no budget.
        if (context.GetEndpoint()?.Metadata.GetMetadata<OwnThrottle>() is null && !RefusedAnyway(context) && await throttle.CheckAsync(context) is { } over)
        {
            return Throttled(context, over);
        }

        return await next(invocation);
    }

    private bool RefusedAnyway(HttpContext context) =>
        routes.For(context.GetEndpoint())?.Refusal(context.Request.Method, context.User) is not null;

    public static IResult Throttled(HttpContext context, int seconds)
    {
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Json(
            new Detail($"Request was throttled. Expected available in {seconds} seconds."),
            ApiJson.Context.Detail,
            statusCode: StatusCodes.Status429TooManyRequests);
    }
}

/// <summary>Marks an endpoint that applies its own request budget instead of the general one.</summary>
public sealed class OwnThrottle;

/// <summary>Writes need staff: anonymous callers get 401, everyone else who is not staff 403.</summary>
public sealed class StaffOnlyFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var user = invocation.HttpContext.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return ApiResponses.NotAuthenticated(invocation.HttpContext);
        }

        if (!user.IsInRole(Roles.Admin) && !user.IsInRole(Roles.Teacher))
        {
            return ApiResponses.Forbidden();
        }

        return await next(invocation);
    }
}
