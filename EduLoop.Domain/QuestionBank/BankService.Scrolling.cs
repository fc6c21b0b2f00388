using System.Linq.Expressions;
using EduLoop.Domain.Data;
using EduLoop.Domain.Querying;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.QuestionBank;

public sealed partial class BankService
{
    /// <summary>
    /// Rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> of the scroll's
    /// view, in the order and with the filters the pager uses (the same rows as its pages), and how many
    /// the view lists. A window next to one read before continues from its edge's key; a window far
    /// from every known key is read from the nearer end of the list, as the pager reads a deep page.
    /// </summary>
    public Task<BankWindow> WindowAsync(BankScroll scroll, int start, int count, CancellationToken cancellationToken = default) =>
        WindowAsync(scroll, start, count, compiled: true, cancellationToken);

    /// <param name="compiled">False runs the same keyset query through EF's ordinary pipeline (for the benchmark that shows what compiling saves).</param>
    internal async Task<BankWindow> WindowAsync(BankScroll scroll, int start, int count, bool compiled, CancellationToken cancellationToken)
    {
        var view = scroll.View;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var total = await ListCountAsync(db, view, cancellationToken);
        start = Math.Clamp(start, 0, total);
        count = Math.Clamp(count, 0, total - start);
        if (count == 0)
        {
            return new BankWindow(total, []);
        }

        var plan = scroll.Plan(start, count, total);
        // Newest first and recently edited list descending; reading backwards from a key turns it round.
        var descending = (view.Sort is BankSort.Newest or BankSort.RecentlyEdited) != plan.Backwards;
        List<BankRow> rows;
        if (view.Sort == BankSort.RecentlyEdited || QuestionSearchSql.MatchQuery(view.Text) is not null)
        {
            rows = await KeyedByHand(db, view, plan, descending).Skip(plan.Skip).Take(count).Select(ToRow(db)).ToListAsync(cancellationToken);
        }
        else
        {
            var (node, tag, author) = (BankAddress.NodeOf(view), view.Tag?.Trim(), view.AuthorId);
            var page = compiled ? (descending ? NewerFirst : OlderFirst) : (descending ? NewerFirstUncompiled : OlderFirstUncompiled);
            rows = await page(db,
                    node is (BankNodeKind.Group, var g) ? g : null, node is (BankNodeKind.Subject, var s) ? s : null,
                    node is (BankNodeKind.Category, var c) ? c : null, node is (BankNodeKind.SubCategory, var sc) ? sc : null,
                    view.Level, view.Type, string.IsNullOrEmpty(tag) ? null : tag, string.IsNullOrEmpty(author) ? null : author,
                    view.CreatedFrom, view.CreatedTo, view.Archived, plan.From?.Time, plan.From?.Id ?? 0, plan.Skip, count)
                .ToListAsync(cancellationToken);
        }

        if (plan.Backwards)
        {
            rows.Reverse();
        }

        scroll.Remember(start, rows);
        return new BankWindow(total, rows);
    }

    /// <summary>
    /// The orders the compiled page does not cover: recently edited (by the time of the last edit) and
    /// a text search (by id, as the pager lists matches), with the keyset condition on their own keys.
    /// </summary>
    private static IQueryable<Question> KeyedByHand(EduLoopDbContext db, BankQuery view, BankReadPlan plan, bool descending)
    {
        var questions = Listed(db, view);
        if (view.Sort == BankSort.RecentlyEdited)
        {
            if (plan.From is { } key)
            {
                questions = descending
                    ? questions.Where(q => q.UpdatedAt <= key.Time && (q.UpdatedAt < key.Time || q.Id < key.Id))
                    : questions.Where(q => q.UpdatedAt >= key.Time && (q.UpdatedAt > key.Time || q.Id > key.Id));
            }

            return descending
                ? questions.OrderByDescending(q => q.UpdatedAt).ThenByDescending(q => q.Id)
                : questions.OrderBy(q => q.UpdatedAt).ThenBy(q => q.Id);
        }

        if (plan.From is { } after)
        {
            questions = descending ? questions.Where(q => q.Id < after.Id) : questions.Where(q => q.Id > after.Id);
        }

        return descending ? questions.OrderByDescending(q => q.Id) : questions.OrderBy(q => q.Id);
    }

