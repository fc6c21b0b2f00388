using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using EduLoop.Domain;
using EduLoop.Domain.Dashboard;
using EduLoop.Domain.Querying;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.App.Api.Compatible;

/// <summary>The staff routes over the question bank: dashboard counts, the recent list, one question, creation and bulk upload.</summary>
public static class QuestionsApi
{
    public const int MaxUploadBytes = 16 * 1024 * 1024;

    public static RouteGroupBuilder MapQuestionsApi(this RouteGroupBuilder api)
    {
        var staff = api.MapGroup("").AddEndpointFilter<StaffOnlyFilter>();
        staff.MapGet("/dashboard/", DashboardAsync).WithName("Dashboard").WithSummary("Counts of the bank and the accounts.");
        staff.MapGet("/dashboard/recent-questions/", RecentAsync).WithName("RecentQuestions").WithSummary("Questions, newest first, with filters.");
        staff.MapGet("/dashboard/question/{id}/", GetAsync).WithName("GetQuestion").WithSummary("One question with its answer key.");
        staff.MapPut("/dashboard/question/{id}/", (HttpContext c, QuestionService q, string id) => UpdateAsync(c, q, id, partial: false))
            .WithName("ReplaceQuestion").WithSummary("Replace a question.");
        staff.MapPatch("/dashboard/question/{id}/", (HttpContext c, QuestionService q, string id) => UpdateAsync(c, q, id, partial: true))
            .WithName("UpdateQuestion").WithSummary("Change some fields of a question.");
        staff.MapDelete("/dashboard/question/{id}/", DeleteAsync).WithName("DeleteQuestion").WithSummary("Delete a question.");
        staff.MapPost("/question/create/", CreateAsync).WithName("CreateQuestion").WithSummary("Create one question, parents by name.");
        staff.MapPost("/upload-questions/", UploadAsync).WithName("UploadQuestions").WithSummary("Create many questions, all or nothing.");
        return api;
    }

    private static Task<IResult> DashboardAsync(HttpContext context, DashboardService dashboard) =>
        ApiResponses.ObjectAsync(context, ApiCacheTags.Dashboard, async cancellationToken =>
        {
            var counts = await dashboard.GetCountsAsync(cancellationToken);
            return new DashboardDto(counts.Groups, counts.Subjects, counts.Categories, counts.SubCategories, counts.Questions, counts.AccessKeys, counts.Users);
        }, ApiJson.Context.DashboardDto);

    private static Task<IResult> RecentAsync(HttpContext context, QuestionService questions) =>
        ApiResponses.PageAsync(context, ApiCacheTags.Questions,
            (list, page, cancellationToken) =>
            {
                // The original's type filter was plain text: a type that does not exist matches nothing.
                var typeText = list.Query("type").ToString();
                QuestionType? type = typeText.Length > 0 && QuestionNames.TryParseType(typeText, out var known) ? known : null;
                var noType = typeText.Length > 0 && type is null;

                var filter = new QuestionFilter(
                    Choice<QuestionLevel>(list, "level", QuestionNames.TryParseLevel),
                    type,
                    list.IdFilter("group__id"), list.IdFilter("subject__id"), list.IdFilter("category__id"), list.IdFilter("subcategory__id"));
                // A filter that could not be read answers 400; do not query a large bank for nothing.
                return list.HasErrors || noType
                    ? Task.FromResult(new PageResult<QuestionRecord>(0, 1, page.PageSize, []))
                    : questions.ListAsync(filter, list.Options, page, cancellationToken);
            },
            RecentQuestionDto.From, ApiJson.Context.PageRecentQuestionDto);

    private static async Task<IResult> GetAsync(QuestionService questions, string id, CancellationToken cancellationToken) =>
        await ApiResponses.WithIdAsync(id, async number => TypedResults.Json(QuestionDto.ForStaff(await questions.GetAsync(number, cancellationToken)), ApiJson.Context.QuestionDto));

    private static async Task<IResult> UpdateAsync(HttpContext context, QuestionService questions, string id, bool partial)
    {
        var (input, error) = await ReadInputAsync(context);
        if (error is not null)
        {
            return error;
        }

        return await ApiResponses.WithIdAsync(id, async number =>
            TypedResults.Json(QuestionUpdateDto.From(await questions.UpdateAsync(number, input, partial, UserId(context.User), context.RequestAborted)), ApiJson.Context.QuestionUpdateDto));
    }

