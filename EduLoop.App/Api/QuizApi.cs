using System.Text.Json;
using System.Text.Json.Serialization;
using EduLoop.App.Hosting;
using EduLoop.Domain;
using EduLoop.Domain.Identity;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;

namespace EduLoop.App.Api;

/// <summary>
/// Quizzes for outside clients (a mobile app): the caller's quizzes, start or resume an attempt, save
/// an answer, submit. The caller is a signed-in user (personal token or cookie); another student's
/// attempt answers 404 with nothing in it. Questions go out without answers or feedback.
/// </summary>
public static class QuizApi
{
    public static RouteGroupBuilder MapQuizApi(this RouteGroupBuilder api)
    {
        var students = api.MapGroup("").AddEndpointFilter<SignedInFilter>();
        students.MapGet("/quizzes/", ListAsync).WithName("MyQuizzes").WithSummary("The quizzes given to the caller's classes.");
        students.MapPost("/quizzes/{id}/attempt/", StartAsync).WithName("StartAttempt")
            .WithSummary("Start an attempt at a quiz, or resume the one in progress; its questions come without answers.");
        students.MapPut("/attempts/{id}/answers/{position}/", SaveAsync).WithName("SaveAnswer")
            .WithSummary("Save the answer to one question: {response, sequence}. A sequence not above the saved one is 409 with the current one; so is a submitted or timed-out attempt, and (with sequential navigation) a question before the furthest one answered.");
        students.MapPost("/attempts/{id}/submit/", SubmitAsync).WithName("SubmitAttempt")
            .WithSummary("Submit the attempt; a second submit returns the same result. The score shows only as the quiz's review policy allows.");
        students.MapGet("/quizzes/{id}/attempts/", AttemptsAsync).WithName("MyAttempts")
            .WithSummary("The caller's attempts at a quiz, newest first; scores only where the review policy shows them.");
        students.MapGet("/attempts/{id}/", ReviewAsync).WithName("ReviewAttempt")
            .WithSummary("Review an attempt: answers, and score, right/wrong, correct answers and feedback as far as the quiz's review policy allows; staff see everything.");
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext context, AttemptService attempts) =>
        TypedResults.Json((await attempts.QuizzesOfAsync(context.User.UserId()!, context.RequestAborted))
            .Select(q => new QuizDto(q.Id, q.Title, q.Instructions, q.OpensAt, q.ClosesAt, q.TimeLimitMinutes, q.AttemptsAllowed, q.AttemptsUsed, q.AttemptInProgress))
            .ToList(), ApiJson.Context.ListQuizDto);

    private static Task<IResult> StartAsync(HttpContext context, AttemptService attempts, string id) =>
        ApiResponses.WithIdAsync(id, async quizId =>
        {
            try
            {
                return TypedResults.Json(AttemptDto.From(await attempts.StartAsync(quizId, context.User.UserId()!, context.RequestAborted)), ApiJson.Context.AttemptDto);
            }
            catch (QuizUnavailableException e)
            {
                return TypedResults.Json(new Detail(e.Message), ApiJson.Context.Detail, statusCode: 409);
            }
        });

    private static async Task<IResult> SaveAsync(HttpContext context, AttemptService attempts, string id, string position)
    {
        if (!int.TryParse(position, out var number))
        {
            return TypedResults.Json(new Detail("Not found."), ApiJson.Context.Detail, statusCode: 404);
        }

        var (body, error) = await ApiBody.ReadObjectAsync(context.Request);
        if (error is not null)
        {
            return error;
        }

        if (!body.TryGetProperty("response", out var response) || !body.TryGetProperty("sequence", out var sequence)
            || sequence.ValueKind != JsonValueKind.Number || !sequence.TryGetInt64(out var value) || value < 1)
        {
            return TypedResults.Json(new Dictionary<string, IReadOnlyList<string>> { ["non_field_errors"] = ["Send {\"response\": …, \"sequence\": a number from 1 up}."] },
                ApiJson.Context.IReadOnlyDictionaryStringIReadOnlyListString, statusCode: 400);
        }

        return await ApiResponses.WithIdAsync(id, async attemptId =>
        {
            try
            {
                var saved = await attempts.SaveAnswerAsync(attemptId, context.User.UserId()!, number, response.Clone(), value, context.RequestAborted);
                return TypedResults.Json(new SavedDto(number, saved), ApiJson.Context.SavedDto);
            }
            catch (StaleAnswerException e)
            {
                return TypedResults.Json(new ConflictDto(e.Message, e.Current), ApiJson.Context.ConflictDto, statusCode: 409);
            }
            catch (Exception e) when (e is AttemptClosedException or QuestionPassedException)
            {
                return TypedResults.Json(new Detail(e.Message), ApiJson.Context.Detail, statusCode: 409);
            }
        });
    }

    private static Task<IResult> SubmitAsync(HttpContext context, AttemptService attempts, string id) =>
        ApiResponses.WithIdAsync(id, async attemptId =>
        {
            var result = await attempts.SubmitAsync(attemptId, context.User.UserId()!, context.RequestAborted);
            return TypedResults.Json(new SubmittedDto(result.AttemptId, result.NeedsGrading ? "submitted" : "graded", result.ScoreVisible ? result.Score : null,
                result.ScoreVisible ? result.MaxScore : null, result.NeedsGrading), ApiJson.Context.SubmittedDto);
        });

