using System.Text.Json;
using EduLoop.Domain;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.App.Api.Compatible;

/// <summary>The original service's hierarchy routes: groups, subjects, categories, subcategories.</summary>
public static class TaxonomyApi
{
    public static RouteGroupBuilder MapTaxonomyApi(this RouteGroupBuilder api)
    {
        api.MapGet("/groups/", ListGroupsAsync).WithName("ListGroups").WithSummary("Groups, by name.");
        api.MapPost("/groups/", CreateGroupsAsync).AddEndpointFilter<StaffOnlyFilter>()
            .WithName("CreateGroups").WithSummary("Create a group, or a list of groups all-or-nothing.");

        api.MapGet("/subjects/", ListSubjectsAsync).WithName("ListSubjects").WithSummary("Subjects, by group name then name.");
        api.MapPost("/subjects/", CreateSubjectAsync).AddEndpointFilter<StaffOnlyFilter>()
            .WithName("CreateSubject").WithSummary("Create a subject in a group named by its name.");
        api.MapGet("/subject/{groupId:int}/", ListSubjectsOfGroupAsync).WithName("ListSubjectsOfGroup").WithSummary("The subjects of one group.");

        api.MapGet("/categories/", ListCategoriesAsync).WithName("ListCategories").WithSummary("Categories with their subcategories.");
        api.MapPost("/categories/", CreateCategoryAsync).AddEndpointFilter<StaffOnlyFilter>()
            .WithName("CreateCategory").WithSummary("Create a category under a subject of a group, both by name.");
        api.MapGet("/categories/list/", ListCategoriesFlatAsync).WithName("ListCategoriesFlat").WithSummary("Categories without their subcategories.");
        api.MapGet("/categories/{subjectId:int}/", ListCategoriesOfSubjectAsync).WithName("ListCategoriesOfSubject").WithSummary("The categories of one subject.");

        api.MapGet("/subcategories/", ListSubCategoriesAsync).WithName("ListSubCategories").WithSummary("Subcategories, by name.");
        api.MapPost("/subcategories/", CreateSubCategoryAsync).AddEndpointFilter<StaffOnlyFilter>()
            .WithName("CreateSubCategory").WithSummary("Create a subcategory under a category, subject and group, all by name.");
        api.MapGet("/subcategories/{categoryId:int}/", ListSubCategoriesOfCategoryAsync).WithName("ListSubCategoriesOfCategory").WithSummary("The subcategories of one category.");
        return api;
    }

    private static Task<IResult> ListGroupsAsync(HttpContext context, TaxonomyService taxonomy) =>
        ApiResponses.PageAsync(context, ApiCacheTags.Taxonomy, (_, page, cancellationToken) => taxonomy.ListGroupsAsync(page, cancellationToken), g => g, ApiJson.Context.PageGroupRecord);

    private static Task<IResult> ListSubjectsAsync(HttpContext context, TaxonomyService taxonomy) =>
        ApiResponses.PageAsync(context, ApiCacheTags.Taxonomy,
            (list, page, cancellationToken) => taxonomy.ListSubjectsAsync(new TaxonomyFilter(GroupId: list.IdFilter("group__id")), list.Options, page, cancellationToken),
            s => s, ApiJson.Context.PageSubjectRecord);

    private static Task<IResult> ListSubjectsOfGroupAsync(HttpContext context, TaxonomyService taxonomy, string groupId) =>
        ApiResponses.WithIdAsync(groupId, id => ApiResponses.PageAsync(context, ApiCacheTags.Taxonomy,
            (_, page, cancellationToken) => taxonomy.ListSubjectsOfGroupAsync(id, page, cancellationToken), s => s, ApiJson.Context.PageSubjectRecord));

    private static Task<IResult> ListCategoriesAsync(HttpContext context, TaxonomyService taxonomy) =>
        ApiResponses.PageAsync(context, ApiCacheTags.Taxonomy,
            (list, page, cancellationToken) => taxonomy.ListCategoriesAsync(CategoryFilter(list), list.Options, page, withSubCategories: true, cancellationToken),
            CategoryDto.From, ApiJson.Context.PageCategoryDto);

    private static Task<IResult> ListCategoriesFlatAsync(HttpContext context, TaxonomyService taxonomy) =>
        ApiResponses.PageAsync(context, ApiCacheTags.Taxonomy,
            (list, page, cancellationToken) => taxonomy.ListCategoriesAsync(CategoryFilter(list), list.Options, page, withSubCategories: false, cancellationToken),
            CategoryListDto.From, ApiJson.Context.PageCategoryListDto);

    private static Task<IResult> ListCategoriesOfSubjectAsync(HttpContext context, TaxonomyService taxonomy, string subjectId) =>
        ApiResponses.WithIdAsync(subjectId, id => ApiResponses.PageAsync(context, ApiCacheTags.Taxonomy,
            (_, page, cancellationToken) => taxonomy.ListCategoriesOfSubjectAsync(id, page, cancellationToken), CategoryDto.From, ApiJson.Context.PageCategoryDto));