    private static async Task<IResult> DeleteAsync(QuestionService questions, string id, CancellationToken cancellationToken) =>
        await ApiResponses.WithIdAsync(id, async number =>
        {
            await questions.DeleteAsync(number, cancellationToken);
            return TypedResults.NoContent();
        });

    private static async Task<IResult> CreateAsync(HttpContext context, QuestionService questions)
    {
        var (input, error) = await ReadInputAsync(context);
        if (error is not null)
        {
            return error;
        }

        try
        {
            var created = await questions.CreateAsync(input, UserId(context.User), context.RequestAborted);
            return TypedResults.Json(QuestionDto.ForStaff(created), ApiJson.Context.QuestionDto, statusCode: 201);
        }
        catch (ValidationErrors errors)
        {
            return ApiResponses.FieldErrors(errors.Fields);
        }
    }

    private static async Task<IResult> UploadAsync(HttpContext context, QuestionService questions)
    {
        var (body, error) = await ApiBody.ReadAsync(context.Request, MaxUploadBytes);
        if (error is not null)
        {
            return error;
        }

        if (body.ValueKind != JsonValueKind.Array)
        {
            return TypedResults.Json(new ErrorBody("Expected a list of items."), ApiJson.Context.ErrorBody, statusCode: 400);
        }

        if (body.GetArrayLength() == 0)
        {
            return TypedResults.Json(new MessageBody("No data provided."), ApiJson.Context.MessageBody, statusCode: 400);
        }

        if (body.GetArrayLength() > QuestionService.MaxUploadRows)
        {
            return TypedResults.Json(new ErrorBody($"At most {QuestionService.MaxUploadRows} questions per upload."), ApiJson.Context.ErrorBody, statusCode: 400);
        }

        var inputs = new List<QuestionInput>();
        var failed = new List<FailedRow>();
        var row = 2;
        foreach (var item in body.EnumerateArray())
        {
            var typeErrors = new Dictionary<string, IReadOnlyList<string>>();
            if (item.ValueKind != JsonValueKind.Object)
            {
                typeErrors["non_field_errors"] = ["Expected a JSON object."];
            }

            inputs.Add(ReadInput(item, typeErrors));
            if (typeErrors.Count > 0)
            {
                failed.Add(new FailedRow(row, typeErrors.ToDictionary(e => e.Key, e => string.Join(" ", e.Value))));
            }

            row++;
        }

        try
        {
            if (failed.Count > 0)
            {
                throw new BulkUploadException(failed);
            }

            var count = await questions.UploadAsync(inputs, UserId(context.User), context.RequestAborted);
            return TypedResults.Json(new MessageBody($"Successfully uploaded {count} questions."), ApiJson.Context.MessageBody, statusCode: 201);
        }
        catch (BulkUploadException e)
        {
            return TypedResults.Json(
                new UploadFailure("Upload failed. Please fix the errors.", e.Rows.Count, e.Rows.Select(r => new UploadRowError(r.Row, r.Errors)).ToList()),
                ApiJson.Context.UploadFailure, statusCode: 400);
        }
    }

    /// <summary>The request's question, or the 4xx to answer with.</summary>
    private static async Task<(QuestionInput Input, IResult? Error)> ReadInputAsync(HttpContext context)
    {
        var (body, error) = await ApiBody.ReadObjectAsync(context.Request);
        if (error is not null)
        {
            return (null!, error);
        }

        var typeErrors = new Dictionary<string, IReadOnlyList<string>>();
        var input = ReadInput(body, typeErrors);
        return typeErrors.Count > 0 ? (input, ApiResponses.FieldErrors(typeErrors)) : (input, null);
    }

