using System.Net;
using System.Text.Json;
using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Api;

/// <summary>The hierarchy routes of the original service, against the demo bank.</summary>
public sealed class TaxonomyApiTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    private HttpClient Anonymous() => app.CreateClient();

    [Fact]
    public async Task Groups_List_IsOrderedByNameWithTheOriginalFields()
    {
        var response = await Anonymous().GetAsync("/api/groups/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.JsonAsync();
        Assert.True(page.GetProperty("count").GetInt32() >= 3);
        var names = page.Names();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        var first = page.GetProperty("results")[0];
        Assert.Equal(["id", "name", "description", "created_at"], first.EnumerateObject().Select(p => p.Name));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", first.GetProperty("created_at").GetString());
    }

    [Fact]
    public async Task Subjects_PageSize_LinksKeepOtherParametersAndDropPageOne()
    {
        var page2 = await (await Anonymous().GetAsync("/api/subjects/?page_size=3&page=2&search=a")).JsonAsync();

        var count = page2.GetProperty("count").GetInt32();
        Assert.True(count > 6, "enough subjects match 'a' for three pages");
        Assert.Equal("http://localhost/api/subjects/?page=3&page_size=3&search=a", page2.GetProperty("next").GetString());
        Assert.Equal("http://localhost/api/subjects/?page_size=3&search=a", page2.GetProperty("previous").GetString());
        Assert.Equal(3, page2.GetProperty("results").GetArrayLength());
    }

    [Theory]
    [InlineData("page=0")]
    [InlineData("page=999")]
    [InlineData("page=abc")]
    [InlineData("page=")]
    [InlineData("page=1.5")]
    [InlineData("page=99999999999999999999")]
    public async Task List_PageThatDoesNotExist_Is404InvalidPage(string query)
    {
        var response = await Anonymous().GetAsync($"/api/subjects/?{query}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"detail":"Invalid page."}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task List_PageLast_IsTheLastPage()
    {
        var last = await (await Anonymous().GetAsync("/api/subcategories/?page=last&page_size=50")).JsonAsync();

        var count = last.GetProperty("count").GetInt32();
        Assert.Equal(JsonValueKind.Null, last.GetProperty("next").ValueKind);
        Assert.Equal(count - (count - 1) / 50 * 50, last.GetProperty("results").GetArrayLength());
    }

    [Theory]
    [InlineData("page_size=0", 20)]
    [InlineData("page_size=-4", 20)]
    [InlineData("page_size=lots", 20)]
    [InlineData("page_size=5", 5)]
    [InlineData("page_size=100000", 100)]
    [InlineData("page_size=99999999999999999999", 20)]
    public async Task List_PageSize_DefaultsAndClampsLikeTheOriginal(string query, int expected)
    {
        var page = await (await Anonymous().GetAsync($"/api/subcategories/?{query}")).JsonAsync();

        Assert.Equal(expected, page.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task Subjects_GroupFilter_KeepsOneGroup()
    {
        var groups = await (await Anonymous().GetAsync("/api/groups/")).JsonAsync();
        var maths = groups.GetProperty("results").EnumerateArray().Single(g => g.GetProperty("name").GetString() == "Mathematics");

        var page = await (await Anonymous().GetAsync($"/api/subjects/?group__id={maths.GetProperty("id").GetInt32()}")).JsonAsync();

        Assert.Equal(["Algebra", "Calculus", "Geometry"], page.Names());
        Assert.All(page.GetProperty("results").EnumerateArray(), s => Assert.Equal("Mathematics", s.GetProperty("group").GetString()));
    }

    [Theory]
    [InlineData("group__id=abc")]
    [InlineData("group__id=1e")]
    public async Task Subjects_BadFilter_Is400WithTheField(string query)
    {
        var response = await Anonymous().GetAsync($"/api/subjects/?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("""{"group__id":["Enter a number."]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Subjects_FilterNoRowHas_IsAnEmptyPage()
    {
        var page = await (await Anonymous().GetAsync("/api/subjects/?group__id=99999999999")).JsonAsync();

        Assert.Equal(0, page.GetProperty("count").GetInt32());
        Assert.Equal(0, page.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task Subjects_Ordering_ByNameDescending_AndUnknownFieldsIgnored()
    {
        var descending = (await (await Anonymous().GetAsync("/api/subjects/?ordering=-name")).JsonAsync()).Names();
        var unknown = (await (await Anonymous().GetAsync("/api/subjects/?ordering=password,-nonsense")).JsonAsync()).Names();
        var byDefault = (await (await Anonymous().GetAsync("/api/subjects/")).JsonAsync()).Names();

        Assert.Equal(descending.OrderDescending(StringComparer.Ordinal), descending);
        Assert.Equal(byDefault, unknown);
    }

    [Fact]
    public async Task Categories_SearchEveryTerm_CaseInsensitive()
    {
        var page = await (await Anonymous().GetAsync("/api/categories/list/?search=ALGEBRA%20linear")).JsonAsync();

        Assert.Equal(["Linear equations"], page.Names());
        Assert.Equal(["id", "name", "subject", "group", "created_at"], page.GetProperty("results")[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Categories_IncludeTheirSubcategories()
    {
        var page = await (await Anonymous().GetAsync("/api/categories/?search=Linear")).JsonAsync();

        var category = Assert.Single(page.GetProperty("results").EnumerateArray());
        var children = category.GetProperty("subcategories").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Equal(["Applications", "Exam practice", "Foundations", "Worked examples"], children);
        Assert.All(category.GetProperty("subcategories").EnumerateArray(), s => Assert.Equal("Linear equations", s.GetProperty("category").GetString()));
    }

    [Fact]
    public async Task NestedRoutes_KnownParent_ListItsChildren_UnknownParentIs404()
    {
        int groupId, subjectId, categoryId;
        await using (var db = app.CreateDbContext())
        {
            groupId = await db.Groups.Where(g => g.Name == "Mathematics").Select(g => g.Id).SingleAsync();
            subjectId = await db.Subjects.Where(s => s.Name == "Algebra").Select(s => s.Id).SingleAsync();
            categoryId = await db.Categories.Where(c => c.Name == "Linear equations").Select(c => c.Id).SingleAsync();
        }

        Assert.Equal(3, (await (await Anonymous().GetAsync($"/api/subject/{groupId}/")).JsonAsync()).GetProperty("count").GetInt32());
        Assert.Equal(5, (await (await Anonymous().GetAsync($"/api/categories/{subjectId}/")).JsonAsync()).GetProperty("count").GetInt32());
        Assert.Equal(4, (await (await Anonymous().GetAsync($"/api/subcategories/{categoryId}/")).JsonAsync()).GetProperty("count").GetInt32());
        foreach (var url in new[] { "/api/subject/999999/", "/api/categories/999999/", "/api/subcategories/999999/", "/api/subject/abc/", "/api/subject/-1/" })
        {
            var response = await Anonymous().GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task Write_Anonymous_Is401_Student_Is403_AndNothingChanges()
    {
        var before = await CountAsync();

        var anonymous = await Anonymous().PostJsonAsync("/api/groups/", """{"name":"Nope"}""");
        var student = await app.CreateClientAs(Roles.Student).PostJsonAsync("/api/groups/", """{"name":"Nope"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("AccessKey", anonymous.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, student.StatusCode);
        Assert.Equal("""{"detail":"You do not have permission to perform this action."}""", await student.Content.ReadAsStringAsync());
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Groups_Create_One_Returns201_AndTheNextReadShowsIt()
    {
        var teacher = app.CreateClientAs(Roles.Teacher);
        var name = $"Music {Guid.NewGuid():N}";
        Assert.DoesNotContain(name, (await (await Anonymous().GetAsync("/api/groups/?page_size=100")).JsonAsync()).Names());

        var response = await teacher.PostJsonAsync("/api/groups/", $$"""{"name":"{{name}}","description":"Choir and band","unknown":true}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.JsonAsync();
        Assert.Equal(name, created.GetProperty("name").GetString());
        Assert.Equal("Choir and band", created.GetProperty("description").GetString());
        // The cached list is not served stale after the write.
        Assert.Contains(name, (await (await Anonymous().GetAsync("/api/groups/?page_size=100")).JsonAsync()).Names());
    }

    [Fact]
    public async Task Groups_CreateList_IsAllOrNothing()
    {
        var teacher = app.CreateClientAs(Roles.Teacher);
        var fresh = $"Fresh {Guid.NewGuid():N}";
        var before = await CountAsync();

        var response = await teacher.PostJsonAsync("/api/groups/", $$"""[{"name":"{{fresh}}"},{"name":"Mathematics"},{"name":""}]""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            """[{},{"name":["group with this name already exists."]},{"name":["This field may not be blank."]}]""",
            await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await CountAsync());

        var ok = await teacher.PostJsonAsync("/api/groups/", $$"""[{"name":"{{fresh}}"},{"name":"{{fresh}} 2"}]""");
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        Assert.Equal(2, (await ok.JsonAsync()).GetArrayLength());
    }

    [Fact]
    public async Task Groups_DuplicateName_Is400()
    {
        var response = await app.CreateClientAs(Roles.Admin).PostJsonAsync("/api/groups/", """{"name":"Mathematics"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("""{"name":["group with this name already exists."]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Subjects_Create_ByGroupName_AndDuplicateInTheSameGroupIs400()
    {
        var teacher = app.CreateClientAs(Roles.Teacher);
        var name = $"Statistics {Guid.NewGuid():N}";

        var created = await teacher.PostJsonAsync("/api/subjects/", $$"""{"name":"{{name}}","group":"Mathematics"}""");
        var again = await teacher.PostJsonAsync("/api/subjects/", $$"""{"name":"{{name}}","group":"Mathematics"}""");
        var elsewhere = await teacher.PostJsonAsync("/api/subjects/", $$"""{"name":"{{name}}","group":"Natural Sciences"}""");
        var unknownGroup = await teacher.PostJsonAsync("/api/subjects/", """{"name":"X","group":"Astrology"}""");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Mathematics", (await created.JsonAsync()).GetProperty("group").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("""{"non_field_errors":["The fields name, group must make a unique set."]}""", await again.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, elsewhere.StatusCode);
        Assert.Equal("""{"group":["Object with name=Astrology does not exist."]}""", await unknownGroup.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Categories_Create_SubjectMustBeInTheGroup()
    {
        var teacher = app.CreateClientAs(Roles.Teacher);
        var name = $"Matrices {Guid.NewGuid():N}";

        var wrongGroup = await teacher.PostJsonAsync("/api/categories/", $$"""{"name":"{{name}}","subject":"Algebra","group":"Natural Sciences"}""");
        var right = await teacher.PostJsonAsync("/api/categories/", $$"""{"name":"{{name}}","subject":"Algebra","group":"Mathematics"}""");

        Assert.Equal(HttpStatusCode.BadRequest, wrongGroup.StatusCode);
        Assert.Contains("subject", (await wrongGroup.JsonAsync()).EnumerateObject().Select(p => p.Name));
        Assert.Equal(HttpStatusCode.Created, right.StatusCode);
        var created = await right.JsonAsync();
        Assert.Equal("Algebra", created.GetProperty("subject").GetString());
        // As the original's create answered: the category's fields, without its (empty) subcategories.
        Assert.False(created.TryGetProperty("subcategories", out _));
    }

    [Fact]
    public async Task SubCategories_Create_EveryParentMustExistUnderTheOneAbove()
    {
        var teacher = app.CreateClientAs(Roles.Teacher);
        var name = $"Drills {Guid.NewGuid():N}";

        var wrong = await teacher.PostJsonAsync("/api/subcategories/", $$"""{"name":"{{name}}","category":"Cells","subject":"Algebra","group":"Mathematics"}""");
        var right = await teacher.PostJsonAsync("/api/subcategories/", $$"""{"name":"{{name}}","category":"Linear equations","subject":"Algebra","group":"Mathematics"}""");

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("category", (await wrong.JsonAsync()).EnumerateObject().Select(p => p.Name));
        Assert.Equal(HttpStatusCode.Created, right.StatusCode);
        var created = await right.JsonAsync();
        Assert.Equal(["id", "name", "category", "subject", "group", "created_at"], created.EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("{\"name\": 5}", HttpStatusCode.Created)]
    [InlineData("{\"name\": [1]}", HttpStatusCode.BadRequest)]
    [InlineData("{\"name\": null}", HttpStatusCode.BadRequest)]
    [InlineData("{}", HttpStatusCode.BadRequest)]
    [InlineData("", HttpStatusCode.BadRequest)]
    [InlineData("[]", HttpStatusCode.Created)]
    [InlineData("\"text\"", HttpStatusCode.BadRequest)]
    [InlineData("{\"name\":", HttpStatusCode.BadRequest)]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", HttpStatusCode.BadRequest)]
    public async Task Groups_OddBodies_GetA4xxOrAreTakenAsTheOriginalTookThem(string body, HttpStatusCode expected)
    {
        // A number is a valid name in the original (its text); "5" may exist from another run of this theory.
        await using (var db = app.CreateDbContext())
        {
            await db.Groups.Where(g => g.Name == "5").ExecuteDeleteAsync();
        }

        var response = await app.CreateClientAs(Roles.Teacher).PostJsonAsync("/api/groups/", body);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Groups_NotJson_Is415()
    {
        var response = await app.CreateClientAs(Roles.Teacher).PostAsync("/api/groups/", new StringContent("name=X", System.Text.Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Groups_InvalidUtf8_Is400()
    {
        var content = new ByteArrayContent([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']);
        content.Headers.ContentType = new("application/json");

        var response = await app.CreateClientAs(Roles.Teacher).PostAsync("/api/groups/", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task List_SameRequestTwice_AnswersTheSecondWith304()
    {
        var client = Anonymous();
        var first = await client.GetAsync("/api/categories/list/?page_size=7");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/api/categories/list/?page_size=7");
        conditional.Headers.IfNoneMatch.Add(etag);
        var second = await client.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    private async Task<int> CountAsync()
    {
        await using var db = app.CreateDbContext();
        return await db.Groups.CountAsync() + await db.Subjects.CountAsync() + await db.Categories.CountAsync() + await db.SubCategories.CountAsync();
    }
}