    private static Task<IResult> ListSubCategoriesAsync(HttpContext context, TaxonomyService taxonomy) =>
        ApiResponses.PageAsync(context, ApiCacheTags.Taxonomy,
            (list, page, cancellationToken) => taxonomy.ListSubCategoriesAsync(
                new TaxonomyFilter(list.IdFilter("group__id"), list.IdFilter("subject__id"), list.IdFilter("category__id")), list.Options, page, cancellationToken),
            s => s, ApiJson.Context.PageSubCategoryRecord);

    private static Task<IResult> ListSubCategoriesOfCategoryAsync(HttpContext context, TaxonomyService taxonomy, string categoryId) =>
        ApiResponses.WithIdAsync(categoryId, id => ApiResponses.PageAsync(context, ApiCacheTags.Taxonomy,
            (_, page, cancellationToken) => taxonomy.ListSubCategoriesOfCategoryAsync(id, page, cancellationToken), s => s, ApiJson.Context.PageSubCategoryRecord));

    private static Task<IResult> CreateGroupsAsync(HttpContext context, TaxonomyService taxonomy) =>
        CreateAsync(context,
            (item, errors) => new NewGroup(ApiBody.String(item, "name", errors), ApiBody.String(item, "description", errors)),
            taxonomy.CreateGroupsAsync, g => g, ApiJson.Context.GroupRecord, ApiJson.Context.IReadOnlyListGroupRecord);

    private static Task<IResult> CreateSubjectAsync(HttpContext context, TaxonomyService taxonomy) =>
        CreateAsync(context,
            (item, errors) => new NewSubject(ApiBody.String(item, "name", errors), ApiBody.String(item, "description", errors), ApiBody.String(item, "group", errors)),
            taxonomy.CreateSubjectsAsync, s => s, ApiJson.Context.SubjectRecord, ApiJson.Context.IReadOnlyListSubjectRecord);

    private static Task<IResult> CreateCategoryAsync(HttpContext context, TaxonomyService taxonomy) =>
        CreateAsync(context,
            (item, errors) => new NewCategory(ApiBody.String(item, "name", errors), ApiBody.String(item, "subject", errors), ApiBody.String(item, "group", errors)),
            taxonomy.CreateCategoriesAsync, CategoryListDto.From, ApiJson.Context.CategoryListDto, ApiJson.Context.IReadOnlyListCategoryListDto);

    private static Task<IResult> CreateSubCategoryAsync(HttpContext context, TaxonomyService taxonomy) =>
        CreateAsync(context,
            (item, errors) => new NewSubCategory(ApiBody.String(item, "name", errors), ApiBody.String(item, "category", errors),
                ApiBody.String(item, "subject", errors), ApiBody.String(item, "group", errors)),
            taxonomy.CreateSubCategoriesAsync, s => s, ApiJson.Context.SubCategoryRecord, ApiJson.Context.IReadOnlyListSubCategoryRecord);

    /// <summary>
    /// One object, or a list of them created all or nothing, as the original's list serializers did:
    /// a list's errors come back as a list, one entry per item.
    /// </summary>
    private static async Task<IResult> CreateAsync<TNew, TRecord, TWire>(
        HttpContext context,
        Func<JsonElement, Dictionary<string, IReadOnlyList<string>>, TNew> read,
        Func<IReadOnlyList<TNew>, CancellationToken, Task<IReadOnlyList<TRecord>>> create,
        Func<TRecord, TWire> toWire,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<TWire> one,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<IReadOnlyList<TWire>> many)
    {
        var (body, error) = await ApiBody.ReadAsync(context.Request);
        if (error is not null)
        {
            return error;
        }

        var isList = body.ValueKind == JsonValueKind.Array;
        var items = isList ? body.EnumerateArray().ToList() : [body];
        if (items.Any(i => i.ValueKind != JsonValueKind.Object))
        {
            return ApiBody.NotAnObject();
        }

        var typeErrors = items.Select(_ => new Dictionary<string, IReadOnlyList<string>>()).ToList();
        var inputs = items.Select((item, i) => read(item, typeErrors[i])).ToList();
        if (typeErrors.Any(e => e.Count > 0))
        {
            return isList ? ItemErrors(typeErrors) : ApiResponses.FieldErrors(typeErrors[0]);
        }

        try
        {
            var created = (await create(inputs, context.RequestAborted)).Select(toWire).ToList();
            return isList ? TypedResults.Json<IReadOnlyList<TWire>>(created, many, statusCode: 201) : TypedResults.Json(created[0], one, statusCode: 201);
        }
        catch (ValidationErrors errors)
        {
            return isList && errors.Items is { } itemErrors ? ItemErrors(itemErrors) : ApiResponses.FieldErrors(errors.Fields);
        }
    }

    private static IResult ItemErrors(IReadOnlyList<IReadOnlyDictionary<string, IReadOnlyList<string>>> items) =>
        TypedResults.Json(items, ApiJson.Context.IReadOnlyListIReadOnlyDictionaryStringIReadOnlyListString, statusCode: 400);

    /// <summary>The original's filters in its order, which is the order of their errors.</summary>
    private static TaxonomyFilter CategoryFilter(ListRequest list)
    {
        var subjectId = list.IdFilter("subject__id");
        return new(GroupId: list.IdFilter("group__id"), SubjectId: subjectId);
    }
}
