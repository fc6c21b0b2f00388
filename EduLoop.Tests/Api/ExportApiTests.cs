using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Api;

/// <summary>The export endpoint reads the bank page's address: a download is the view the list showed, or the chosen rows.</summary>
public sealed partial class ExportApiTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    /// <summary>Questions in a group of their own; returns the subject's id and the questions' ids by title.</summary>
    private async Task<(int Subject, Dictionary<string, int> Questions)> SetUpAsync()
    {
        var group = $"Export {Guid.NewGuid():N}"[..20];
        var gift = $$"""
            $CATEGORY: {{group}}/Algebra/Equations

            ::Linear::Solve x + 1 = 2. {=1 ~2}

            ::Check::Is x = 1 a solution of x + 1 = 2? {T}

            ::Square::Which x is the square root of 9? {=3 ~4}

            $CATEGORY: {{group}}/Geometry/Angles

            ::Angle::Solve for the third angle of a triangle with 60 and 60. {=60 ~90}
            """;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<ImportService>().CommitAsync(
                QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(gift)), new ImportOptions { Duplicates = DuplicateHandling.Import }, null)).Succeeded);
        }

        await using var db = app.CreateDbContext();
        var subject = await db.Subjects.Where(s => s.Name == "Algebra" && s.Group!.Name == group).Select(s => s.Id).SingleAsync();
        var questions = await db.Questions.Where(q => q.Category!.Group!.Name == group).ToDictionaryAsync(q => q.Title, q => q.Id);
        return (subject, questions);
    }

    private async Task<List<string>> ExportAsync(string query)
    {
        var response = await app.CreateClientAs(Roles.Teacher).GetAsync("/api/export/?format=gift&" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return GiftTitle().Matches(await response.Content.ReadAsStringAsync()).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task Export_OfAFilteredView_IsExactlyThatView()
    {
        var (subject, _) = await SetUpAsync();

        Assert.Equal(["Linear", "Square"], await ExportAsync($"node=s{subject}&type=mcq"));
        Assert.Equal(["Linear"], await ExportAsync($"node=s{subject}&type=mcq&q=solve"));
        Assert.Equal(["Check", "Linear", "Square"], await ExportAsync($"subject__id={subject}"));
    }

    [Fact]
    public async Task Export_OfChosenRows_IsExactlyThoseRows()
    {
        var (subject, questions) = await SetUpAsync();

        Assert.Equal(["Angle", "Check"], await ExportAsync($"node=s{subject}&type=mcq&ids={questions["Check"]},{questions["Angle"]}"));
    }

    [Theory]
    [InlineData("node=q12")]
    [InlineData("ids=1,x")]
    [InlineData("from=yesterday")]
    [InlineData("archived=sometimes")]
    public async Task Export_AnAddressItCannotRead_Is400(string query)
    {
        var response = await app.CreateClientAs(Roles.Teacher).GetAsync("/api/export/?format=gift&" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [GeneratedRegex(@"^::(.+?)::", RegexOptions.Multiline)]
    private static partial Regex GiftTitle();
}
