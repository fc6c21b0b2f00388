using System.Linq.Expressions;
using EduLoop.Domain.Data;
using EduLoop.Domain.Querying;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.QuestionBank;

/// <summary>
/// The teachers' side of the bank: browsing with filters and full-text search, the hierarchy with
/// counts, editing with conflict detection and history, bulk changes.
/// </summary>
public sealed partial class BankService(IDbContextFactory<EduLoopDbContext> contextFactory, CountCache counts, TimeProvider clock)
{
    public async Task<PageResult<BankRow>> BrowseAsync(BankQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var questions = Listed(db, query);
        var (count, capped) = await CountAsync(db, query, cancellationToken);
        var pageCount = Math.Max(1, (count + page.PageSize - 1) / page.PageSize);
        var number = Math.Clamp(page.Page ?? pageCount, 1, pageCount);
        var offset = (number - 1) * page.PageSize;
        List<BankRow> rows;
        if (query.Sort == BankSort.RecentlyEdited)
        {
            rows = await questions.OrderByDescending(q => q.UpdatedAt).ThenByDescending(q => q.Id)
                .Skip(offset).Take(page.PageSize).Select(ToRow(db)).ToListAsync(cancellationToken);
        }
        else if (QuestionSearchSql.MatchQuery(query.Text) is not null)
        {
            // Text matches come newest first by id, which follows the primary key: a common word's
            // thousands of matches are not sorted to show twenty.
            var ordered = query.Sort == BankSort.Newest ? questions.OrderByDescending(q => q.Id) : questions.OrderBy(q => q.Id);
            rows = await ordered.Skip(offset).Take(page.PageSize).Select(ToRow(db)).ToListAsync(cancellationToken);
        }
        else
        {
            // Newest or oldest first, served by the (filter, CreatedAt) indexes in both directions: a
            // page past the middle is read from the other end, so the last of a million skips a few rows.
            var newestFirst = query.Sort == BankSort.Newest;
            var fromStart = offset <= count / 2;
            var skip = fromStart ? offset : Math.Max(0, count - offset - page.PageSize);
            var take = fromStart ? page.PageSize : Math.Min(page.PageSize, count - offset);
            var ordered = newestFirst == fromStart
                ? questions.OrderByDescending(q => q.CreatedAt).ThenByDescending(q => q.Id)
                : questions.OrderBy(q => q.CreatedAt).ThenBy(q => q.Id);
            rows = await ordered.Skip(skip).Take(Math.Max(0, take)).Select(ToRow(db)).ToListAsync(cancellationToken);
            if (!fromStart)
            {
                rows.Reverse();
            }
        }

        return new PageResult<BankRow>(count, number, page.PageSize, rows) { IsCountCapped = capped };
    }

    /// <summary>How many questions the selection takes: the same rows the list counts, or the chosen rows that still exist.</summary>
    public async Task<int> CountAsync(BankSelection selection, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!selection.IsChosenRows && await CountAsync(db, selection.View, cancellationToken) is (var listed, Capped: false))
        {
            return listed;
        }