    /// <summary>Reads a question body; wrong JSON types add errors, absent fields stay null.</summary>
    private static QuestionInput ReadInput(JsonElement item, Dictionary<string, IReadOnlyList<string>> errors)
    {
        JsonElement sub = default;
        var subCategoryGiven = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("subcategory", out sub);
        string? subCategory = null;
        if (subCategoryGiven && sub.ValueKind != JsonValueKind.Null)
        {
            subCategory = ApiBody.String(item, "subcategory", errors);
        }

        JsonElement? metadata = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("metadata", out var m) ? m : null;
        if (metadata is { ValueKind: not JsonValueKind.Object and not JsonValueKind.Null })
        {
            errors["metadata"] = ["Expected a JSON object."];
        }

        return new QuestionInput(
            ApiBody.String(item, "group", errors), ApiBody.String(item, "subject", errors), ApiBody.String(item, "category", errors),
            subCategory, subCategoryGiven, ApiBody.String(item, "level", errors), ApiBody.String(item, "type", errors), metadata);
    }

    private delegate bool TryParse<T>(string? name, out T value);

    /// <summary>A choice filter (<c>level=easy</c>): empty means none, an unknown name is a 400 as the original's filter gave.</summary>
    private static T? Choice<T>(ListRequest list, string name, TryParse<T> parse) where T : struct
    {
        var raw = list.Query(name).ToString();
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        if (parse(raw, out var value))
        {
            return value;
        }

        list.AddError(name, $"Select a valid choice. {raw} is not one of the available choices.");
        return null;
    }

    private static string? UserId(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.AuthenticationMethod) == ApiKeyAuthenticationHandler.AccessKeyMethod
            ? null
            : user.FindFirstValue(ClaimTypes.NameIdentifier);
}

public sealed record DashboardDto(
    int TotalGroups, int TotalSubjects, int TotalCategories, int TotalSubcategories, int TotalQuestions, int TotalAccessTokens, int TotalUsers);

/// <summary>A question as the original's detail view answered a change: without its times.</summary>
public sealed record QuestionUpdateDto(
    int Id, string Group, string Subject, string Category, string? Subcategory, string Level, string Type, JsonObject Metadata)
{
    public static QuestionUpdateDto From(QuestionRecord q) => new(
        q.Id, q.Group, q.Subject, q.Category, q.SubCategory, q.Level.ToName(), q.Type.ToName(), OriginalMetadata.ToMetadata(q.Type, q.Stem, q.Body));
}

/// <summary>A question in the recent-questions list: the same fields, with <c>created_at</c> before the metadata, as the original's list serializer had them.</summary>
public sealed record RecentQuestionDto(
    int Id, string Group, string Subject, string Category, string? Subcategory, string Level, string Type,
    DateTime CreatedAt, JsonObject Metadata, DateTime UpdatedAt)
{
    public static RecentQuestionDto From(QuestionRecord q) => new(
        q.Id, q.Group, q.Subject, q.Category, q.SubCategory, q.Level.ToName(), q.Type.ToName(),
        q.CreatedAt, OriginalMetadata.ToMetadata(q.Type, q.Stem, q.Body), q.UpdatedAt);
}

public sealed record QuestionDto(
    int Id, string Group, string Subject, string Category, string? Subcategory, string Level, string Type,
    JsonObject Metadata, DateTime CreatedAt, DateTime UpdatedAt)
{
    /// <summary>With the answer key.</summary>
    public static QuestionDto ForStaff(QuestionRecord q) => new(
        q.Id, q.Group, q.Subject, q.Category, q.SubCategory, q.Level.ToName(), q.Type.ToName(),
        OriginalMetadata.ToMetadata(q.Type, q.Stem, q.Body), q.CreatedAt, q.UpdatedAt);

    /// <summary>Without anything that gives the answer away.</summary>
    public static QuestionDto ForStudent(QuestionRecord q) => new(
        q.Id, q.Group, q.Subject, q.Category, q.SubCategory, q.Level.ToName(), q.Type.ToName(),
        OriginalMetadata.ToStudentMetadata(q.Type, q.Stem, q.Body), q.CreatedAt, q.UpdatedAt);
}

public sealed record UploadRowError(int Row, IReadOnlyDictionary<string, string> Errors);

/// <summary>A refused upload, as the original wrote it: its count under the key <c>"Failed find: "</c>, spelled as it was.</summary>
public sealed record UploadFailure(
    string Message,
    [property: System.Text.Json.Serialization.JsonPropertyName("Failed find: ")] int FailedCount,
    IReadOnlyList<UploadRowError> FailedItems);
