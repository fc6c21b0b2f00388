using System.Text.Json;

namespace EduLoop.App.Api;

/// <summary>Reads a JSON request body defensively: size, depth, media type and syntax are all checked.</summary>
public static class ApiBody
{
    public const int MaxBytes = 1024 * 1024;
    private static readonly JsonDocumentOptions _options = new() { MaxDepth = 32, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>The parsed body, or the 4xx result to answer with. An empty body reads as <c>{}</c>.</summary>
    public static async Task<(JsonElement Body, IResult? Error)> ReadAsync(HttpRequest request, int maxBytes = MaxBytes)
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (request.HasFormContentType && !SignedInByCookie(request))
        {
            return await ReadFormAsync(request);
        }

        if (!string.IsNullOrEmpty(mediaType) && !mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (default, TypedResults.Json(new Detail($"Unsupported media type \"{mediaType}\" in request."), ApiJson.Context.Detail, statusCode: 415));
        }

        if (request.ContentLength > maxBytes)
        {
            return (default, TypedResults.Json(new Detail("Request body too large."), ApiJson.Context.Detail, statusCode: 413));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return (default, TypedResults.Json(new Detail("Request body too large."), ApiJson.Context.Detail, statusCode: 413));
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e)
        {
            // A body shorter than its Content-Length, or one the server refuses to read on: answered
            // here, as a client error, before the route does anything.
            return (default, TypedResults.Json(new Detail("The request body could not be read: " + e.Message), ApiJson.Context.Detail, statusCode: e.StatusCode));
        }

        if (buffer.Length == 0)
        {
            using var empty = JsonDocument.Parse("{}");
            return (empty.RootElement.Clone(), null);
        }

        // A body with no media type at all is not taken for JSON either: a form a page on another
        // site posts cross-origin without a preflight must not reach a JSON route.
        if (string.IsNullOrEmpty(mediaType))
        {
            return (default, TypedResults.Json(new Detail("Unsupported media type \"\" in request."), ApiJson.Context.Detail, statusCode: 415));
        }

        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), _options);
            body = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            // In Python's words where it can, as the original answered; .NET's otherwise.
            var text = System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            var reason = Compatible.PythonJsonErrors.Describe(text) ?? e.Message;
            return (default, TypedResults.Json(new Detail($"JSON parse error - {reason}"), ApiJson.Context.Detail, statusCode: 400));
        }

        // Parsed, but a string that cannot be read (a lone surrogate, bytes that are not UTF-8)
        // would fail wherever it is read next: refused here, with the field it is in.
        return EduLoop.Domain.JsonStrings.FirstInvalid(body) is { } field
            ? (default, ApiResponses.FieldErrors(new Dictionary<string, IReadOnlyList<string>>
            {
                [field] = ["Not a valid string: it holds an unpaired surrogate or bytes that are not UTF-8."],
            }))
            : (body, null);
    }

    /// <summary>A body that must be one JSON object; anything else is the answer to send back.</summary>
    public static async Task<(JsonElement Body, IResult? Error)> ReadObjectAsync(HttpRequest request)
    {
        var (body, error) = await ReadAsync(request);
        return error is not null ? (body, error)
            : body.ValueKind != JsonValueKind.Object ? (body, NotAnObject(body.ValueKind))
            : (body, null);
    }

    /// <summary>
    /// A string field: strings as they are, numbers as their text (as Django REST Framework's
    /// CharField takes them), absent or null as null. Other types add an error.
    /// </summary>
    public static string? String(JsonElement item, string name, Dictionary<string, IReadOnlyList<string>> errors)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty(name, out var value))
        {
            return null;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.Number:
                return value.GetRawText();
            case JsonValueKind.Null:
                errors[name] = ["This field may not be null."];
                return null;
            default:
                errors[name] = ["Not a valid string."];
                return null;
        }
    }

    /// <summary>DRF's answer to a body that is not an object, naming what it got as Python would (list, str, int…).</summary>
    public static IResult NotAnObject(JsonValueKind got = JsonValueKind.Undefined) =>
        ApiResponses.FieldErrors(new Dictionary<string, IReadOnlyList<string>>
        {
            ["non_field_errors"] = [$"Invalid data. Expected a dictionary, but got {PythonType(got)}."],
        });

    private static string PythonType(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "list",
        JsonValueKind.String => "str",
        JsonValueKind.Number => "int",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Null => "NoneType",
        _ => "a different type",
    };

    /// <summary>
    /// Whether the caller is signed in through the browser's cookie (no API credentials): such a caller's
    /// writes must be JSON, which a page on another site cannot send without a preflight.
    /// </summary>
    private static bool SignedInByCookie(HttpRequest request) =>
        !ApiKeyAuthenticationHandler.CarriesCredentials(request) && request.HttpContext.User.Identity?.IsAuthenticated == true;

    /// <summary>A form body (as the original's clients may send, with a token or before signing in) read as an object of its fields.</summary>
    private static async Task<(JsonElement Body, IResult? Error)> ReadFormAsync(HttpRequest request)
    {
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return (default, TypedResults.Json(new Detail("Malformed form data."), ApiJson.Context.Detail, statusCode: 400));
        }

        var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString().Length > 0 ? f.Value[^1] : "");
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(fields, ApiJson.Context.DictionaryStringString));
        return (document.RootElement.Clone(), null);
    }
}
