using System.Security.Claims;
using System.Text.Json;
using EduLoop.Domain;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Querying;

namespace EduLoop.App.Api.Compatible;

/// <summary>Accounts: admins manage everyone's under <c>/users/</c>; everyone manages their own under <c>/current-user/</c>.</summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var admins = api.MapGroup("/users").AddEndpointFilter<AdminOnlyFilter>();
        admins.MapGet("/", ListAsync).WithName("ListUsers").WithSummary("Accounts by email; search by email or name.");
        admins.MapPost("/", CreateAsync).WithName("CreateUser").WithSummary("Create an account: {email, password, name?, role? | is_staff?}.");
        admins.MapGet("/{id}/", GetAsync).WithName("GetUser").WithSummary("One account.");
        admins.MapPut("/{id}/", (HttpContext c, UserAdminService u, string id) => UpdateAsync(c, u, id)).WithName("ReplaceUser").WithSummary("Change an account.");
        admins.MapPatch("/{id}/", (HttpContext c, UserAdminService u, string id) => UpdateAsync(c, u, id)).WithName("UpdateUser").WithSummary("Change some fields of an account.");
        admins.MapDelete("/{id}/", DeleteAsync).WithName("DeleteUser").WithSummary("Delete an account (not your own).");
        admins.MapUserTokens();

        var self = api.MapGroup("/current-user").AddEndpointFilter<AccountHolderFilter>();
        self.MapGet("/", (HttpContext c, UserAdminService u) => GetAsync(c, u, UserId(c.User))).WithName("GetCurrentUser").WithSummary("Your account.");
        self.MapPatch("/", (HttpContext c, UserAdminService u) => UpdateAsync(c, u, UserId(c.User))).WithName("UpdateCurrentUser").WithSummary("Change your name, email or password.");
        self.MapDelete("/", DeleteSelfAsync).WithName("DeleteCurrentUser").WithSummary("Delete your account.");
        self.MapOwnTokens();
        return api;
    }

    private static Task<IResult> ListAsync(HttpContext context, UserAdminService users) =>
        ApiResponses.PageAsync(context,
            async (list, page) => (await users.ListAsync(string.Join(' ', list.Options.SearchTerms), context.RequestAborted)).ToPage(page),
            UserDto.From, ApiJson.Context.PageUserDto);

    private static async Task<IResult> GetAsync(HttpContext context, UserAdminService users, string id)
    {
        try
        {
            return TypedResults.Json(UserDto.From(await users.GetAsync(id, context.RequestAborted)), ApiJson.Context.UserDto);
        }
        catch (NotFoundException)
        {
            return ApiResponses.NotFound();
        }
    }

    private static async Task<IResult> CreateAsync(HttpContext context, UserAdminService users)
    {
        var (body, error) = await ApiBody.ReadObjectAsync(context.Request);
        if (error is not null)
        {
            return error;
        }

        var errors = new Dictionary<string, IReadOnlyList<string>>();
        var email = ApiBody.String(body, "email", errors) ?? ApiBody.String(body, "username", errors);
        var password = ApiBody.String(body, "password", errors);
        var name = ApiBody.String(body, "name", errors) ?? "";
        var role = Role(body, errors) ?? Roles.Student;
        if (string.IsNullOrWhiteSpace(email))
        {
            errors["email"] = ["This field is required."];
        }

        if (string.IsNullOrEmpty(password))
        {
            errors["password"] = ["This field is required."];
        }

        if (errors.Count > 0)
        {
            return ApiResponses.FieldErrors(errors);
        }

        try
        {
            var created = await users.CreateAsync(new NewUser(email!, name, role, password!), context.RequestAborted);
            return TypedResults.Json(UserDto.From(created), ApiJson.Context.UserDto, statusCode: 201);
        }
        catch (DomainValidationException e)
        {
            return ApiResponses.FieldErrors(new Dictionary<string, IReadOnlyList<string>> { [e.Field ?? "non_field_errors"] = [e.Message] });
        }
    }

    /// <summary>PUT and PATCH both change only the fields given; your own role and active flag are not yours to change.</summary>
    private static async Task<IResult> UpdateAsync(HttpContext context, UserAdminService users, string id)
    {
        var (body, error) = await ApiBody.ReadObjectAsync(context.Request);
        if (error is not null)
        {
            return error;
        }

        var errors = new Dictionary<string, IReadOnlyList<string>>();
        var email = ApiBody.String(body, "email", errors);
        var name = ApiBody.String(body, "name", errors);
        var password = ApiBody.String(body, "password", errors);
        var role = Role(body, errors);
        var isActive = Bool(body, "is_active", errors);
        if (errors.Count > 0)
        {
            return ApiResponses.FieldErrors(errors);
        }

        var self = id == UserId(context.User);
        if (self && (role is not null || isActive is not null))
        {
            return TypedResults.Json(new Detail("You cannot change your own staff or active status."), ApiJson.Context.Detail, statusCode: 403);
        }

        var actor = UserId(context.User);
        try
        {
            var current = await users.GetAsync(id, context.RequestAborted);
            if (email is not null || name is not null)
            {
                await users.UpdateProfileAsync(id, email, name);
            }

            if (!string.IsNullOrEmpty(password))
            {
                await users.SetPasswordAsync(id, password);
            }

            if (role is not null && role != current.Role)
            {
                await users.SetRoleAsync(id, role, actor);
            }

            if (isActive is { } active && active != current.IsActive)
            {
                await users.SetActiveAsync(id, active, actor);
            }

            return TypedResults.Json(UserDto.From(await users.GetAsync(id, context.RequestAborted)), ApiJson.Context.UserDto);
        }
        catch (NotFoundException)
        {
            return ApiResponses.NotFound();
        }
        catch (DomainValidationException e)
        {
            return ApiResponses.FieldErrors(new Dictionary<string, IReadOnlyList<string>> { [e.Field ?? "non_field_errors"] = [e.Message] });
        }
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, UserAdminService users, string id)
    {
        if (id == UserId(context.User))
        {
            return TypedResults.Json(new Detail("Use /api/current-user/ to delete your own account."), ApiJson.Context.Detail, statusCode: 403);
        }

        try
        {
            await users.DeleteAsync(id, UserId(context.User));
            return TypedResults.NoContent();
        }
        catch (NotFoundException)
        {
            return ApiResponses.NotFound();
        }
    }

    private static async Task<IResult> DeleteSelfAsync(HttpContext context, UserAdminService users)
    {
        try
        {
            await users.DeleteOwnAsync(UserId(context.User), context.RequestAborted);
            return TypedResults.NoContent();
        }
        catch (DomainValidationException e)
        {
            return TypedResults.Json(new Detail(e.Message), ApiJson.Context.Detail, statusCode: 403);
        }
    }

    /// <summary>A role from <c>role</c> (Admin, Teacher, Student) or the original's <c>is_staff</c> (true: Teacher).</summary>
    private static string? Role(JsonElement body, Dictionary<string, IReadOnlyList<string>> errors)
    {
        if (ApiBody.String(body, "role", errors) is { } role)
        {
            var known = Roles.All.FirstOrDefault(r => r.Equals(role, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                errors["role"] = [$"\"{role}\" is not a valid choice."];
            }

            return known;
        }

        return Bool(body, "is_staff", errors) switch
        {
            true => Roles.Teacher,
            false => Roles.Student,
            null => null,
        };
    }

    private static bool? Bool(JsonElement body, string name, Dictionary<string, IReadOnlyList<string>> errors)
    {
        if (!body.TryGetProperty(name, out var value))
        {
            return null;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                errors[name] = ["Must be a valid boolean."];
                return null;
        }
    }

    private static string UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
}

