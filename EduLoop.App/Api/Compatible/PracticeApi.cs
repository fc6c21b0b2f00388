using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using EduLoop.App.Hosting;
using EduLoop.Domain;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Practice;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.App.Api.Compatible;

/// <summary>The <c>EduLoop:Api</c> section.</summary>
public sealed class CompatibleApiOptions
{
    /// <summary>Send answer keys to everyone, as the original service did. Off: only staff see them.</summary>
    public bool ExposeAnswerKeys { get; set; }

    /// <summary>
    /// Origins whose pages may call the API from a browser, with credentials, as the original's
    /// django-cors-headers set-up allowed (<c>https://app.example.org</c>). None by default.
    /// </summary>
    public string[] CorsOrigins { get; set; } = [];
}

/// <summary>The original service's practice session: start with filters, take unseen questions one by one, end.</summary>
public static class PracticeApi
{
    public const string SessionCookie = "sessionid";
    public const string SessionHeader = "X-Session-Id";

    // The original's messages, word for word.
    private const string NoSession = "There is no active question this section.";
    private const string NoSelection = "Selecting a group and at least one subject is mandatory.";
    private const string NoMoreQuestions = "No more new questions are available for your selection.";

    public static RouteGroupBuilder MapPracticeApi(this RouteGroupBuilder api)
    {
        api.MapPost("/questions/", StartAsync).WithName("StartPractice")
            .WithSummary("Start a practice session: {group_id, subject_id, category_ids?, subcategory_ids?, levels?}.");
        api.MapGet("/questions/", NextAsync).WithName("NextPracticeQuestion")
            .WithSummary("The next question of the session not yet shown (session from the sessionid cookie, X-Session-Id or ?session_id=).");
        api.MapDelete("/questions/", EndAsync).WithName("EndPractice").WithSummary("End the practice session.");
        api.MapPost("/questions/answer/", CheckAsync).WithName("CheckAnswer")
            .WithSummary("Check a response: {question_id, response} gives {correct, answer, explanation}.");
        return api;
    }

    private static async Task<IResult> StartAsync(HttpContext context, PracticeService practice, CompatibleApiOptions options)
    {
        if (context.User.AsLearner() is not { } learner)
        {
            return ApiResponses.NotAuthenticated(context);
        }

        var (body, error) = await ApiBody.ReadAsync(context.Request);
        if (error is not null)
        {
            return error;
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return ApiBody.NotAnObject(body.ValueKind);
        }

        var groupId = Id(body, "group_id");
        var subjectId = Id(body, "subject_id");
        if (groupId is null || subjectId is null)
        {
            return Errors(NoSelection);
        }

        var categories = Ids(body, "category_ids");
        var subCategories = Ids(body, "subcategory_ids");
        var levels = Levels(body);
        if (categories is null || subCategories is null || levels is null)
        {
            return Errors("category_ids and subcategory_ids must be lists of ids; levels a list of easy, medium, advance.");
        }

        PracticeStep step;
        try
        {
            step = await practice.StartAsync(learner, new PracticeFilter(groupId.Value, subjectId.Value, categories, subCategories, levels), context.RequestAborted);
        }
        catch (AttemptInProgressException e)
        {
            return Errors(e.Message, StatusCodes.Status409Conflict);
        }
        catch (ValidationErrors e)
        {
            return ApiResponses.FieldErrors(e.Fields);
        }

        context.Response.Cookies.Append(SessionCookie, step.SessionId, SessionCookieOptions(context));
        return TypedResults.Json(ToWire(step, context.User, options), ApiJson.Context.PracticeResponse);
    }

    private static CookieOptions SessionCookieOptions(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Path = "/api/",
        MaxAge = PracticeSession.Lifetime,
        Secure = context.Request.IsHttps,
    };

    /// <summary>
    /// The next question of the session, the question object itself as the original answered. The
    /// session's id is enough, as it was for the original's clients; a signed-in caller only reaches
    /// their own sessions.
    /// </summary>
    private static async Task<IResult> NextAsync(HttpContext context, PracticeService practice, CompatibleApiOptions options)
    {
        try
        {
            var learner = context.User.AsLearner();
            var step = learner is null
                ? await practice.NextAsync(SessionId(context), context.RequestAborted)
                : await practice.NextAsync(learner, SessionId(context), context.RequestAborted);
            context.Response.Cookies.Append(SessionCookie, step.SessionId, SessionCookieOptions(context));
            return step.Question is null
                ? Errors(NoMoreQuestions, StatusCodes.Status404NotFound)
                : TypedResults.Json(ToWire(step, context.User, options).Question!, ApiJson.Context.QuestionDto);
        }
        catch (PracticeSessionNotFoundException)
        {
            return Errors(NoSession);
        }
        catch (AttemptInProgressException e)
        {
            return Errors(e.Message, StatusCodes.Status409Conflict);
        }
    }

