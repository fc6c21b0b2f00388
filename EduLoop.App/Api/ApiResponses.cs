using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EduLoop.App.Api.Compatible;
using EduLoop.Domain.Querying;

namespace EduLoop.App.Api;

/// <summary>How the compatible API answers: cached JSON with ETags, and the original's error bodies.</summary>
public static class ApiResponses
{
    public const string Json = "application/json";

    /// <summary>The original's <c>WWW-Authenticate</c> challenge: its first authentication class was the access key.</summary>
    public const string Challenge = "AccessKey";

    public const string NotAuthenticatedText = "Authentication credentials were not provided.";

    public const string ForbiddenText = "You do not have permission to perform this action.";

    public static IResult InvalidPage() => TypedResults.Json(new Detail("Invalid page."), ApiJson.Context.Detail, statusCode: 404);

    public static IResult NotFound() => TypedResults.Json(new Detail("Not found."), ApiJson.Context.Detail, statusCode: 404);

    /// <summary>The original's 401 for a route that needs a caller: its <see cref="Challenge"/> and message.</summary>
    public static IResult NotAuthenticated(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = Challenge;
        return TypedResults.Json(new Detail(NotAuthenticatedText), ApiJson.Context.Detail, statusCode: StatusCodes.Status401Unauthorized);
    }

    public static IResult Forbidden() =>
        TypedResults.Json(new Detail(ForbiddenText), ApiJson.Context.Detail, statusCode: StatusCodes.Status403Forbidden);

    public static IResult FieldErrors(IReadOnlyDictionary<string, IReadOnlyList<string>> errors) =>
        TypedResults.Json(errors, ApiJson.Context.IReadOnlyDictionaryStringIReadOnlyListString, statusCode: 400);

    /// <summary>
    /// Runs <paramref name="found"/> for a numeric path id. Not a number, or a number that names
    /// no row, is simply not found; a domain validation failure is a 400 with its fields.
    /// </summary>
    public static async Task<IResult> WithIdAsync(string raw, Func<int, Task<IResult>> found)
    {
        if (!int.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            return NotFound();
        }

        try
        {
            return await found(id);
        }
        catch (EduLoop.Domain.NotFoundException)
        {
            return NotFound();
        }
        catch (EduLoop.Domain.QuestionBank.ValidationErrors errors)
        {
            return FieldErrors(errors.Fields);
        }
    }

    /// <summary>
    /// A list page: read through <paramref name="load"/> unless the same URL was answered since the
    /// last write to the data it reads (<paramref name="tags"/>), paged and linked as the original
    /// service did, with an ETag for conditional requests.
    /// </summary>
    public static Task<IResult> PageAsync<TItem, TWire>(
        HttpContext context,
        IReadOnlyList<string> tags,
        Func<ListRequest, PageRequest, CancellationToken, Task<PageResult<TItem>>> load,
        Func<TItem, TWire> toWire,
        JsonTypeInfo<Page<TWire>> typeInfo)
    {
        var request = ListRequest.From(context.Request);
        return CachedAsync(context, tags, async (origin, cancellationToken) =>
        {
            if (request.InvalidPage)
            {
                throw new UncachedAnswer(InvalidPage());
            }

            PageResult<TItem> page;
            try
            {
                page = await load(request, request.PageRequest, cancellationToken);
            }
            catch (InvalidPageException)
            {
                throw new UncachedAnswer(InvalidPage());
            }

            if (request.HasErrors)
            {
                throw new UncachedAnswer(FieldErrors(request.Errors));
            }

            var wire = new Page<TWire>(
                page.Count,
                page.HasNext ? request.PageLink(page.Page + 1, origin) : null,
                page.HasPrevious ? request.PageLink(page.Page - 1, origin) : null,
                page.Items.Select(toWire).ToList());
            return JsonSerializer.SerializeToUtf8Bytes(wire, typeInfo);
        });
    }

    /// <summary>A single object or list, cached like a page.</summary>
    public static Task<IResult> ObjectAsync<T>(HttpContext context, IReadOnlyList<string> tags, Func<CancellationToken, Task<T>> load, JsonTypeInfo<T> typeInfo) =>
        CachedAsync(context, tags, async (_, cancellationToken) => JsonSerializer.SerializeToUtf8Bytes(await load(cancellationToken), typeInfo));

    /// <summary>
    /// The cached answer for the request's URL, or the one <paramref name="body"/> makes. Concurrent
    /// requests for a missing page wait for one load, which runs until the last of them has gone: it
    /// must use nothing of the request that started it (its context, its services, its abort token),
    /// only the origin and the token it is given.
    /// </summary>
    private static async Task<IResult> CachedAsync(HttpContext context, IReadOnlyList<string> tags, Func<string, CancellationToken, Task<byte[]>> body)
    {
        var cache = context.RequestServices.GetRequiredService<ApiResponseCache>();
        var origin = context.RequestServices.GetRequiredService<ApiLinks>().OriginOf(context.Request);
        var key = CacheKey(origin, context);
        try
        {
            return Cached(context, await cache.GetOrLoadAsync(key, tags, async cancellationToken => Respond(await body(origin, cancellationToken)), context.RequestAborted));
        }
        catch (UncachedAnswer answer)
        {
            return answer.Result;
        }
    }

    private static CachedResponse Respond(byte[] body) =>
        new(body, $"\"{Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 12))}\"");

    private static IResult Cached(HttpContext context, CachedResponse cached)
    {
        var headers = context.Response.Headers;
        headers.ETag = cached.ETag;
        // Clients may keep the page but must ask again; the ETag makes asking cheap. An answer to a
        // signed-in caller becomes no-store when it starts (SecurityHeaders).
        headers.CacheControl = "no-cache";
        var ifNoneMatch = context.Request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0 && ifNoneMatch.Any(v => v is not null && (v == "*" || v.Split(',').Any(t => t.Trim() == cached.ETag))))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(cached.Body, Json);
    }

    /// <summary>
    /// The origin the body's links start with, then the path and query: everything the body is made
    /// from. A page built for a forged Host carries that Host in its key, so it is only ever served
    /// to requests that would get the same links; with <c>EduLoop:PublicUrl</c> set the Host is not in
    /// the key at all, since it is not in the body.
    /// </summary>
    private static string CacheKey(string origin, HttpContext context) =>
        string.Concat(origin, " ", context.Request.Path.Value, context.Request.QueryString.Value);
}

/// <summary>An answer made while loading a page that is not kept (a bad page number, a filter that cannot be read).</summary>
internal sealed class UncachedAnswer(IResult result) : Exception
{
    public IResult Result { get; } = result;
}