        // Chosen rows, or a text search past the list's cap: what is taken is counted in full.
        return await Selected(db, selection).CountAsync(cancellationToken);
    }

    /// <summary>The questions of a selection: the chosen rows (archived or not), or every row the view lists.</summary>
    internal static IQueryable<Question> Selected(EduLoopDbContext db, BankSelection selection) => selection.Ids is { } ids
        ? db.Questions.AsNoTracking().Where(q => ids.Contains(q.Id))
        : Listed(db, selection.View);

    /// <summary>The rows the view lists, on every page.</summary>
    private static IQueryable<Question> Listed(EduLoopDbContext db, BankQuery query) => Filter(db, query).Where(q => q.IsArchived == query.Archived);

    /// <summary>
    /// How many rows the view lists: a sum of the kept counts, whatever the bank's size, unless the view
    /// filters on dates or searches text. A text search counts its matches up to <see cref="TextCountCap"/>
    /// and says when there are more.
    /// </summary>
    private async Task<(int Count, bool Capped)> CountAsync(EduLoopDbContext db, BankQuery query, CancellationToken cancellationToken)
    {
        var searched = QuestionSearchSql.MatchQuery(query.Text) is not null;
        if (query.NeedsReview && !searched)
        {
            // Flags move with answers, not with the bank's writes that the kept counts follow: counted each time, from the flagged rows.
            return (await Listed(db, query).CountAsync(cancellationToken), false);
        }

        var count = await counts.GetOrCountAsync($"bank|{query with { Sort = BankSort.Newest }}", async () =>
        {
            if (searched)
            {
                return await Listed(db, query).Take(TextCountCap + 1).CountAsync(cancellationToken);
            }

            if (query.CreatedFrom is null && query.CreatedTo is null)
            {
                int? tagId = null;
                if (!string.IsNullOrWhiteSpace(query.Tag))
                {
                    var name = query.Tag.Trim();
                    tagId = await db.Tags.Where(t => t.Name == name).Select(t => (int?)t.Id).SingleOrDefaultAsync(cancellationToken);
                    if (tagId is null)
                    {
                        return 0;
                    }
                }

                return await KeptCount(query, tagId).CountAsync(db, cancellationToken);
            }

            // Dates: counted through the (filter, CreatedAt) indexes, everything the filters select less
            // the (few) archived ones, instead of reading every row to look at its archive flag.
            var any = Filter(db, query);
            return query.Archived
                ? await Listed(db, query).CountAsync(cancellationToken)
                : await any.CountAsync(cancellationToken) - await any.Where(q => q.IsArchived).CountAsync(cancellationToken);
        });
        return searched && count > TextCountCap ? (TextCountCap, true) : (count, false);
    }

    /// <summary>A text search counts its matches up to this many; a list shows "10,000+" beyond it.</summary>
    public const int TextCountCap = 10_000;

    /// <summary>The query (without dates or text) as a count of the kept per-filter counts.</summary>
    internal static CountFilter KeptCount(BankQuery query, int? tagId) => new(
        query.SubCategoryId is null && query.CategoryId is null && query.SubjectId is null ? query.GroupId : null,
        query.SubCategoryId is null && query.CategoryId is null ? query.SubjectId : null,
        query.SubCategoryId is null ? query.CategoryId : null,
        query.SubCategoryId,
        query.Type, query.Level, query.Archived, string.IsNullOrEmpty(query.AuthorId) ? null : query.AuthorId, tagId);

    /// <summary>The query's filters except the archive flag.</summary>
    private static IQueryable<Question> Filter(EduLoopDbContext db, BankQuery query)
    {
        var questions = db.Questions.AsNoTracking();
        if (query.SubCategoryId is { } subCategoryId)
        {
            questions = questions.Where(q => q.SubCategoryId == subCategoryId);
        }
        else if (query.CategoryId is { } categoryId)
        {
            questions = questions.Where(q => q.CategoryId == categoryId);
        }
        else if (query.SubjectId is { } subjectId)
        {
            questions = questions.Where(q => q.SubjectId == subjectId);
        }
        else if (query.GroupId is { } groupId)
        {
            questions = questions.Where(q => q.GroupId == groupId);
        }

        if (query.Level is { } level)
        {
            questions = questions.Where(q => q.Level == level);
        }

        if (query.Type is { } type)
        {
            questions = questions.Where(q => q.Type == type);
        }

        if (!string.IsNullOrWhiteSpace(query.Tag))
        {
            var tag = query.Tag.Trim();
            questions = questions.Where(q => q.Tags.Any(t => t.Tag!.Name == tag));
        }

        if (!string.IsNullOrEmpty(query.AuthorId))
        {
            questions = questions.Where(q => q.CreatedById == query.AuthorId);
        }

        if (query.CreatedFrom is { } from)
        {
            questions = questions.Where(q => q.CreatedAt >= from);
        }

        if (query.CreatedTo is { } to)
        {
            questions = questions.Where(q => q.CreatedAt < to);
        }

        if (SqlDialect.Of(db).SearchIds(db, query.Text) is { } ids)
        {
            questions = questions.Where(q => ids.Contains(q.Id));
        }

        if (query.NeedsReview)
        {
            // The flagged ids as a list the database walks through its index (an uncorrelated IN, which
            // SQLite reads first), rather than a look at every question; then only sums of the
            // question's current wording count.
            var flagged = db.QuestionQualities.Where(x => x.OpenFlags != Learning.QualityFlags.None).Select(x => x.QuestionId);
            questions = questions.Where(q => flagged.Contains(q.Id) && db.QuestionQualities.Any(x => x.QuestionId == q.Id && x.ContentHash == q.ContentHash));
        }

        return questions;
    }

    private static Expression<Func<Question, BankRow>> ToRow(EduLoopDbContext db) => q => new BankRow(
        q.Id, q.Title, q.Type, q.Level,
        q.Category!.Group!.Name + " / " + q.Category.Subject!.Name + " / " + q.Category.Name + (q.SubCategory == null ? "" : " / " + q.SubCategory.Name),
        q.CreatedAt, q.UpdatedAt,
        db.Users.Where(u => u.Id == q.CreatedById).Select(u => u.DisplayName).FirstOrDefault(),
        q.Version, q.IsArchived);

    /// <summary>The whole hierarchy with the number of (not archived) questions under each node; counted once per write.</summary>
    public async Task<IReadOnlyList<BankNode>> TreeAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var perPlace = await counts.GetOrLoadAsync("bank-tree", async () =>
        {
            // Sums of the kept counts: no question row is read.
            var categories = await QuestionCountsBy.CountAsync(db, "CategoryId", archived: false, cancellationToken);
            var subs = await QuestionCountsBy.CountAsync(db, "SubCategoryId", archived: false, cancellationToken);
            subs.Remove(0); // the questions without a subcategory
            return new PlaceCounts(categories, subs);
        });
        var (byCategory, bySub) = (perPlace.Categories, perPlace.SubCategories);
        var groups = await db.Groups.AsNoTracking().OrderBy(g => g.Name).Select(g => new { g.Id, g.Name }).ToListAsync(cancellationToken);
        var subjects = await db.Subjects.AsNoTracking().OrderBy(s => s.Name).Select(s => new { s.Id, s.GroupId, s.Name }).ToListAsync(cancellationToken);
        var categories = await db.Categories.AsNoTracking().OrderBy(c => c.Name).Select(c => new { c.Id, c.SubjectId, c.Name }).ToListAsync(cancellationToken);
        var subCategories = await db.SubCategories.AsNoTracking().OrderBy(s => s.Name).Select(s => new { s.Id, s.CategoryId, s.Name }).ToListAsync(cancellationToken);
        var subsOf = subCategories.ToLookup(s => s.CategoryId);
        var categoriesOf = categories.ToLookup(c => c.SubjectId);
        var subjectsOf = subjects.ToLookup(s => s.GroupId);

        BankNode Category(int id, string name) => new(BankNodeKind.Category, id, name, byCategory.GetValueOrDefault(id),
            subsOf[id].Select(s => new BankNode(BankNodeKind.SubCategory, s.Id, s.Name, bySub.GetValueOrDefault(s.Id), [])).ToList());

        BankNode Subject(int id, string name)
        {
            var children = categoriesOf[id].Select(c => Category(c.Id, c.Name)).ToList();
            return new BankNode(BankNodeKind.Subject, id, name, children.Sum(c => c.Questions), children);
        }

        return groups.Select(g =>
        {
            var children = subjectsOf[g.Id].Select(s => Subject(s.Id, s.Name)).ToList();
            return new BankNode(BankNodeKind.Group, g.Id, g.Name, children.Sum(s => s.Questions), children);
        }).ToList();
    }

    private sealed record PlaceCounts(Dictionary<int, int> Categories, Dictionary<int, int> SubCategories);

    public async Task<EditableQuestion> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await LoadAsync(db, id, cancellationToken) ?? throw new NotFoundException("This question does not exist (any more).");
    }

    private static Task<EditableQuestion?> LoadAsync(EduLoopDbContext db, int id, CancellationToken cancellationToken) =>
        db.Questions.AsNoTracking().Where(q => q.Id == id).Select(q => new EditableQuestion(
                q.Id, q.CategoryId, q.SubCategoryId,
                q.Category!.Group!.Name + " / " + q.Category.Subject!.Name + " / " + q.Category.Name + (q.SubCategory == null ? "" : " / " + q.SubCategory.Name),
                q.Type, q.Level, q.Title, q.Stem, q.Body, q.Tags.Select(t => t.Tag!.Name).OrderBy(n => n).ToList(), q.Version, q.ConcurrencyStamp,
                q.UpdatedAt, q.IsArchived))
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Saves the editor's question: a new one when its id is 0. An existing one is saved only if nobody
    /// saved it since the editor loaded it (its stamp); otherwise <see cref="QuestionConflictException"/>
    /// carries what the other person saved. The state it replaces is kept in the question's history.
    /// </summary>
    public async Task<EditableQuestion> SaveAsync(EditableQuestion edited, string? userId, CancellationToken cancellationToken = default)
    {
        if (QuestionRules.Check(edited.Type, edited.Stem, edited.Body) is { } problem)
        {
            throw new DomainValidationException("question", problem);
        }

        var tags = edited.Tags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (tags.FirstOrDefault(t => t.Length > Limits.TagLength) is { } longTag)
        {
            throw new DomainValidationException("tags", $"A tag may have at most {Limits.TagLength} characters: \"{longTag[..20]}…\".");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var place = await PlaceAsync(db, edited.CategoryId, edited.SubCategoryId, cancellationToken);
        var now = Now();
        var title = string.IsNullOrWhiteSpace(edited.Title) ? QuestionText.TitleOf(edited.Stem) : edited.Title.Trim();
        title = title.Length <= Limits.TitleLength ? title : title[..Limits.TitleLength];
        Question question;
        if (edited.Id == 0)
        {
            question = new Question { Stem = edited.Stem, CreatedAt = now, CreatedById = userId, UpdatedById = userId };
            db.Questions.Add(question);
        }
        else
        {
            question = await db.Questions.Include(q => q.Tags).FirstOrDefaultAsync(q => q.Id == edited.Id, cancellationToken)
                ?? throw new NotFoundException("This question was deleted by someone else.");
            if (question.ConcurrencyStamp != edited.ConcurrencyStamp)
            {
                throw new QuestionConflictException((await LoadAsync(db, edited.Id, cancellationToken))!);
            }

            db.QuestionVersions.Add(question.ToVersion());
            question.Version++;
            question.UpdatedById = userId;
        }

        (question.GroupId, question.SubjectId, question.CategoryId, question.SubCategoryId) = place;
        question.Type = edited.Type;
        question.Level = edited.Level;
        question.Title = title;
        question.Stem = edited.Stem;
        question.Body = edited.Body;
        question.IsArchived = edited.IsArchived;
        question.UpdatedAt = now;
        question.ConcurrencyStamp = Guid.NewGuid();
        await SetTagsAsync(db, question, tags, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new QuestionConflictException(await GetAsync(edited.Id, cancellationToken));
        }

        return (await LoadAsync(db, question.Id, cancellationToken))!;
    }

    /// <summary>The saved states a question went through, newest first.</summary>
    public async Task<IReadOnlyList<QuestionHistoryEntry>> HistoryAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.QuestionVersions.AsNoTracking().Where(v => v.QuestionId == id).OrderByDescending(v => v.Number)
            .Select(v => new QuestionHistoryEntry(v.Number, v.Type, v.Stem, v.Body, v.CreatedAt,
                db.Users.Where(u => u.Id == v.CreatedById).Select(u => u.DisplayName).FirstOrDefault()))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Makes an earlier state the current one again (as a new save, so nothing is lost).</summary>
    public async Task<EditableQuestion> RestoreAsync(int id, int number, Guid stamp, string? userId, CancellationToken cancellationToken = default)
    {
        var current = await GetAsync(id, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var version = await db.QuestionVersions.AsNoTracking().FirstOrDefaultAsync(v => v.QuestionId == id && v.Number == number, cancellationToken)
            ?? throw new NotFoundException("That version does not exist.");
        return await SaveAsync(current with { Type = version.Type, Stem = version.Stem, Body = version.Body, ConcurrencyStamp = stamp }, userId, cancellationToken);
    }

    /// <summary>A copy of a question in the same place, titled as a copy; returns the copy.</summary>
    public async Task<EditableQuestion> DuplicateAsync(int id, string? userId, CancellationToken cancellationToken = default)
    {
        var original = await GetAsync(id, cancellationToken);
        return await SaveAsync(original with { Id = 0, Title = Copied(original.Title), IsArchived = false }, userId, cancellationToken);
    }

    private static string Copied(string title)
    {
        var copy = title + " (copy)";
        return copy.Length <= Limits.TitleLength ? copy : copy[..Limits.TitleLength];
    }

    /// <summary>Applies one change to the given questions; returns how many it changed.</summary>
    public async Task<int> BulkAsync(IReadOnlyCollection<int> ids, BulkChange change, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return 0;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var selected = db.Questions.Where(q => ids.Contains(q.Id));
        var now = Now();
        int changed;
        switch (change)
        {
            case MoveQuestions move:
                var (group, subject, category, sub) = await PlaceAsync(db, move.CategoryId, move.SubCategoryId, cancellationToken);
                changed = await selected.ExecuteUpdateAsync(u => u
                    .SetProperty(q => q.GroupId, group).SetProperty(q => q.SubjectId, subject)
                    .SetProperty(q => q.CategoryId, category).SetProperty(q => q.SubCategoryId, sub)
                    .SetProperty(q => q.UpdatedAt, now).SetProperty(q => q.ConcurrencyStamp, Guid.NewGuid()), cancellationToken);
                break;
            case SetLevel level:
                changed = await selected.ExecuteUpdateAsync(u => u.SetProperty(q => q.Level, level.Level)
                    .SetProperty(q => q.UpdatedAt, now).SetProperty(q => q.ConcurrencyStamp, Guid.NewGuid()), cancellationToken);
                break;
            case SetArchived archived:
                changed = await selected.ExecuteUpdateAsync(u => u.SetProperty(q => q.IsArchived, archived.Archived)
                    .SetProperty(q => q.UpdatedAt, now).SetProperty(q => q.ConcurrencyStamp, Guid.NewGuid()), cancellationToken);
                break;
            case AddTag add:
                var name = add.Tag.Trim();
                if (name.Length is 0 or > Limits.TagLength)
                {
                    throw new DomainValidationException("tag", $"A tag has 1 to {Limits.TagLength} characters.");
                }

                var tag = await db.Tags.FirstOrDefaultAsync(t => t.Name == name, cancellationToken);
                if (tag is null)
                {
                    db.Tags.Add(tag = new Tag { Name = name });
                    await db.SaveChangesAsync(cancellationToken);
                }

                var tagged = await db.QuestionTags.Where(t => t.TagId == tag.Id && ids.Contains(t.QuestionId)).Select(t => t.QuestionId).ToListAsync(cancellationToken);
                var existing = await selected.Select(q => q.Id).ToListAsync(cancellationToken);
                var toTag = existing.Except(tagged).ToList();
                db.QuestionTags.AddRange(toTag.Select(id => new QuestionTag { QuestionId = id, TagId = tag.Id }));
                await db.SaveChangesAsync(cancellationToken);
                changed = toTag.Count;
                break;
            case RemoveTag remove:
                changed = await db.QuestionTags.Where(t => t.Tag!.Name == remove.Tag.Trim() && ids.Contains(t.QuestionId)).ExecuteDeleteAsync(cancellationToken);
                break;
            case DeleteQuestions:
                if (await db.QuizSlots.CountAsync(s => s.QuestionId != null && ids.Contains(s.QuestionId.Value), cancellationToken) is var used and > 0)
                {
                    throw new DomainValidationException("questions", $"Quizzes use {used} of these questions, so they cannot be deleted; archive them instead.");
                }

                changed = await selected.ExecuteDeleteAsync(cancellationToken);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change));
        }

        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    /// <summary>Categories and subcategories whose path contains every word of <paramref name="text"/>, for pickers.</summary>
    public async Task<IReadOnlyList<BankPlace>> FindPlacesAsync(string? text, int max = 20, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var places = db.Categories.AsNoTracking()
            .Select(c => new { CategoryId = c.Id, SubCategoryId = (int?)null, Path = c.Group!.Name + " / " + c.Subject!.Name + " / " + c.Name })
            .Concat(db.SubCategories.AsNoTracking().Select(s => new
            {
                s.CategoryId,
                SubCategoryId = (int?)s.Id,
                Path = s.Category!.Subject!.Group!.Name + " / " + s.Category.Subject.Name + " / " + s.Category.Name + " / " + s.Name,
            }));
        foreach (var word in (text ?? "").Split([' ', '/'], StringSplitOptions.RemoveEmptyEntries))
        {
            var lowered = word.ToLowerInvariant();
            places = places.Where(p => p.Path.ToLower().Contains(lowered));
        }

        var found = await places.OrderBy(p => p.Path).Take(max).ToListAsync(cancellationToken);
        return found.Select(p => new BankPlace(p.CategoryId, p.SubCategoryId, p.Path)).ToList();
    }

    /// <summary>One place by its ids, or null when it does not exist (or the subcategory is not in the category).</summary>
    public async Task<BankPlace?> FindPlaceAsync(int categoryId, int? subCategoryId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var path = subCategoryId is { } sub
            ? await db.SubCategories.AsNoTracking().Where(s => s.Id == sub && s.CategoryId == categoryId)
                .Select(s => s.Category!.Subject!.Group!.Name + " / " + s.Category.Subject.Name + " / " + s.Category.Name + " / " + s.Name).FirstOrDefaultAsync(cancellationToken)
            : await db.Categories.AsNoTracking().Where(c => c.Id == categoryId)
                .Select(c => c.Group!.Name + " / " + c.Subject!.Name + " / " + c.Name).FirstOrDefaultAsync(cancellationToken);
        return path is null ? null : new BankPlace(categoryId, subCategoryId, path);
    }

    /// <summary>The question after this one in its category (by id, wrapping around), for "save and next".</summary>
    public async Task<int?> NextAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var category = await db.Questions.Where(q => q.Id == id).Select(q => (int?)q.CategoryId).FirstOrDefaultAsync(cancellationToken);
        if (category is null)
        {
            return null;
        }

        var inCategory = db.Questions.Where(q => q.CategoryId == category && !q.IsArchived && q.Id != id);
        return await inCategory.Where(q => q.Id > id).OrderBy(q => q.Id).Select(q => (int?)q.Id).FirstOrDefaultAsync(cancellationToken)
            ?? await inCategory.OrderBy(q => q.Id).Select(q => (int?)q.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Tags in use, for pickers.</summary>
    public async Task<IReadOnlyList<string>> TagsAsync(string? search, int max = 20, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var tags = db.Tags.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var lowered = search.Trim().ToLowerInvariant();
            tags = tags.Where(t => t.Name.ToLower().Contains(lowered));
        }

        return await tags.OrderBy(t => t.Name).Select(t => t.Name).Take(max).ToListAsync(cancellationToken);
    }

    /// <summary>The staff who wrote questions, for the author filter.</summary>
    public async Task<IReadOnlyList<(string Id, string Name)>> AuthorsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var authors = await db.Users.AsNoTracking()
            .Where(u => db.Questions.Any(q => q.CreatedById == u.Id))
            .OrderBy(u => u.DisplayName).Select(u => new { u.Id, u.DisplayName, u.Email }).ToListAsync(cancellationToken);
        return authors.Select(a => (a.Id, a.DisplayName.Length > 0 ? a.DisplayName : a.Email ?? a.Id)).ToList();
    }

    /// <summary>Creates a node under its parent (none for a group); names are unique under one parent.</summary>
    public async Task<int> CreateNodeAsync(BankNodeKind kind, int? parentId, string name, CancellationToken cancellationToken = default)
    {
        var trimmed = NodeName(name);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = Now();
        switch (kind)
        {
            case BankNodeKind.Group:
                await UniqueAsync(db.Groups.AnyAsync(g => g.Name == trimmed, cancellationToken));
                var group = new Group { Name = trimmed, CreatedAt = now };
                db.Groups.Add(group);
                await db.SaveChangesAsync(cancellationToken);
                return group.Id;
            case BankNodeKind.Subject:
                var groupId = await db.Groups.Where(g => g.Id == parentId).Select(g => (int?)g.Id).FirstOrDefaultAsync(cancellationToken) ?? throw Missing();
                await UniqueAsync(db.Subjects.AnyAsync(s => s.GroupId == groupId && s.Name == trimmed, cancellationToken));
                var subject = new Subject { Name = trimmed, GroupId = groupId, CreatedAt = now };
                db.Subjects.Add(subject);
                await db.SaveChangesAsync(cancellationToken);
                return subject.Id;
            case BankNodeKind.Category:
                var parentSubject = await db.Subjects.Where(s => s.Id == parentId).Select(s => new { s.Id, s.GroupId }).FirstOrDefaultAsync(cancellationToken) ?? throw Missing();
                await UniqueAsync(db.Categories.AnyAsync(c => c.SubjectId == parentSubject.Id && c.Name == trimmed, cancellationToken));
                var category = new Category { Name = trimmed, SubjectId = parentSubject.Id, GroupId = parentSubject.GroupId, CreatedAt = now };
                db.Categories.Add(category);
                await db.SaveChangesAsync(cancellationToken);
                return category.Id;
            default:
                var parentCategory = await db.Categories.Where(c => c.Id == parentId).Select(c => new { c.Id, c.SubjectId, c.GroupId }).FirstOrDefaultAsync(cancellationToken) ?? throw Missing();
                await UniqueAsync(db.SubCategories.AnyAsync(s => s.CategoryId == parentCategory.Id && s.Name == trimmed, cancellationToken));
                var sub = new SubCategory { Name = trimmed, CategoryId = parentCategory.Id, SubjectId = parentCategory.SubjectId, GroupId = parentCategory.GroupId, CreatedAt = now };
                db.SubCategories.Add(sub);
                await db.SaveChangesAsync(cancellationToken);
                return sub.Id;
        }
    }

    public async Task RenameNodeAsync(BankNodeKind kind, int id, string name, CancellationToken cancellationToken = default)
    {
        var trimmed = NodeName(name);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        switch (kind)
        {
            case BankNodeKind.Group:
                await UniqueAsync(db.Groups.AnyAsync(g => g.Id != id && g.Name == trimmed, cancellationToken));
                await Changed(db.Groups.Where(g => g.Id == id).ExecuteUpdateAsync(u => u.SetProperty(g => g.Name, trimmed), cancellationToken));
                break;
            case BankNodeKind.Subject:
                var groupId = await db.Subjects.Where(s => s.Id == id).Select(s => (int?)s.GroupId).FirstOrDefaultAsync(cancellationToken) ?? throw Missing();
                await UniqueAsync(db.Subjects.AnyAsync(s => s.Id != id && s.GroupId == groupId && s.Name == trimmed, cancellationToken));
                await Changed(db.Subjects.Where(s => s.Id == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.Name, trimmed), cancellationToken));
                break;
            case BankNodeKind.Category:
                var subjectId = await db.Categories.Where(c => c.Id == id).Select(c => (int?)c.SubjectId).FirstOrDefaultAsync(cancellationToken) ?? throw Missing();
                await UniqueAsync(db.Categories.AnyAsync(c => c.Id != id && c.SubjectId == subjectId && c.Name == trimmed, cancellationToken));
                await Changed(db.Categories.Where(c => c.Id == id).ExecuteUpdateAsync(u => u.SetProperty(c => c.Name, trimmed), cancellationToken));
                break;
            default:
                var categoryId = await db.SubCategories.Where(s => s.Id == id).Select(s => (int?)s.CategoryId).FirstOrDefaultAsync(cancellationToken) ?? throw Missing();
                await UniqueAsync(db.SubCategories.AnyAsync(s => s.Id != id && s.CategoryId == categoryId && s.Name == trimmed, cancellationToken));
                await Changed(db.SubCategories.Where(s => s.Id == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.Name, trimmed), cancellationToken));
                break;
        }
    }

    /// <summary>Moves a category to another subject, or a subcategory to another category, with everything under it.</summary>
    public async Task MoveNodeAsync(BankNodeKind kind, int id, int newParentId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (kind == BankNodeKind.Category)
        {
            var category = await db.Categories.FirstOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw Missing();
            var subject = await db.Subjects.AsNoTracking().FirstOrDefaultAsync(s => s.Id == newParentId, cancellationToken)
                ?? throw new DomainValidationException("parent", "Choose the subject to move it to.");
            await UniqueAsync(db.Categories.AnyAsync(c => c.Id != id && c.SubjectId == subject.Id && c.Name == category.Name, cancellationToken));
            await db.Categories.Where(c => c.Id == id).ExecuteUpdateAsync(u => u.SetProperty(c => c.SubjectId, subject.Id).SetProperty(c => c.GroupId, subject.GroupId), cancellationToken);
            await db.SubCategories.Where(s => s.CategoryId == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.SubjectId, subject.Id).SetProperty(s => s.GroupId, subject.GroupId), cancellationToken);
            await db.Questions.Where(q => q.CategoryId == id).ExecuteUpdateAsync(u => u.SetProperty(q => q.SubjectId, subject.Id).SetProperty(q => q.GroupId, subject.GroupId), cancellationToken);
        }
        else if (kind == BankNodeKind.SubCategory)
        {
            var sub = await db.SubCategories.FirstOrDefaultAsync(s => s.Id == id, cancellationToken) ?? throw Missing();
            var category = await db.Categories.AsNoTracking().FirstOrDefaultAsync(c => c.Id == newParentId, cancellationToken)
                ?? throw new DomainValidationException("parent", "Choose the category to move it to.");
            await UniqueAsync(db.SubCategories.AnyAsync(s => s.Id != id && s.CategoryId == category.Id && s.Name == sub.Name, cancellationToken));
            await db.SubCategories.Where(s => s.Id == id).ExecuteUpdateAsync(u => u
                .SetProperty(s => s.CategoryId, category.Id).SetProperty(s => s.SubjectId, category.SubjectId).SetProperty(s => s.GroupId, category.GroupId), cancellationToken);
            await db.Questions.Where(q => q.SubCategoryId == id).ExecuteUpdateAsync(u => u
                .SetProperty(q => q.CategoryId, category.Id).SetProperty(q => q.SubjectId, category.SubjectId).SetProperty(q => q.GroupId, category.GroupId), cancellationToken);
        }
        else
        {
            throw new DomainValidationException("kind", "Only categories and subcategories move; rename groups and subjects instead.");
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>What deleting the node would take with it, for the confirmation, and how many quizzes stand in the way.</summary>
    public async Task<NodeImpact> ImpactAsync(BankNodeKind kind, int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var quizzes = await QuizzesUsingAsync(db, kind, id, cancellationToken);
        var questions = await QuestionsUnder(db, kind, id).CountAsync(cancellationToken);
        return kind switch
        {
            BankNodeKind.Group => new NodeImpact(
                await db.Subjects.CountAsync(s => s.GroupId == id, cancellationToken), await db.Categories.CountAsync(c => c.GroupId == id, cancellationToken),
                await db.SubCategories.CountAsync(s => s.GroupId == id, cancellationToken), questions, quizzes),
            BankNodeKind.Subject => new NodeImpact(0, await db.Categories.CountAsync(c => c.SubjectId == id, cancellationToken),
                await db.SubCategories.CountAsync(s => s.SubjectId == id, cancellationToken), questions, quizzes),
            BankNodeKind.Category => new NodeImpact(0, 0, await db.SubCategories.CountAsync(s => s.CategoryId == id, cancellationToken),
                questions, quizzes),
            _ => new NodeImpact(0, 0, 0, questions, quizzes),
        };
    }

    /// <summary>The questions under a node of the hierarchy, at any depth.</summary>
    private static IQueryable<Question> QuestionsUnder(EduLoopDbContext db, BankNodeKind kind, int id) => kind switch
    {
        BankNodeKind.Group => db.Questions.Where(q => q.GroupId == id),
        BankNodeKind.Subject => db.Questions.Where(q => q.SubjectId == id),
        BankNodeKind.Category => db.Questions.Where(q => q.CategoryId == id),
        _ => db.Questions.Where(q => q.SubCategoryId == id),
    };

    /// <summary>How many quizzes use a question under the node, as a fixed question or as a place they draw from.</summary>
    private static Task<int> QuizzesUsingAsync(EduLoopDbContext db, BankNodeKind kind, int id, CancellationToken cancellationToken)
    {
        var questions = QuestionsUnder(db, kind, id);
        var categories = kind switch
        {
            BankNodeKind.Group => db.Categories.Where(c => c.GroupId == id).Select(c => c.Id),
            BankNodeKind.Subject => db.Categories.Where(c => c.SubjectId == id).Select(c => c.Id),
            BankNodeKind.Category => db.Categories.Where(c => c.Id == id).Select(c => c.Id),
            _ => db.Categories.Where(c => false).Select(c => c.Id),
        };
        var subCategories = kind switch
        {
            BankNodeKind.Group => db.SubCategories.Where(s => s.GroupId == id).Select(s => s.Id),
            BankNodeKind.Subject => db.SubCategories.Where(s => s.SubjectId == id).Select(s => s.Id),
            BankNodeKind.Category => db.SubCategories.Where(s => s.CategoryId == id).Select(s => s.Id),
            _ => db.SubCategories.Where(s => s.Id == id).Select(s => s.Id),
        };
        return db.QuizSlots
            .Where(s => (s.QuestionId != null && questions.Any(q => q.Id == s.QuestionId))
                || (s.DrawCategoryId != null && categories.Contains(s.DrawCategoryId.Value))
                || (s.DrawSubCategoryId != null && subCategories.Contains(s.DrawSubCategoryId.Value)))
            .Select(s => s.QuizId).Distinct().CountAsync(cancellationToken);
    }

    /// <summary>
    /// Archives (or brings back) every question under a node: out of the lists and new quizzes, kept
    /// for everything that already uses them. Returns how many changed.
    /// </summary>
    public async Task<int> ArchiveNodeAsync(BankNodeKind kind, int id, bool archived, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var questions = QuestionsUnder(db, kind, id);
        var now = Now();
        return await questions.Where(q => q.IsArchived != archived).ExecuteUpdateAsync(u => u
            .SetProperty(q => q.IsArchived, archived).SetProperty(q => q.UpdatedAt, now).SetProperty(q => q.ConcurrencyStamp, Guid.NewGuid()), cancellationToken);
    }

    /// <summary>
    /// Deletes a node with everything under it, questions included — unless a quiz uses any of its
    /// questions: then it can only be archived, so attempts and results keep what they showed.
    /// </summary>
    public async Task DeleteNodeAsync(BankNodeKind kind, int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await QuizzesUsingAsync(db, kind, id, cancellationToken) is var quizzes and > 0)
        {
            throw new DomainValidationException("node", $"{quizzes} quiz(zes) use questions from here, so it cannot be deleted; archive its questions instead.");
        }

        // The questions first (they hold the node's keys), then what is under the node, then the node.
        await QuestionsUnder(db, kind, id).ExecuteDeleteAsync(cancellationToken);
        var deleted = kind switch
        {
            BankNodeKind.Group => await DeleteGroupAsync(db, id, cancellationToken),
            BankNodeKind.Subject => await db.Subjects.Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken),
            BankNodeKind.Category => await db.Categories.Where(c => c.Id == id).ExecuteDeleteAsync(cancellationToken),
            _ => await db.SubCategories.Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken),
        };
        if (deleted == 0)
        {
            throw Missing();
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<int> DeleteGroupAsync(EduLoopDbContext db, int id, CancellationToken cancellationToken)
    {
        await db.SubCategories.Where(s => s.GroupId == id).ExecuteDeleteAsync(cancellationToken);
        await db.Categories.Where(c => c.GroupId == id).ExecuteDeleteAsync(cancellationToken);
        return await db.Groups.Where(g => g.Id == id).ExecuteDeleteAsync(cancellationToken);
    }

    private static string NodeName(string name)
    {
        var trimmed = (name ?? "").Trim();
        return trimmed.Length switch
        {
            0 => throw new DomainValidationException("name", "Give it a name."),
            > Limits.NameLength => throw new DomainValidationException("name", $"A name may have at most {Limits.NameLength} characters."),
            _ => trimmed,
        };
    }

    private static async Task UniqueAsync(Task<bool> exists)
    {
        if (await exists)
        {
            throw new DomainValidationException("name", "That name is already used here.");
        }
    }

    private static async Task Changed(Task<int> rows)
    {
        if (await rows == 0)
        {
            throw Missing();
        }
    }

    private static NotFoundException Missing() => new("It was deleted by someone else.");

    /// <summary>A category or subcategory's full place, checked to exist and to belong together.</summary>
    private static async Task<(int Group, int Subject, int Category, int? SubCategory)> PlaceAsync(
        EduLoopDbContext db, int categoryId, int? subCategoryId, CancellationToken cancellationToken)
    {
        var category = await db.Categories.AsNoTracking().Where(c => c.Id == categoryId).Select(c => new { c.GroupId, c.SubjectId }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new DomainValidationException("place", "Choose a category: the one given does not exist.");
        if (subCategoryId is { } sub && !await db.SubCategories.AnyAsync(s => s.Id == sub && s.CategoryId == categoryId, cancellationToken))
        {
            throw new DomainValidationException("place", "The subcategory does not belong to the category.");
        }

        return (category.GroupId, category.SubjectId, categoryId, subCategoryId);
    }

    private static async Task SetTagsAsync(EduLoopDbContext db, Question question, List<string> names, CancellationToken cancellationToken)
    {
        var known = await db.Tags.Where(t => names.Contains(t.Name)).ToListAsync(cancellationToken);
        foreach (var name in names.Where(n => known.All(t => t.Name != n)))
        {
            var tag = new Tag { Name = name };
            db.Tags.Add(tag);
            known.Add(tag);
        }

        question.Tags.RemoveAll(t => known.All(k => k.Id != t.TagId || k.Id == 0));
        foreach (var tag in known.Where(k => k.Id == 0 || question.Tags.All(t => t.TagId != k.Id)))
        {
            question.Tags.Add(new QuestionTag { Tag = tag });
        }
    }

    private DateTime Now() => clock.UtcNowToSecond();
}
