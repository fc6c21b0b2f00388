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
        admins.MapPost("/", CreateAsync).WithName("CreateUser")
            .WithSummary("Create an account: {username, email, password, confirm_password, first_name?, last_name?, is_staff? (default true) | role?, is_active?}.");
        admins.MapGet("/{id}/", GetAsync).WithName("GetUser").WithSummary("One account, by its number.");
        admins.MapPut("/{id}/", (HttpContext c, UserAdminService u, string id) => UpdateAsync(c, u, id, partial: false)).WithName("ReplaceUser")
            .WithSummary("Change an account: {username, email?, first_name?, last_name?, password, confirm_password, is_staff?, is_active?}.");
        admins.MapPatch("/{id}/", (HttpContext c, UserAdminService u, string id) => UpdateAsync(c, u, id, partial: true)).WithName("UpdateUser").WithSummary("Change some fields of an account.");
        admins.MapDelete("/{id}/", DeleteAsync).WithName("DeleteUser").WithSummary("Delete an account (not your own).");
        admins.MapUserTokens();

        var self = api.MapGroup("/current-user").AddEndpointFilter<AccountHolderFilter>();
        self.MapGet("/", GetSelfAsync).WithName("GetCurrentUser").WithSummary("Your account.");
        self.MapPatch("/", UpdateSelfAsync).WithName("UpdateCurrentUser").WithSummary("Change your names, email or password.");
        self.MapDelete("/", DeleteSelfAsync).WithName("DeleteCurrentUser").WithSummary("Delete your account.");
        self.MapOwnTokens();
        return api;
    }

    private static Task<IResult> ListAsync(HttpContext context, IServiceScopeFactory scopes)
    {
        bool? isStaff = context.Request.Query["is_staff"].ToString() switch
        {
            "true" or "True" or "1" => true,
            "false" or "False" or "0" => false,
            _ => null,
        };
        return ApiResponses.PageAsync(context, ApiCacheTags.Accounts,
            async (list, page, cancellationToken) =>
            {
                // The accounts service holds the request's user manager: the page, which may outlive
                // the request that started it, takes one of its own.
                await using var scope = scopes.CreateAsyncScope();
                var users = scope.ServiceProvider.GetRequiredService<UserAdminService>();
                IEnumerable<UserSummary> all = await users.ListAsync(null, cancellationToken);
                foreach (var term in list.Options.SearchTerms)
                {
                    all = all.Where(u => new[] { u.UserName, u.Email, u.FirstName, u.LastName }.Any(f => f.Contains(term, StringComparison.OrdinalIgnoreCase)));
                }

                if (isStaff is { } staff)
                {
                    all = all.Where(u => IsStaff(u) == staff);
                }

                return Order(all, list.Options.Ordering).ToList().ToPage(page);
            },
            UserDto.From, ApiJson.Context.PageUserDto);
    }

    /// <summary>By id, or by the original's ordering fields (<c>username</c>, <c>email</c>, <c>date_joined</c>, each with <c>-</c>).</summary>
    private static IEnumerable<UserSummary> Order(IEnumerable<UserSummary> users, IReadOnlyList<EduLoop.Domain.Querying.SortKey> ordering)
    {
        IOrderedEnumerable<UserSummary>? ordered = null;
        foreach (var key in ordering)
        {
            Func<UserSummary, string> field = key.Field switch
            {
                "username" => u => u.UserName,
                "email" => u => u.Email,
                "date_joined" => u => u.CreatedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                _ => null!,
            };
            if (field is null)
            {
                continue;
            }

            ordered = ordered is null
                ? key.Descending ? users.OrderByDescending(field, StringComparer.Ordinal) : users.OrderBy(field, StringComparer.Ordinal)
                : key.Descending ? ordered.ThenByDescending(field, StringComparer.Ordinal) : ordered.ThenBy(field, StringComparer.Ordinal);
        }

        return ordered?.ThenBy(u => u.Number) ?? users.OrderBy(u => u.Number);
    }

    private static async Task<IResult> GetAsync(HttpContext context, UserAdminService users, string id) =>
        await WithUserAsync(users, id, context.RequestAborted, user => Task.FromResult<IResult>(TypedResults.Json(UserDto.From(user), ApiJson.Context.UserDto)));

    private static async Task<IResult> GetSelfAsync(HttpContext context, UserAdminService users) =>
        TypedResults.Json(UserDto.From(await users.GetAsync(UserId(context.User), context.RequestAborted)), ApiJson.Context.UserDto);

    /// <summary>The account numbered <paramref name="id"/>; anything else is the original's 404.</summary>
    private static async Task<IResult> WithUserAsync(UserAdminService users, string id, CancellationToken cancellationToken, Func<UserSummary, Task<IResult>> found)
    {
        if (!int.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return ApiResponses.NotFound();
        }

        try
        {
            return await found(await users.GetByNumberAsync(number, cancellationToken));
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

        var input = UserInput.Read(body);
        var errors = input.Errors;
        foreach (var (field, value) in new[] { ("username", input.UserName), ("password", input.Password), ("confirm_password", input.ConfirmPassword) })
        {
            if (!errors.ContainsKey(field) && string.IsNullOrEmpty(value))
            {
                errors[field] = [value is null ? "This field is required." : "This field may not be blank."];
            }
        }

        if (errors.Count == 0 && await users.UserNameTakenAsync(input.UserName!))
        {
            errors["username"] = ["A user with that username already exists."];
        }

        if (errors.Count == 0 && input.PasswordProblem() is { } problem)
        {
            errors["non_field_errors"] = [problem];
        }

        if (errors.Count == 0 && string.IsNullOrWhiteSpace(input.Email))
        {
            // EduLoop's accounts sign in to the web pages with their email.
            errors["email"] = ["This field is required."];
        }

        if (errors.Count > 0)
        {
            return ApiResponses.FieldErrors(errors);
        }

        try
        {
            // As the original's: a new account is staff unless told otherwise.
            var role = input.Role ?? Roles.Teacher;
            var created = await users.CreateAsync(
                new NewUser(input.Email!, DisplayName(input.FirstName, input.LastName), role, input.Password!, input.UserName, input.FirstName ?? "", input.LastName ?? ""),
                context.RequestAborted);
            if (input.IsActive == false)
            {
                await users.SetActiveAsync(created.Id, false, UserId(context.User));
            }

            return TypedResults.Json(UserDto.From(await users.GetAsync(created.Id, context.RequestAborted)), ApiJson.Context.UserDto, statusCode: 201);
        }
        catch (DomainValidationException e)
        {
            return ApiResponses.FieldErrors(new Dictionary<string, IReadOnlyList<string>> { [e.Field ?? "non_field_errors"] = [e.Message] });
        }
    }

    private static Task<IResult> UpdateAsync(HttpContext context, UserAdminService users, string id, bool partial) =>
        WithUserAsync(users, id, context.RequestAborted, user => UpdateAsync(context, users, user, partial, self: false));

    private static async Task<IResult> UpdateSelfAsync(HttpContext context, UserAdminService users) =>
        await UpdateAsync(context, users, await users.GetAsync(UserId(context.User), context.RequestAborted), partial: true, self: true);

    /// <summary>
    /// PUT needs the password and its confirmation, PATCH only what changes. Nobody changes their own
    /// staff or active flag: through <c>/users/</c> that is a 403 <c>detail</c>, through
    /// <c>/current-user/</c> a 403 <c>error</c>, with the original's German texts.
    /// </summary>
    private static async Task<IResult> UpdateAsync(HttpContext context, UserAdminService users, UserSummary user, bool partial, bool self)
    {
        var (body, error) = await ApiBody.ReadObjectAsync(context.Request);
        if (error is not null)
        {
            return error;
        }

        var input = UserInput.Read(body);
        var actor = UserId(context.User);
        var own = user.Id == actor;
        if (self && (input.Role is not null || body.TryGetProperty("is_staff", out _)))
        {
            return Refused(new ErrorBody(Messages.StaffFlag));
        }

        if (self && body.TryGetProperty("is_active", out _))
        {
            return Refused(new ErrorBody(Messages.ActiveFlag));
        }

        if (own && !self && (input.Role is not null || body.TryGetProperty("is_staff", out _)))
        {
            return TypedResults.Json(new Detail(Messages.OwnStaffFlag), ApiJson.Context.Detail, statusCode: 403);
        }

        if (own && !self && body.TryGetProperty("is_active", out _))
        {
            return TypedResults.Json(new Detail(Messages.OwnActiveFlag), ApiJson.Context.Detail, statusCode: 403);
        }

        var errors = input.Errors;
        if (!partial)
        {
            foreach (var (field, value) in new[] { ("username", input.UserName), ("password", input.Password), ("confirm_password", input.ConfirmPassword) })
            {
                if (!errors.ContainsKey(field) && value is null)
                {
                    errors[field] = ["This field is required."];
                }
            }
        }

        if (errors.Count == 0 && (input.Password is not null || input.ConfirmPassword is not null) && input.PasswordProblem() is { } problem)
        {
            errors["non_field_errors"] = [problem];
        }

        if (errors.Count == 0 && input.UserName is { } userName && userName.Trim() != user.UserName && await users.UserNameTakenAsync(userName))
        {
            errors["username"] = ["A user with that username already exists."];
        }

        if (errors.Count > 0)
        {
            return ApiResponses.FieldErrors(errors);
        }

        try
        {
            var names = input.FirstName is not null || input.LastName is not null
                ? DisplayName(input.FirstName ?? user.FirstName, input.LastName ?? user.LastName)
                : null;
            await users.UpdateProfileAsync(user.Id, new ProfileChange(input.Email, string.IsNullOrEmpty(names) ? null : names, input.UserName, input.FirstName, input.LastName));
            if (!string.IsNullOrEmpty(input.Password))
            {
                await users.SetPasswordAsync(user.Id, input.Password);
            }

            if (input.Role is { } role && role != user.Role && !(role == Roles.Teacher && user.Role == Roles.Admin))
            {
                await users.SetRoleAsync(user.Id, role, actor);
            }

            if (input.IsActive is { } active && active != user.IsActive)
            {
                await users.SetActiveAsync(user.Id, active, actor);
            }

            return TypedResults.Json(UserDto.From(await users.GetAsync(user.Id, context.RequestAborted)), ApiJson.Context.UserDto);
        }
        catch (DomainValidationException e)
        {
            return ApiResponses.FieldErrors(new Dictionary<string, IReadOnlyList<string>> { [e.Field ?? "non_field_errors"] = [e.Message] });
        }
    }

    private static Task<IResult> DeleteAsync(HttpContext context, UserAdminService users, string id) =>
        WithUserAsync(users, id, context.RequestAborted, async user =>
        {
            if (user.Id == UserId(context.User))
            {
                return TypedResults.Json(new Detail("Use /api/current-user/ to delete your own account."), ApiJson.Context.Detail, statusCode: 403);
            }

            await users.DeleteAsync(user.Id, UserId(context.User));
            return TypedResults.NoContent();
        });

    private static async Task<IResult> DeleteSelfAsync(HttpContext context, UserAdminService users)
    {
        try
        {
            await users.DeleteOwnAsync(UserId(context.User), context.RequestAborted);
            return TypedResults.Json(new MessageBody(Messages.AccountDeleted), ApiJson.Context.MessageBody);
        }
        catch (DomainValidationException e)
        {
            return TypedResults.Json(new Detail(e.Message), ApiJson.Context.Detail, statusCode: 403);
        }
    }

    private static IResult Refused(ErrorBody body) => TypedResults.Json(body, ApiJson.Context.ErrorBody, statusCode: 403);

    private static string DisplayName(string? first, string? last) => $"{first?.Trim()} {last?.Trim()}".Trim();

    private static bool IsStaff(UserSummary user) => user.Role is Roles.Admin or Roles.Teacher;

    /// <summary>A role from <c>role</c> (Admin, Teacher, Student) or the original's <c>is_staff</c> (true: Teacher).</summary>
    internal static string? Role(JsonElement body, Dictionary<string, IReadOnlyList<string>> errors)
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

    internal static bool? Bool(JsonElement body, string name, Dictionary<string, IReadOnlyList<string>> errors)
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

/// <summary>An account as the original's serializer wrote it: <c>id</c> is the account's number.</summary>
public sealed record UserDto(int Id, string Username, string Email, string FirstName, string LastName, bool IsStaff, bool IsActive)
{
    public static UserDto From(UserSummary user) => new(
        user.Number, user.UserName, user.Email, user.FirstName, user.LastName, user.Role is Roles.Admin or Roles.Teacher, user.IsActive);
}

/// <summary>The fields of an account in a request body, read with DRF's type errors.</summary>
internal sealed class UserInput
{
    private const int MinimumPasswordLength = 8;

    public Dictionary<string, IReadOnlyList<string>> Errors { get; } = [];

    public string? UserName { get; private init; }

    public string? Email { get; private init; }

    public string? FirstName { get; private init; }

    public string? LastName { get; private init; }

    public string? Password { get; private init; }

    public string? ConfirmPassword { get; private init; }

    public string? Role { get; private init; }

    public bool? IsActive { get; private init; }

    public static UserInput Read(JsonElement body)
    {
        var errors = new Dictionary<string, IReadOnlyList<string>>();
        var input = new UserInput
        {
            UserName = ApiBody.String(body, "username", errors),
            Email = ApiBody.String(body, "email", errors),
            FirstName = ApiBody.String(body, "first_name", errors),
            LastName = ApiBody.String(body, "last_name", errors),
            Password = ApiBody.String(body, "password", errors),
            ConfirmPassword = ApiBody.String(body, "confirm_password", errors),
            Role = UsersApi.Role(body, errors),
            IsActive = UsersApi.Bool(body, "is_active", errors),
        };
        if (input.Email is { Length: > 0 } email && !System.Net.Mail.MailAddress.TryCreate(email.Trim(), out _))
        {
            errors["email"] = ["Enter a valid email address."];
        }

        foreach (var (field, messages) in errors)
        {
            input.Errors[field] = messages;
        }

        return input;
    }

    /// <summary>The original's own password checks, in German: the two must match, and be 8 characters or more.</summary>
    public string? PasswordProblem() =>
        Password != ConfirmPassword ? Messages.PasswordsDiffer
        : (Password?.Length ?? 0) < MinimumPasswordLength ? Messages.PasswordTooShort
        : null;
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
        context.Response.Headers.WWWAuthenticate = ApiResponses.Challenge;
        return TypedResults.Json(new Detail("Authentication credentials were not provided."), ApiJson.Context.Detail, statusCode: 401);
    }

    internal static IResult Forbidden() =>
        ApiResponses.Forbidden();
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
