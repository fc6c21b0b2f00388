using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EduLoop.App.Api.Compatible;
using EduLoop.App.Hosting;
using EduLoop.App.Importing;
using EduLoop.Domain.Formats;
using EduLoop.Domain.QuestionBank;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace EduLoop.App.Api;

/// <summary>
/// Import and export for tools: the same preview and all-or-nothing commit as the import page, and
/// the bank (or a filter of it) as a file. The file is the request body, raw or as the first file of
/// a multipart form; it is spooled to disk as it arrives, never held in memory.
/// </summary>
public static class ImportApi
{
    public static RouteGroupBuilder MapImportApi(this RouteGroupBuilder api)
    {
        var staff = api.MapGroup("").AddEndpointFilter<StaffOnlyFilter>();
        staff.MapPost("/import/preview/", PreviewAsync).WithName("ImportPreview")
            .WithSummary("Read a question file and report every question, error and warning; saves nothing.")
            .WithDescription("Query: format=gift|aiken|moodlexml|csv|json (or taken from a multipart file name), target=Group/Subject/Category[/Subcategory] " +
                "for questions the file does not place, ignore_file_places=true to put every question there, level=easy|medium|advance for questions without one, " +
                "duplicates=skip|import. Body: the file, raw or multipart/form-data.")
            .Produces<ImportPreviewDto>(200, "application/json").Produces<ImportFailureDto>(400, "application/json");
        staff.MapPost("/import/commit/", CommitAsync).WithName("ImportCommit")
            .WithSummary("Import a question file: every question, or none when any has an error.")
            .WithDescription("Same query and body as /api/import/preview/. 201 with the counts, or 400 with the errors and nothing saved.")
            .Produces<ImportCommitDto>(201, "application/json").Produces<ImportFailureDto>(400, "application/json");
        staff.MapGet("/export/", ExportAsync).WithName("Export")
            .WithSummary("The bank, or the questions a filter selects, as a file.")
            .WithDescription("Query: format=gift|aiken|moodlexml|csv|json, and either the bank page's view (node=g1|s2|c3|sc4, q, type, level, tag, author, " +
                "from and to as yyyy-mm-dd, archived=true, sort) or ids=1,2,3 for chosen questions (at most 1000); the filters of /api/dashboard/recent-questions/ " +
                "(group__id, subject__id, category__id, subcategory__id) are read too.");
        return api;
    }

    private static async Task<IResult> PreviewAsync(HttpContext context, ImportService imports, UploadSpool spool)
    {
        var (request, error) = await ReadAsync(context, spool);
        if (error is not null)
        {
            return error;
        }

        await using var file = request!.File;
        var preview = await imports.PreviewAsync(request.Format, file, request.Options, context.RequestAborted);
        return TypedResults.Json(new ImportPreviewDto(
            preview.Questions.Select(ImportQuestionDto.From).ToList(),
            preview.Errors.Select(ImportErrorDto.From).ToList(),
            preview.Warnings.Select(ImportErrorDto.From).ToList(),
            preview.NewNodes.Select(n => n.ToPath()).ToList()), ApiJson.Context.ImportPreviewDto);
    }

    private static async Task<IResult> CommitAsync(HttpContext context, ImportService imports, UploadSpool spool)
    {
        var (request, error) = await ReadAsync(context, spool);
        if (error is not null)
        {
            return error;
        }

        await using var file = request!.File;
        var result = await imports.CommitAsync(request.Format, file, request.Options, context.User.UserId(), cancellationToken: context.RequestAborted);
        return result.Succeeded
            ? TypedResults.Json(new ImportCommitDto(result.Imported, result.SkippedDuplicates, result.NodesCreated), ApiJson.Context.ImportCommitDto, statusCode: 201)
            : TypedResults.Json(new ImportFailureDto("Nothing was imported: the file has errors.", result.Errors.Select(ImportErrorDto.From).ToList()),
                ApiJson.Context.ImportFailureDto, statusCode: 400);
    }