    private static Task<IResult> AttemptsAsync(HttpContext context, AttemptService attempts, string id) =>
        ApiResponses.WithIdAsync(id, async quizId => TypedResults.Json(
            (await attempts.AttemptsAtAsync(quizId, context.User.UserId()!, context.RequestAborted))
                .Select(a => new AttemptSummaryDto(a.Id, a.Number, AttemptDto.StateName(a.State), a.StartedAt, a.Deadline, a.SubmittedAt, a.Score,
                    a.Score is null ? null : a.MaxScore, a.ReviewOpen)).ToList(),
            ApiJson.Context.ListAttemptSummaryDto));

    private static Task<IResult> ReviewAsync(HttpContext context, AttemptService attempts, string id) =>
        ApiResponses.WithIdAsync(id, async attemptId =>
        {
            var review = await attempts.ReviewAsync(attemptId, context.User.UserId()!, context.User.IsStaff(), context.RequestAborted);
            return TypedResults.Json(ReviewDto.From(review), ApiJson.Context.ReviewDto);
        });

    /// <summary>Only signed-in users (a personal token or the browser's cookie), not class access keys.</summary>
    private sealed class SignedInFilter : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
        {
            if (invocation.HttpContext.User.UserId() is null)
            {
                invocation.HttpContext.Response.Headers.WWWAuthenticate = "Token";
                return TypedResults.Json(new Detail("Authentication credentials were not provided."), ApiJson.Context.Detail, statusCode: 401);
            }

            return await next(invocation);
        }
    }
}

public sealed record QuizDto(
    int Id, string Title, string Instructions, DateTime? OpensAt, DateTime? ClosesAt, int? TimeLimitMinutes, int AttemptsAllowed, int AttemptsUsed,
    int? AttemptInProgress);

/// <summary>A question of an attempt as the student may see it: no answers, no feedback.</summary>
public sealed record AttemptQuestionDto(
    int Position, string Type, string Text, decimal Points,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Options,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Prompts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Answers,
    JsonElement? Response, long Sequence);

public sealed record AttemptDto(int Id, int QuizId, int Number, string State, DateTime StartedAt, DateTime? Deadline, IReadOnlyList<AttemptQuestionDto> Questions)
{
    public static AttemptDto From(Attempt attempt) => new(
        attempt.Id, attempt.QuizId, attempt.Number, StateName(attempt.State), attempt.StartedAt, attempt.Deadline,
        attempt.Questions.OrderBy(q => q.Position).Select(q => new AttemptQuestionDto(
            q.Position, q.Type.ToName(), q.Stem, q.Points,
            q.Options() is { Count: > 0 } options ? options : null,
            q.Type == QuestionType.Matching ? q.Body.Pairs.Select(p => p.Prompt).ToList() : null,
            q.Type == QuestionType.Matching ? q.Body.MatchingAnswers() : null,
            EduLoop.Domain.JsonStrings.TryParse(q.Response), q.Sequence)).ToList());

    public static string StateName(AttemptState state) => state switch
    {
        AttemptState.InProgress => "in_progress",
        AttemptState.Submitted => "submitted",
        _ => "graded",
    };
}

public sealed record AttemptSummaryDto(
    int Id, int Number, string State, DateTime StartedAt, DateTime? Deadline, DateTime? SubmittedAt, decimal? Score, decimal? MaxScore, bool ReviewOpen);

/// <summary>A reviewed question; what the review policy hides is left out.</summary>
public sealed record ReviewQuestionDto(
    int Position, string Type, string Text, decimal Points,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Options,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Prompts,
    JsonElement? Response,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Score,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Outcome,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? CorrectAnswers,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Feedback,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Comment);

public sealed record ReviewDto(
    int Id, int QuizId, string Quiz, int Number, string State, DateTime StartedAt, DateTime? SubmittedAt, bool ReviewOpen,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Score,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? MaxScore,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Passed,
    IReadOnlyList<ReviewQuestionDto> Questions)
{
    public static ReviewDto From(AttemptReview review) => new(
        review.AttemptId, review.QuizId, review.QuizTitle, review.Number, AttemptDto.StateName(review.State), review.StartedAt, review.SubmittedAt,
        review.Policy.Open, review.Score, review.Policy.Score ? review.MaxScore : null, review.Passed,
        review.Questions.Select(q => new ReviewQuestionDto(
            q.Position, q.Type.ToName(), q.Stem, q.Points,
            q.Options.Count > 0 ? q.Options : null, q.Prompts.Count > 0 ? q.Prompts : null,
            EduLoop.Domain.JsonStrings.TryParse(q.Response),
            q.Score, q.Outcome is { } o ? JsonNamingPolicy.SnakeCaseLower.ConvertName(o.ToString()) : null, q.CorrectAnswers, q.Feedback, q.Comment)).ToList());
}

public sealed record SavedDto(int Position, long Sequence);

public sealed record ConflictDto(string Detail, long CurrentSequence);

public sealed record SubmittedDto(int Id, string State, decimal? Score, decimal? MaxScore, bool NeedsGrading);
