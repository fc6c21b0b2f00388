using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.App.Api;

/// <summary>The wire format of the compatible API: snake_case names, UTC times in whole seconds.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(UtcSecondsConverter)])]
[JsonSerializable(typeof(Page<GroupRecord>))]
[JsonSerializable(typeof(Page<SubjectRecord>))]
[JsonSerializable(typeof(Page<CategoryDto>))]
[JsonSerializable(typeof(Page<CategoryListDto>))]
[JsonSerializable(typeof(Page<SubCategoryRecord>))]
[JsonSerializable(typeof(GroupRecord))]
[JsonSerializable(typeof(IReadOnlyList<GroupRecord>))]
[JsonSerializable(typeof(SubjectRecord))]
[JsonSerializable(typeof(IReadOnlyList<SubjectRecord>))]
[JsonSerializable(typeof(CategoryListDto))]
[JsonSerializable(typeof(IReadOnlyList<CategoryListDto>))]
[JsonSerializable(typeof(IReadOnlyList<SubCategoryRecord>))]
[JsonSerializable(typeof(CategoryDto))]
[JsonSerializable(typeof(SubCategoryRecord))]
[JsonSerializable(typeof(Detail))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Compatible.UserDto))]
[JsonSerializable(typeof(Page<Compatible.UserDto>))]
[JsonSerializable(typeof(Compatible.AccessKeyDto))]
[JsonSerializable(typeof(Compatible.KeyBody))]
[JsonSerializable(typeof(Page<Compatible.AccessKeyDto>))]
[JsonSerializable(typeof(Compatible.PracticeResponse))]
[JsonSerializable(typeof(Compatible.AnswerResult))]
[JsonSerializable(typeof(Compatible.ErrorsBody))]
[JsonSerializable(typeof(Compatible.DashboardDto))]
[JsonSerializable(typeof(Compatible.QuestionDto))]
[JsonSerializable(typeof(Compatible.QuestionUpdateDto))]
[JsonSerializable(typeof(Page<Compatible.QuestionDto>))]
[JsonSerializable(typeof(Page<Compatible.RecentQuestionDto>))]
[JsonSerializable(typeof(Compatible.UploadFailure))]
[JsonSerializable(typeof(Compatible.TokenResponse))]
[JsonSerializable(typeof(List<Compatible.ApiTokenDto>))]
[JsonSerializable(typeof(Compatible.NewApiTokenDto))]
[JsonSerializable(typeof(Compatible.MessageBody))]
[JsonSerializable(typeof(Compatible.ErrorBody))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, IReadOnlyList<string>>))]
[JsonSerializable(typeof(IReadOnlyList<IReadOnlyDictionary<string, IReadOnlyList<string>>>))]
[JsonSerializable(typeof(ImportPreviewDto))]
[JsonSerializable(typeof(ImportCommitDto))]
[JsonSerializable(typeof(ImportFailureDto))]
[JsonSerializable(typeof(List<QuizDto>))]
[JsonSerializable(typeof(AttemptDto))]
[JsonSerializable(typeof(SavedDto))]
[JsonSerializable(typeof(ConflictDto))]
[JsonSerializable(typeof(SubmittedDto))]
[JsonSerializable(typeof(List<AttemptSummaryDto>))]
[JsonSerializable(typeof(ReviewDto))]
[JsonSerializable(typeof(QuizStatisticsDto))]
[JsonSerializable(typeof(Scaling.ReadyBody))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;

/// <summary>The serializer the API writes with: the generated context, with '&amp;', '+' and non-ASCII text written as they are.</summary>
internal static class ApiJson
{
    public static ApiJsonContext Context { get; } = new(new JsonSerializerOptions(ApiJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}

/// <summary>A list page, as the original service's paginator wrote it.</summary>
public sealed record Page<T>(int Count, string? Next, string? Previous, IReadOnlyList<T> Results);

/// <summary>The original's error body: <c>{"detail": "..."}</c>.</summary>
public sealed record Detail([property: JsonPropertyName("detail")] string Message);

/// <summary>A category with its subcategories; its group is the group's id here, as the original's nested serializer wrote it.</summary>
public sealed record CategoryDto(
    int Id, string Name, string Subject, int Group, DateTime CreatedAt,
    [property: JsonPropertyName("subcategories")] IReadOnlyList<SubCategoryRecord> SubCategories)
{
    public static CategoryDto From(CategoryRecord c) => new(c.Id, c.Name, c.Subject, c.GroupId, c.CreatedAt, c.SubCategories ?? []);
}

public sealed record CategoryListDto(int Id, string Name, string Subject, string Group, DateTime CreatedAt)
{
    public static CategoryListDto From(CategoryRecord c) => new(c.Id, c.Name, c.Subject, c.Group, c.CreatedAt);
}

/// <summary>Writes times as <c>2025-01-18T10:30:00Z</c>; the database keeps UTC.</summary>
public sealed class UtcSecondsConverter : JsonConverter<DateTime>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTime.SpecifyKind(reader.GetDateTime().ToUniversalTime(), DateTimeKind.Utc);

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        Span<char> buffer = stackalloc char[20];
        DateTime.SpecifyKind(value, DateTimeKind.Utc).TryFormat(buffer, out var written, Format, CultureInfo.InvariantCulture);
        writer.WriteStringValue(buffer[..written]);
    }
}
