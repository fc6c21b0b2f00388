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
        api.MapGet("/subject/{groupId}/", ListSubjectsOfGroupAsync).WithName("ListSubjectsOfGroup").WithSummary("The subjects of one group.");

        api.MapGet("/categories/", ListCategoriesAsync).WithName("ListCategories").WithSummary("Categories with their subcategories.");
        api.MapPost("/categories/", CreateCategoryAsync).AddEndpointFilter<StaffOnlyFilter>()
            .WithName("CreateCategory").WithSummary("Create a category under a subject of a group, both by name.");
        api.MapGet("/categories/list/", ListCategoriesFlatAsync).WithName("ListCategoriesFlat").WithSummary("Categories without their subcategories.");
        api.MapGet("/categories/{subjectId}/", ListCategoriesOfSubjectAsync).WithName("ListCategoriesOfSubject").WithSummary("The categories of one subject.");

        api.MapGet("/subcategories/", ListSubCategoriesAsync).WithName("ListSubCategories").WithSummary("Subcategories, by name.");
        api.MapPost("/subcategories/", CreateSubCategoryAsync).AddEndpointFilter<StaffOnlyFilter>()
            .WithName("CreateSubCategory").WithSummary("Create a subcategory under a category, subject and group, all by name.");
        api.MapGet("/subcategories/{categoryId}/", ListSubCategoriesOfCategoryAsync).WithName("ListSubCategoriesOfCategory").WithSummary("The subcategories of one category.");
        return api;
    }

    private static Task<IResult> ListGroupsAsync(HttpContext context, TaxonomyService taxonomy) =>
        ApiResponses.PageAsync(context, (_, page) => taxonomy.ListGroupsAsync(page, context.RequestAborted), g => g, ApiJson.Context.PageGroupRecord);

    private static Task<IResult> ListSubjectsAsync(HttpContext context, TaxonomyService taxonomy) =>
        ApiResponses.PageAsync(context,
            (list, page) => taxonomy.ListSubjectsAsync(new TaxonomyFilter(GroupId: list.IdFilter("group__id")), list.Options, page, context.RequestAborted),
            s => s, ApiJson.Context.PageSubjectRecord);

    private static Task<IResult> ListSubjectsOfGroupAsync(HttpContext context, TaxonomyService taxonomy, string groupId) =>
        ApiResponses.WithIdAsync(groupId, id => ApiResponses.PageAsync(context,
            (_, page) => taxonomy.ListSubjectsOfGroupAsync(id, page, context.RequestAborted), s => s, ApiJson.Context.PageSubjectRecord));

    private static Task<IResult> ListCategoriesAsync(HttpContext context, TaxonomyService taxonomy) =>
        ApiResponses.PageAsync(context,
            (list, page) => taxonomy.ListCategoriesAsync(CategoryFilter(list), list.Options, page, withSubCategories: true, context.RequestAborted),
            CategoryDto.From, ApiJson.Context.PageCategoryDto);

    private static Task<IResult> ListCategoriesFlatAsync(HttpContext context, TaxonomyService taxonomy) =>
        ApiResponses.PageAsync(context,
            (list, page) => taxonomy.ListCategoriesAsync(CategoryFilter(list), list.Options, page, withSubCategories: false, context.RequestAborted),
            CategoryListDto.From, ApiJson.Context.PageCategoryListDto);

    private static Task<IResult> ListCategoriesOfSubjectAsync(HttpContext context, TaxonomyService taxonomy, string subjectId) =>
        ApiResponses.WithIdAsync(subjectId, id => ApiResponses.PageAsync(context,
            (_, page) => taxonomy.ListCategoriesOfSubjectAsync(id, page, context.RequestAborted), CategoryDto.From, ApiJson.Context.PageCategoryDto));

    private static Task<IResult> ListSubCategoriesAsync(HttpContext context, TaxonomyService taxonomy) =>
        ApiResponses.PageAsync(context,
            (list, page) => taxonomy.ListSubCategoriesAsync(
                new TaxonomyFilter(list.IdFilter("group__id"), list.IdFilter("subject__id"), list.IdFilter("category__id")), list.Options, page, context.RequestAborted),
            s => s, ApiJson.Context.PageSubCategoryRecord);

    private static Task<IResult> ListSubCategoriesOfCategoryAsync(HttpContext context, TaxonomyService taxonomy, string categoryId) =>
        ApiResponses.WithIdAsync(categoryId, id => ApiResponses.PageAsync(context,
            (_, page) => taxonomy.ListSubCategoriesOfCategoryAsync(id, page, context.RequestAborted), s => s, ApiJson.Context.PageSubCategoryRecord));

    private static async Task<IResult> CreateGroupsAsync(HttpContext context, TaxonomyService taxonomy)
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
        var groups = items.Select((item, i) => new NewGroup(ApiBody.String(item, "name", typeErrors[i]), ApiBody.String(item, "description", typeErrors[i]))).ToList();
        if (typeErrors.Any(e => e.Count > 0))
        {
            return isList ? ItemErrors(typeErrors) : ApiResponses.FieldErrors(typeErrors[0]);
        }

        return await WriteAsync(async () =>
        {
            var created = await taxonomy.CreateGroupsAsync(groups, context.RequestAborted);
            return isList
                ? TypedResults.Json(created, ApiJson.Context.IReadOnlyListGroupRecord, statusCode: 201)
                : TypedResults.Json(created[0], ApiJson.Context.GroupRecord, statusCode: 201);
        });
    }

    private static async Task<IResult> CreateSubjectAsync(HttpContext context, TaxonomyService taxonomy) =>
        await CreateOneAsync(context, (item, errors) => new NewSubject(
                ApiBody.String(item, "name", errors), ApiBody.String(item, "description", errors), ApiBody.String(item, "group", errors)),
            async subject => TypedResults.Json(await taxonomy.CreateSubjectAsync(subject, context.RequestAborted), ApiJson.Context.SubjectRecord, statusCode: 201));

    private static async Task<IResult> CreateCategoryAsync(HttpContext context, TaxonomyService taxonomy) =>
        await CreateOneAsync(context, (item, errors) => new NewCategory(
                ApiBody.String(item, "name", errors), ApiBody.String(item, "subject", errors), ApiBody.String(item, "group", errors)),
            async category => TypedResults.Json(CategoryDto.From(await taxonomy.CreateCategoryAsync(category, context.RequestAborted)),
                ApiJson.Context.CategoryDto, statusCode: 201));

    private static async Task<IResult> CreateSubCategoryAsync(HttpContext context, TaxonomyService taxonomy) =>
        await CreateOneAsync(context, (item, errors) => new NewSubCategory(
                ApiBody.String(item, "name", errors), ApiBody.String(item, "category", errors),
                ApiBody.String(item, "subject", errors), ApiBody.String(item, "group", errors)),
            async subCategory => TypedResults.Json(await taxonomy.CreateSubCategoryAsync(subCategory, context.RequestAborted),
                ApiJson.Context.SubCategoryRecord, statusCode: 201));

    private static async Task<IResult> CreateOneAsync<T>(
        HttpContext context, Func<JsonElement, Dictionary<string, IReadOnlyList<string>>, T> read, Func<T, Task<IResult>> create)
    {
        var (body, error) = await ApiBody.ReadObjectAsync(context.Request);
        if (error is not null)
        {
            return error;
        }

        var typeErrors = new Dictionary<string, IReadOnlyList<string>>();
        var input = read(body, typeErrors);
        return typeErrors.Count > 0 ? ApiResponses.FieldErrors(typeErrors) : await WriteAsync(() => create(input));
    }

    private static async Task<IResult> WriteAsync(Func<Task<IResult>> write)
    {
        try
        {
            return await write();
        }
        catch (ValidationErrors errors) when (errors.Items is { } items)
        {
            return ItemErrors(items);
        }
        catch (ValidationErrors errors)
        {
            return ApiResponses.FieldErrors(errors.Fields);
        }
    }

    private static IResult ItemErrors(IReadOnlyList<IReadOnlyDictionary<string, IReadOnlyList<string>>> items) =>
        TypedResults.Json(items, ApiJson.Context.IReadOnlyListIReadOnlyDictionaryStringIReadOnlyListString, statusCode: 400);

    private static TaxonomyFilter CategoryFilter(ListRequest list) =>
        new(GroupId: list.IdFilter("group__id"), SubjectId: list.IdFilter("subject__id"));
}