    private static async Task<IResult> EndAsync(HttpContext context, PracticeService practice)
    {
        if (context.User.AsLearner() is not { } learner)
        {
            return ApiResponses.NotAuthenticated(context);
        }

        try
        {
            await practice.EndAsync(learner, SessionId(context), context.RequestAborted);
        }
        catch (PracticeSessionNotFoundException)
        {
            // Ending a session that is already gone leaves the same state: nothing to practise.
        }

        context.Response.Cookies.Delete(SessionCookie, new CookieOptions { Path = "/api/" });
        return TypedResults.Json(new MessageBody("Question session has been reset."), ApiJson.Context.MessageBody);
    }

    /// <summary>
    /// Checks a response and gives the key: a caller is needed (the key is the answer), and a student
    /// gets nothing for a question an open quiz of their classes holds, or while taking a quiz.
    /// </summary>
    private static async Task<IResult> CheckAsync(HttpContext context, PracticeService practice)
    {
        if (context.User.AsLearner() is not { } learner)
        {
            return ApiResponses.NotAuthenticated(context);
        }

        var (body, error) = await ApiBody.ReadAsync(context.Request);
        if (error is not null)
        {
            return error;
        }

        if (body.ValueKind != JsonValueKind.Object || Id(body, "question_id") is not { } id || !body.TryGetProperty("response", out var response))
        {
            return Errors("question_id and response are required.");
        }

        QuestionRecord question;
        AnswerCheck? check;
        try
        {
            (question, check) = await practice.CheckAsync(learner, id, response, context.RequestAborted);
        }
        catch (NotFoundException)
        {
            return Errors("Question not found.", StatusCodes.Status404NotFound);
        }
        catch (QuestionHeldException e)
        {
            return Errors(e.Message, StatusCodes.Status403Forbidden);
        }
        catch (AttemptInProgressException e)
        {
            return Errors(e.Message, StatusCodes.Status409Conflict);
        }

        if (check is null)
        {
            return Errors("This question is not marked automatically.");
        }

        var key = OriginalMetadata.ToMetadata(question.Type, question.Stem, question.Body);
        var answer = question.Type == QuestionType.Matching ? key["pairs"] : key["answer"];
        return TypedResults.Json(
            new AnswerResult(check.Correct, check.Score, answer?.DeepClone(), question.Body.GeneralFeedback),
            ApiJson.Context.AnswerResult);
    }

    private static PracticeResponse ToWire(PracticeStep step, ClaimsPrincipal user, CompatibleApiOptions options)
    {
        var seesKeys = options.ExposeAnswerKeys || user.IsStaff();
        var question = step.Question is null ? null : seesKeys ? QuestionDto.ForStaff(step.Question) : QuestionDto.ForStudent(step.Question);
        return new PracticeResponse(step.SessionId, question);
    }

    private static string? SessionId(HttpContext context) =>
        context.Request.Cookies[SessionCookie] is { Length: > 0 } cookie ? cookie
        : context.Request.Headers[SessionHeader].ToString() is { Length: > 0 } header ? header
        : context.Request.Query["session_id"].ToString() is { Length: > 0 } query ? query
        : null;

    private static IResult Errors(string message, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Json(new ErrorsBody(message), ApiJson.Context.ErrorsBody, statusCode: status);

    private static int? Id(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) ? AsId(value) : null;

    private static int? AsId(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt32(out var i) && i > 0 => i,
        JsonValueKind.String when int.TryParse(value.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) && i > 0 => i,
        _ => null,
    };

    /// <summary>An optional list of ids: absent or null is empty, anything malformed is null.</summary>
    private static List<int>? Ids(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > 1000)
        {
            return null;
        }

        var ids = value.EnumerateArray().Select(AsId).ToList();
        return ids.Any(i => i is null) ? null : ids.Select(i => i!.Value).Distinct().ToList();
    }

    private static List<QuestionLevel>? Levels(JsonElement body)
    {
        if (!body.TryGetProperty("levels", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var levels = new List<QuestionLevel>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !QuestionNames.TryParseLevel(item.GetString(), out var level))
            {
                return null;
            }

            levels.Add(level);
        }

        return levels.Distinct().ToList();
    }
}

public sealed record PracticeResponse(string SessionId, QuestionDto? Question);

public sealed record AnswerResult(bool Correct, decimal Score, JsonNode? Answer, string? Explanation);

public sealed record ErrorsBody(string Errors);