    private static IResult ExportAsync(HttpContext context, ExportService export, TimeProvider clock)
    {
        var query = context.Request.Query;
        if (!QuestionFormats.TryParse(query["format"], out var format))
        {
            return Invalid("format", "Choose one of gift, aiken, moodlexml, csv, json.");
        }

        // The bank page's parameters, read by the code that reads the page's address, so a download is what the list showed.
        var selection = BankAddress.Read(name => query[name].ToString(), out var problems);
        var errors = problems.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)[p.Value]);
        int? Id(string name)
        {
            var value = query[name].ToString();
            if (value.Length == 0)
            {
                return null;
            }

            if (int.TryParse(value, out var id))
            {
                return id;
            }

            errors[name] = ["Enter a number."];
            return null;
        }

        // The filters of /api/dashboard/recent-questions/ name the hierarchy by ids; the most specific one given decides.
        var view = selection.View;
        var (group, subject, category, subCategory) = (Id("group__id"), Id("subject__id"), Id("category__id"), Id("subcategory__id"));
        if ((group ?? subject ?? category ?? subCategory) is not null)
        {
            view = view with { GroupId = group, SubjectId = subject, CategoryId = category, SubCategoryId = subCategory };
        }

        if (errors.Count > 0)
        {
            return TypedResults.Json(errors, ApiJson.Context.IReadOnlyDictionaryStringIReadOnlyListString, statusCode: 400);
        }

        return TypedResults.Stream(
            stream => export.ExportAsync(format, selection with { View = view }, stream, context.RequestAborted),
            export.ContentType(format), export.FileName(format, clock.GetUtcNow().UtcDateTime));
    }

    private sealed record ImportRequest(QuestionFormat Format, FileStream File, ImportOptions Options);

    /// <summary>The file and options of an import request, or the 4xx to answer with.</summary>
    private static async Task<(ImportRequest? Request, IResult? Error)> ReadAsync(HttpContext context, UploadSpool spool)
    {
        var query = context.Request.Query;
        var target = query["target"].ToString();
        var options = new ImportOptions
        {
            Target = ImportTarget.FromPath(target),
            IgnoreFilePlaces = query["ignore_file_places"].ToString() is "true" or "1",
            Duplicates = query["duplicates"].ToString() == "import" ? DuplicateHandling.Import : DuplicateHandling.Skip,
        };
        if (target.Length > 0 && options.Target is null)
        {
            return (null, Invalid("target", "Give the target as Group/Subject/Category or Group/Subject/Category/Subcategory."));
        }

        if (options.IgnoreFilePlaces && options.Target is null)
        {
            return (null, Invalid("target", "ignore_file_places needs a target."));
        }

        if (query["level"].ToString() is { Length: > 0 } level)
        {
            if (!QuestionNames.TryParseLevel(level, out var parsed))
            {
                return (null, Invalid("level", $"\"{level}\" is not one of easy, medium, advance."));
            }

            options = options with { Level = parsed };
        }

        if (query["duplicates"].ToString() is { Length: > 0 } duplicates && duplicates is not ("skip" or "import"))
        {
            return (null, Invalid("duplicates", "Choose skip or import."));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // The multipart envelope is a few hundred bytes; the spool enforces the exact limit.
            limit.MaxRequestBodySize = spool.MaxBytes + 64 * 1024;
        }

        if (context.Request.ContentLength > spool.MaxBytes + 64 * 1024)
        {
            return (null, TooLarge(spool.MaxBytes));
        }

        QuestionFormat? format = QuestionFormats.TryParse(query["format"], out var named) ? named : null;
        if (query["format"].ToString().Length > 0 && format is null)
        {
            return (null, Invalid("format", "Choose one of gift, aiken, moodlexml, csv, json."));
        }

        FileStream? file = null;
        try
        {
            if (MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
                && mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
                if (string.IsNullOrEmpty(boundary))
                {
                    return (null, Invalid("file", "The multipart body has no boundary."));
                }

                var reader = new MultipartReader(boundary, context.Request.Body);
                while (await reader.ReadNextSectionAsync(context.RequestAborted) is { } section)
                {
                    if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
                    {
                        var fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "";
                        format ??= QuestionFormats.FromFileName(fileName);
                        file = await spool.SaveAsync(section.Body, context.RequestAborted);
                        break;
                    }
                }

                if (file is null)
                {
                    return (null, Invalid("file", "The form has no file."));
                }
            }
            else
            {
                file = await spool.SaveAsync(context.Request.Body, context.RequestAborted);
            }
        }
        catch (UploadTooLargeException e)
        {
            return (null, TooLarge(e.Limit));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or BadHttpRequestException)
        {
            if (file is not null)
            {
                await file.DisposeAsync();
            }

            return (null, e is BadHttpRequestException { StatusCode: 413 } ? TooLarge(spool.MaxBytes) : Invalid("file", "The upload could not be read: " + e.Message));
        }

        if (format is null)
        {
            await file.DisposeAsync();
            return (null, Invalid("format", "Choose one of gift, aiken, moodlexml, csv, json."));
        }

        return (new ImportRequest(format.Value, file, options), null);
    }

    private static IResult Invalid(string field, string message) =>
        TypedResults.Json(new Dictionary<string, IReadOnlyList<string>> { [field] = [message] },
            ApiJson.Context.IReadOnlyDictionaryStringIReadOnlyListString, statusCode: 400);

    private static IResult TooLarge(long limit) =>
        TypedResults.Json(new Detail($"The file is larger than {limit / 1024 / 1024} MB, the most this server accepts."), ApiJson.Context.Detail, statusCode: 413);
}

