using EduLoop.Domain.Classes;
using EduLoop.Domain.Data;
using EduLoop.Domain.QuestionBank;
using EduLoop.Tests.Infrastructure;

using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Domain;

public sealed class TaxonomyRulesTests : IAsyncLifetime
{
    private DomainDatabase _database = null!;

    public async Task InitializeAsync() => _database = await DomainDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task SaveChanges_DuplicateGroupName_IsRejected()
    {
        await using var db = _database.CreateContext();
        db.Groups.Add(new Group { Name = "Mathematics" });
        await db.SaveChangesAsync();

        await using var second = _database.CreateContext();
        second.Groups.Add(new Group { Name = "Mathematics" });
        await Assert.ThrowsAsync<DbUpdateException>(() => second.SaveChangesAsync());
    }

    [Fact]
    public async Task SaveChanges_SubjectName_IsUniquePerGroupOnly()
    {
        var (maths, science) = (new Group { Name = "Maths" }, new Group { Name = "Science" });
        await using (var db = _database.CreateContext())
        {
            db.AddRange(maths, science);
            db.Subjects.Add(new Subject { Name = "Statistics", Group = maths });
            db.Subjects.Add(new Subject { Name = "Statistics", Group = science });
            await db.SaveChangesAsync();
        }

        await using var again = _database.CreateContext();
        again.Subjects.Add(new Subject { Name = "Statistics", GroupId = maths.Id });
        await Assert.ThrowsAsync<DbUpdateException>(() => again.SaveChangesAsync());
    }

    [Fact]
    public async Task SaveChanges_CategoryAndSubCategoryNames_AreUniqueUnderTheirParent()
    {
        var tree = await AddTreeAsync("G");
        await using (var db = _database.CreateContext())
        {
            // The same names under another parent are fine.
            var otherSubject = new Subject { Name = "Other", GroupId = tree.GroupId };
            db.Subjects.Add(otherSubject);
            await db.SaveChangesAsync();
            db.Categories.Add(new Category { Name = "Cat", SubjectId = otherSubject.Id, GroupId = tree.GroupId });
            await db.SaveChangesAsync();
        }

        await using (var db = _database.CreateContext())
        {
            db.Categories.Add(new Category { Name = "Cat", SubjectId = tree.SubjectId, GroupId = tree.GroupId });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        await using (var db = _database.CreateContext())
        {
            db.SubCategories.Add(new SubCategory { Name = "Sub", CategoryId = tree.CategoryId, SubjectId = tree.SubjectId, GroupId = tree.GroupId });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }
    }

    [Fact]
    public async Task SaveChanges_QuestionUnderMissingCategory_IsRejectedByForeignKey()
    {
        var tree = await AddTreeAsync("G");
        await using var db = _database.CreateContext();
        db.Questions.Add(new Question { Stem = "Orphan", CategoryId = 9999, SubjectId = tree.SubjectId, GroupId = tree.GroupId });
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task DeleteGroup_RemovesEverythingUnderIt_AndNothingElse()
    {
        var doomed = await AddTreeAsync("Doomed");
        var kept = await AddTreeAsync("Kept");

        await _database.Get<BankService>().DeleteNodeAsync(BankNodeKind.Group, doomed.GroupId);

        await using var check = _database.CreateContext();
        Assert.Equal(["Kept"], await check.Groups.Select(g => g.Name).ToListAsync());
        Assert.Equal(1, await check.Subjects.CountAsync());
        Assert.Equal(1, await check.Categories.CountAsync());
        Assert.Equal(1, await check.SubCategories.CountAsync());
        Assert.Equal([kept.QuestionId], await check.Questions.Select(q => q.Id).ToListAsync());
        Assert.Equal(1, await check.QuestionTags.CountAsync());
    }

    [Fact]
    public async Task DeleteSubCategory_RemovesItsQuestionsOnly()
    {
        var tree = await AddTreeAsync("G");
        await using (var db = _database.CreateContext())
        {
            db.Questions.Add(new Question { Stem = "In the category only", CategoryId = tree.CategoryId, SubjectId = tree.SubjectId, GroupId = tree.GroupId });
            await db.SaveChangesAsync();
            await db.SubCategories.Where(s => s.Id == tree.SubCategoryId).ExecuteDeleteAsync();
        }

        await using var check = _database.CreateContext();
        Assert.Equal(["In the category only"], await check.Questions.Select(q => q.Stem).ToListAsync());
    }

    [Fact]
    public async Task SaveChanges_DuplicateAccessKey_IsRejected()
    {
        await using var db = _database.CreateContext();
        db.AccessKeys.Add(new AccessKey { Key = "12345678" });
        db.AccessKeys.Add(new AccessKey { Key = "12345678" });
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Question_Body_RoundTripsThroughTheDatabase()
    {
        var tree = await AddTreeAsync("G");
        var body = new QuestionBody
        {
            Choices = [new Choice("$x = 2$", 1m, "Right."), new Choice("$x = 3$", 0m)],
            NumericAnswers = [new NumericAnswer(3.14, 0.01)],
            GeneralFeedback = "Because.",
            Extra = { ["source"] = System.Text.Json.JsonDocument.Parse("{\"book\":\"p. 12\"}").RootElement },
        };
        int id;
        await using (var db = _database.CreateContext())
        {
            var question = new Question { Stem = "Solve", Body = body, CategoryId = tree.CategoryId, SubjectId = tree.SubjectId, GroupId = tree.GroupId };
            db.Questions.Add(question);
            await db.SaveChangesAsync();
            id = question.Id;
        }

        await using var check = _database.CreateContext();
        var loaded = await check.Questions.AsNoTracking().SingleAsync(q => q.Id == id);
        Assert.Equal(body.Choices, loaded.Body.Choices);
        Assert.Equal(body.NumericAnswers, loaded.Body.NumericAnswers);
        Assert.Equal("Because.", loaded.Body.GeneralFeedback);
        Assert.Equal("p. 12", loaded.Body.Extra["source"].GetProperty("book").GetString());
    }

    private sealed record Tree(int GroupId, int SubjectId, int CategoryId, int SubCategoryId, int QuestionId);

    private async Task<Tree> AddTreeAsync(string groupName)
    {
        await using var db = _database.CreateContext();
        var group = new Group { Name = groupName };
        var subject = new Subject { Name = "Subject", Group = group };
        var category = new Category { Name = "Cat", Subject = subject, Group = group };
        db.AddRange(group, subject, category);
        await db.SaveChangesAsync();
        var subCategory = new SubCategory { Name = "Sub", CategoryId = category.Id, SubjectId = subject.Id, GroupId = group.Id };
        db.SubCategories.Add(subCategory);
        await db.SaveChangesAsync();
        var tag = new Tag { Name = $"tag-{groupName}" };
        var question = new Question
        {
            Stem = $"A question in {groupName}",
            CategoryId = category.Id,
            SubCategoryId = subCategory.Id,
            SubjectId = subject.Id,
            GroupId = group.Id,
        };
        question.Tags.Add(new QuestionTag { Tag = tag });
        db.Questions.Add(question);
        await db.SaveChangesAsync();
        return new Tree(group.Id, subject.Id, category.Id, subCategory.Id, question.Id);
    }
}
