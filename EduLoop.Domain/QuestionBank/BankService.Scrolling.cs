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
    /// the view lists. A window next to one read before continues from its edge's key; for a window far
    /// from every known key, the key above it is looked up through the view's index (see SeekAsync), or
    /// where that does not apply it is read from the nearer end of the list, as the pager reads a deep page.
    /// See docs/decisions/0007-bank-as-one-list.md.
    /// </summary>
    public Task<BankWindow> WindowAsync(BankScroll scroll, int start, int count, CancellationToken cancellationToken = default) =>
        WindowAsync(scroll, start, count, compiled: true, cancellationToken);

    /// <param name="compiled">False runs the same keyset query through EF's ordinary pipeline (for the benchmark that shows what compiling saves).</param>
    internal async Task<BankWindow> WindowAsync(BankScroll scroll, int start, int count, bool compiled, CancellationToken cancellationToken)
    {
        var view = scroll.View;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var total = (await CountAsync(db, view, cancellationToken)).Count;
        start = Math.Clamp(start, 0, total);
        count = Math.Clamp(count, 0, total - start);
        if (count == 0)
        {
            return new BankWindow(total, []);
        }

        var plan = scroll.Plan(start, count, total);
        if (plan.Skip > SeekFrom && start > 0 && await SeekAsync(db, view, start - 1, total, cancellationToken) is { } before)
        {
            // A jump far from every known key: the key just above the window, found through the index alone.
            plan = new BankReadPlan(before, Backwards: false, Skip: 0);
        }

        // Newest first and recently edited list descending; reading backwards from a key turns it round.
        var descending = (view.Sort is BankSort.Newest or BankSort.RecentlyEdited) != plan.Backwards;
        List<BankRow> rows;
        if (view.Sort == BankSort.RecentlyEdited || QuestionSearchSql.MatchQuery(view.Text) is not null || view.NeedsReview)
        {
            rows = await KeyedByHand(db, view, plan, descending).Skip(plan.Skip).Take(count).Select(ToRow(db)).ToListAsync(cancellationToken);
        }
        else
        {
            var (node, tag, author) = (BankAddress.NodeOf(view), view.Tag?.Trim(), view.AuthorId);
            var page = compiled ? (descending ? NewerFirst : OlderFirst).For(db) : (descending ? NewerFirstUncompiled : OlderFirstUncompiled);
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

    /// <summary>A read that would skip more rows than this looks for its key through the index first (tests lower it).</summary>
    internal int SeekFrom { get; set; } = 2_000;

    /// <summary>The most archived questions <see cref="SeekAsync"/> steps over in memory; with more it leaves the read as it is.</summary>
    private const int MaxArchivedToStepOver = 10_000;

    /// <summary>
    /// The key of the row the view lists at <paramref name="index"/>, found without reading a million
    /// table rows: skipping rows in the view's (filter, CreatedAt) index alone costs little (it holds the
    /// key), but the archive flag is not in it, so the skip counts archived questions too; the few
    /// archived ones of the view are stepped over in memory until the row found has exactly
    /// <paramref name="index"/> listed rows before it. Null where this does not apply: an order other than
    /// creation, a text search, a tag (no such index), the archive itself, or very many archived questions.
    /// </summary>
    private async Task<BankRowKey?> SeekAsync(EduLoopDbContext db, BankQuery view, int index, int total, CancellationToken cancellationToken)
    {
        if (view.Archived || view.Sort == BankSort.RecentlyEdited || QuestionSearchSql.MatchQuery(view.Text) is not null || !string.IsNullOrWhiteSpace(view.Tag) || view.NeedsReview
            || await ArchivedAsync(db, cancellationToken) is not { } archived)
        {
            return null;
        }

        // From the nearer end of the list, as the pager reads a deep page.
        var fromStart = index <= total - 1 - index;
        var target = fromStart ? index : total - 1 - index;
        var descending = (view.Sort == BankSort.Newest) == fromStart;
        var order = Comparer<BankRowKey>.Create((a, b) => (descending ? -1 : 1) * (a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Id.CompareTo(b.Id)));
        var skipped = archived.Where(a => a.IsIn(view)).Select(a => a.Key).Order(order).ToList();
        var all = Filter(db, view);
        var ordered = descending ? all.OrderByDescending(q => q.CreatedAt).ThenByDescending(q => q.Id) : all.OrderBy(q => q.CreatedAt).ThenBy(q => q.Id);
        var guess = target;
        for (var step = 0; step <= skipped.Count && step < 50; step++)
        {
            var found = await ordered.Skip(guess).Select(q => new BankRowKey(q.CreatedAt, q.Id)).FirstOrDefaultAsync(cancellationToken);
            if (found.Id == 0)
            {
                return null;
            }

            // Archived rows at or before the one found: it is the target when the rest before it are exactly target.
            var at = skipped.BinarySearch(found, order);
            var upTo = at >= 0 ? at + 1 : ~at;
            if (at < 0 && guess - upTo == target)
            {
                return found;
            }

            guess = at >= 0 ? guess + 1 : target + upTo;
        }

        return null;
    }

    /// <summary>Every archived question's key and filter columns (cached until the bank changes), or null when there are too many to hold.</summary>
    private async Task<List<ArchivedRow>?> ArchivedAsync(EduLoopDbContext db, CancellationToken cancellationToken)
    {
        var rows = await counts.GetOrLoadAsync("bank-archived", async () => await db.Questions.AsNoTracking().Where(q => q.IsArchived)
            .Select(q => new ArchivedRow(new BankRowKey(q.CreatedAt, q.Id), q.GroupId, q.SubjectId, q.CategoryId, q.SubCategoryId, q.Level, q.Type, q.CreatedById))
            .Take(MaxArchivedToStepOver + 1).ToListAsync(cancellationToken));
        return rows.Count > MaxArchivedToStepOver ? null : rows;
    }

    /// <summary>An archived question as <see cref="Filter"/> sees it (except its tags and text).</summary>
    private sealed record ArchivedRow(BankRowKey Key, int GroupId, int SubjectId, int CategoryId, int? SubCategoryId, QuestionLevel Level, QuestionType Type, string? AuthorId)
    {
        public bool IsIn(BankQuery view) =>
            (view.SubCategoryId is { } sub ? SubCategoryId == sub
                : view.CategoryId is { } category ? CategoryId == category
                : view.SubjectId is { } subject ? SubjectId == subject
                : view.GroupId is not { } group || GroupId == group)
            && (view.Level is not { } level || Level == level) && (view.Type is not { } type || Type == type)
            && (string.IsNullOrEmpty(view.AuthorId) || AuthorId == view.AuthorId)
            && (view.CreatedFrom is not { } from || Key.Time >= from) && (view.CreatedTo is not { } to || Key.Time < to);
    }

    /// <summary>
    /// The orders the compiled page does not cover: recently edited (by the time of the last edit), and
    /// a text search or the questions that need review (by id, as the pager lists matches), with the
    /// keyset condition on their own keys.
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
    private static readonly CompiledPerProvider<WindowQuery> NewerFirst = new(() => EF.CompileAsyncQuery(KeysetPage(descending: true)).Invoke);
    private static readonly CompiledPerProvider<WindowQuery> OlderFirst = new(() => EF.CompileAsyncQuery(KeysetPage(descending: false)).Invoke);

    private static readonly WindowQuery NewerFirstUncompiled = Uncompiled(KeysetPage(descending: true));
    private static readonly WindowQuery OlderFirstUncompiled = Uncompiled(KeysetPage(descending: false));

    private static WindowQuery Uncompiled(Expression<Func<EduLoopDbContext, int?, int?, int?, int?, QuestionLevel?, QuestionType?, string?, string?, DateTime?, DateTime?, bool, DateTime?, int, int, int, IQueryable<BankRow>>> page)
    {
        var build = page.Compile();
        return (db, g, s, c, sc, level, type, tag, author, from, to, archived, time, id, skip, take) =>
            build(db, g, s, c, sc, level, type, tag, author, from, to, archived, time, id, skip, take).AsAsyncEnumerable();
    }
}