public sealed record ImportErrorDto(int Line, int Column, string Message)
{
    public static ImportErrorDto From(ImportError error) => new(error.Line, error.Column, error.Message);
}

public sealed record ImportChoiceDto(
    string Text, decimal Fraction, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Feedback);

public sealed record ImportAnswerDto(
    JsonNode? Value,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Tolerance,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Min,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Max,
    decimal Fraction,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Feedback);

public sealed record ImportPairDto(string Left, string Right);

/// <summary>A question of a preview; what does not apply to its type is left out.</summary>
public sealed record ImportQuestionDto(
    string Type, string Title, string Text, string Level,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CategoryPath,
    IReadOnlyList<string> Tags,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ExternalId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ImportChoiceDto>? Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ImportAnswerDto>? Answers,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ImportPairDto>? Pairs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? GeneralFeedback,
    int Line,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Duplicate,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? DuplicateOf)
{
    public static ImportQuestionDto From(PreviewQuestion preview)
    {
        var (question, body) = (preview.Question, preview.Question.Body);
        IReadOnlyList<ImportAnswerDto>? answers = question.Type switch
        {
            QuestionType.TrueFalse =>
            [
                new(JsonValue.Create(true), null, null, null, body.TrueFalseAnswer == true ? 1m : 0m, body.TrueFeedback),
                new(JsonValue.Create(false), null, null, null, body.TrueFalseAnswer == true ? 0m : 1m, body.FalseFeedback),
            ],
            QuestionType.FillBlank => body.AcceptedAnswers.Select(a => new ImportAnswerDto(JsonValue.Create(a.Text), null, null, null, a.Fraction, a.Feedback)).ToList(),
            QuestionType.Math => body.NumericAnswers.Select(a => new ImportAnswerDto(
                a.Value is { } v ? JsonValue.Create(v) : null, a.Value is null ? null : a.Tolerance, a.Min, a.Max, a.Fraction, a.Feedback)).ToList(),
            _ => null,
        };
        return new ImportQuestionDto(
            question.Type.ToName(), question.Title, question.Stem, preview.Level.ToName(), preview.Target.ToPath(), question.Tags, question.ExternalId,
            question.Type is QuestionType.Mcq or QuestionType.McqMulti ? body.Choices.Select(c => new ImportChoiceDto(c.Text, c.Fraction, c.Feedback)).ToList() : null,
            answers,
            // A distractor is a pair with an empty left side, as Moodle writes it.
            question.Type == QuestionType.Matching
                ? body.Pairs.Select(p => new ImportPairDto(p.Prompt, p.Answer)).Concat(body.Distractors.Select(d => new ImportPairDto("", d))).ToList()
                : null,
            body.GeneralFeedback, question.Line,
            preview.Duplicate switch { DuplicateKind.InBank => "in_bank", DuplicateKind.InFile => "in_file", _ => null },
            preview.DuplicateOf);
    }
}

public sealed record ImportPreviewDto(
    IReadOnlyList<ImportQuestionDto> Questions, IReadOnlyList<ImportErrorDto> Errors, IReadOnlyList<ImportErrorDto> Warnings, IReadOnlyList<string> NewCategories);

public sealed record ImportCommitDto(int Imported, int SkippedDuplicates, int CreatedNodes);

public sealed record ImportFailureDto(string Detail, IReadOnlyList<ImportErrorDto> Errors);