public sealed record UserDto(string Id, string Username, string Email, string Name, string Role, bool IsStaff, bool IsActive, DateTime DateJoined)
{
    public static UserDto From(UserSummary user) => new(
        user.Id, user.Email, user.Email, user.DisplayName, user.Role, user.Role is Roles.Admin or Roles.Teacher, user.IsActive, user.CreatedAt);
}

/// <summary>Only admins: anonymous callers get 401, everyone else 403.</summary>
public sealed class AdminOnlyFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next) =>
        invocation.HttpContext.User.Identity?.IsAuthenticated != true ? Unauthenticated(invocation.HttpContext)
        : !invocation.HttpContext.User.IsInRole(Roles.Admin) ? Forbidden()
        : await next(invocation);

    internal static IResult Unauthenticated(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Token";
        return TypedResults.Json(new Detail("Authentication credentials were not provided."), ApiJson.Context.Detail, statusCode: 401);
    }

    internal static IResult Forbidden() =>
        TypedResults.Json(new Detail("You do not have permission to perform this action."), ApiJson.Context.Detail, statusCode: 403);
}

/// <summary>Callers with an account of their own (not an access key): anonymous 401, access keys 403.</summary>
public sealed class AccountHolderFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var user = invocation.HttpContext.User;
        return user.Identity?.IsAuthenticated != true ? AdminOnlyFilter.Unauthenticated(invocation.HttpContext)
            : user.FindFirstValue(ClaimTypes.AuthenticationMethod) == ApiKeyAuthenticationHandler.AccessKeyMethod ? AdminOnlyFilter.Forbidden()
            : await next(invocation);
    }
}