    /// <summary>
    /// One window in creation order, newest first (<paramref name="descending"/>) or oldest first, after
    /// the key (time, id) when one is given: the filters the bank browser offers except the text search,
    /// each left out of the SQL when its parameter is null (EF Core writes one statement per combination
    /// of null parameters), so SQLite walks the same (filter, CreatedAt) index as the pager and starts at the key.
    /// </summary>
    private static Expression<Func<EduLoopDbContext, int?, int?, int?, int?, QuestionLevel?, QuestionType?, string?, string?, DateTime?, DateTime?, bool, DateTime?, int, int, int, IQueryable<BankRow>>> KeysetPage(bool descending) =>
        descending
            ? (db, groupId, subjectId, categoryId, subCategoryId, level, type, tag, authorId, from, to, archived, keyTime, keyId, skip, take) => db.Questions.AsNoTracking()
                .Where(q => (groupId == null || q.GroupId == groupId) && (subjectId == null || q.SubjectId == subjectId)
                    && (categoryId == null || q.CategoryId == categoryId) && (subCategoryId == null || q.SubCategoryId == subCategoryId)
                    && (level == null || q.Level == level) && (type == null || q.Type == type)
                    && (tag == null || q.Tags.Any(t => t.Tag!.Name == tag)) && (authorId == null || q.CreatedById == authorId)
                    && (from == null || q.CreatedAt >= from) && (to == null || q.CreatedAt < to) && q.IsArchived == archived)
                .Where(q => keyTime == null || (q.CreatedAt <= keyTime && (q.CreatedAt < keyTime || q.Id < keyId)))
                .OrderByDescending(q => q.CreatedAt).ThenByDescending(q => q.Id)
                .Skip(skip).Take(take)
                .Select(q => new BankRow(
                    q.Id, q.Title, q.Type, q.Level,
                    q.Category!.Group!.Name + " / " + q.Category.Subject!.Name + " / " + q.Category.Name + (q.SubCategory == null ? "" : " / " + q.SubCategory.Name),
                    q.CreatedAt, q.UpdatedAt,
                    db.Users.Where(u => u.Id == q.CreatedById).Select(u => u.DisplayName).FirstOrDefault(),
                    q.Version, q.IsArchived))
            : (db, groupId, subjectId, categoryId, subCategoryId, level, type, tag, authorId, from, to, archived, keyTime, keyId, skip, take) => db.Questions.AsNoTracking()
                .Where(q => (groupId == null || q.GroupId == groupId) && (subjectId == null || q.SubjectId == subjectId)
                    && (categoryId == null || q.CategoryId == categoryId) && (subCategoryId == null || q.SubCategoryId == subCategoryId)
                    && (level == null || q.Level == level) && (type == null || q.Type == type)
                    && (tag == null || q.Tags.Any(t => t.Tag!.Name == tag)) && (authorId == null || q.CreatedById == authorId)
                    && (from == null || q.CreatedAt >= from) && (to == null || q.CreatedAt < to) && q.IsArchived == archived)
                .Where(q => keyTime == null || (q.CreatedAt >= keyTime && (q.CreatedAt > keyTime || q.Id > keyId)))
                .OrderBy(q => q.CreatedAt).ThenBy(q => q.Id)
                .Skip(skip).Take(take)
                .Select(q => new BankRow(
                    q.Id, q.Title, q.Type, q.Level,
                    q.Category!.Group!.Name + " / " + q.Category.Subject!.Name + " / " + q.Category.Name + (q.SubCategory == null ? "" : " / " + q.SubCategory.Name),
                    q.CreatedAt, q.UpdatedAt,
                    db.Users.Where(u => u.Id == q.CreatedById).Select(u => u.DisplayName).FirstOrDefault(),
                    q.Version, q.IsArchived));

    private delegate IAsyncEnumerable<BankRow> WindowQuery(
        EduLoopDbContext db, int? groupId, int? subjectId, int? categoryId, int? subCategoryId, QuestionLevel? level, QuestionType? type,
        string? tag, string? authorId, DateTime? from, DateTime? to, bool archived, DateTime? keyTime, int keyId, int skip, int take);

    // The hot read of a scrolled list: translated once, not looked up in EF's query cache on every window.
    private static readonly WindowQuery NewerFirst = EF.CompileAsyncQuery(KeysetPage(descending: true)).Invoke;
    private static readonly WindowQuery OlderFirst = EF.CompileAsyncQuery(KeysetPage(descending: false)).Invoke;

    private static readonly WindowQuery NewerFirstUncompiled = Uncompiled(KeysetPage(descending: true));
    private static readonly WindowQuery OlderFirstUncompiled = Uncompiled(KeysetPage(descending: false));

    private static WindowQuery Uncompiled(Expression<Func<EduLoopDbContext, int?, int?, int?, int?, QuestionLevel?, QuestionType?, string?, string?, DateTime?, DateTime?, bool, DateTime?, int, int, int, IQueryable<BankRow>>> page)
    {
        var build = page.Compile();
        return (db, g, s, c, sc, level, type, tag, author, from, to, archived, time, id, skip, take) =>
            build(db, g, s, c, sc, level, type, tag, author, from, to, archived, time, id, skip, take).AsAsyncEnumerable();
    }
}
