using EduLoop.Domain.Data;
using EduLoop.Domain.Querying;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.QuestionBank;

/// <summary>The questions of the bank as the compatible API reads and writes them.</summary>
public sealed class QuestionService(IDbContextFactory<EduLoopDbContext> contextFactory, CountCache counts, TimeProvider clock)
{
    public const int MaxUploadRows = 10_000;

    private static readonly SortMap<Question> _sort = new SortMap<Question>()
        .Add("created_at", q => q.CreatedAt, idFollows: true)
        .Add("group__name", q => q.Category!.Group!.Name)
        .Add("subject__name", q => q.Category!.Subject!.Name)
        .Add("category__name", q => q.Category!.Name)
        .AddMaybeMissing("subcategory__name", q => q.SubCategory!.Name);

    private static readonly SortKey[] _newestFirst = [new("created_at", true)];

    public async Task<PageResult<QuestionRecord>> ListAsync(
        QuestionFilter filter, ListOptions options, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var questions = Filter(db.Questions.AsNoTracking(), filter);
        // As the original's search: every term must be in one of the hierarchy's four names, the
        // question's text or the rest of what it holds (options, tags, even key names), its type, its
        // level or its id. The names are matched in the small tables first, then the questions under
        // them by index; the text is matched in the questions' own columns.
        foreach (var term in options.SearchTerms)
        {
            var lowered = term.ToLowerInvariant();
            var groups = await db.Groups.Where(g => g.Name.ToLower().Contains(lowered)).Select(g => g.Id).ToListAsync(cancellationToken);
            var subjects = await db.Subjects.Where(s => s.Name.ToLower().Contains(lowered)).Select(s => s.Id).ToListAsync(cancellationToken);
            var categories = await db.Categories.Where(c => c.Name.ToLower().Contains(lowered)).Select(c => c.Id).ToListAsync(cancellationToken);
            var subCategories = await db.SubCategories.Where(s => s.Name.ToLower().Contains(lowered)).Select(s => (int?)s.Id).ToListAsync(cancellationToken);
            var types = Enum.GetValues<QuestionType>().Where(t => t.ToName().Contains(lowered, StringComparison.Ordinal)).ToList();
            var levels = Enum.GetValues<QuestionLevel>().Where(l => l.ToName().Contains(lowered, StringComparison.Ordinal)).ToList();
            var pattern = "%" + lowered.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            var inText = db.Database.SqlQuery<int>(
                $"SELECT \"Id\" AS \"Value\" FROM \"Questions\" WHERE lower(\"Stem\") LIKE {pattern} ESCAPE '\\' OR lower(\"Body\") LIKE {pattern} ESCAPE '\\'");
            questions = questions.Where(q => groups.Contains(q.GroupId) || subjects.Contains(q.SubjectId)
                || categories.Contains(q.CategoryId) || subCategories.Contains(q.SubCategoryId)
                || types.Contains(q.Type) || levels.Contains(q.Level)
                || q.Id.ToString().Contains(lowered) || inText.Contains(q.Id));
        }

        if (options.Ordering.Any(o => _sort.Contains(o.Field)))
        {
            return await _sort.Apply(questions, options.Ordering, _newestFirst, q => q.Id).Select(ToRecord).ToPageAsync(page, cancellationToken);
        }

        // The default order, newest first (the newest id breaks ties), is served by the indexes in
        // both directions: a page past the middle is read from the other end, so the last page of a
        // million questions skips a few rows instead of a million.
        // Without search terms the count is a sum of the kept per-filter counts, whatever the bank's size.
        var count = await counts.GetOrCountAsync(
            $"questions|{filter}|{string.Join('\u001f', options.SearchTerms)}", () => options.SearchTerms.Count == 0
                ? new CountFilter(filter.GroupId, filter.SubjectId, filter.CategoryId, filter.SubCategoryId, filter.Type, filter.Level).CountAsync(db, cancellationToken)
                : questions.CountAsync(cancellationToken));
        var pageCount = Math.Max(1, (count + page.PageSize - 1) / page.PageSize);
        var number = page.Page ?? pageCount;
        if (number < 1 || number > pageCount)
        {
            throw new InvalidPageException();
        }

        var offset = (number - 1) * page.PageSize;
        List<QuestionRecord> items;
        if (offset <= count / 2)
        {
            items = await questions.OrderByDescending(q => q.CreatedAt).ThenByDescending(q => q.Id)
                .Skip(offset).Take(page.PageSize).Select(ToRecord).ToListAsync(cancellationToken);
        }
        else
        {
            var after = count - offset - page.PageSize;
            var take = after < 0 ? page.PageSize + after : page.PageSize;
            items = await questions.OrderBy(q => q.CreatedAt).ThenBy(q => q.Id)
                .Skip(Math.Max(0, after)).Take(take).Select(ToRecord).ToListAsync(cancellationToken);
            items.Reverse();
        }

        return new PageResult<QuestionRecord>(count, number, page.PageSize, items);
    }

    public async Task<QuestionRecord> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await ById.For(db)(db, id, cancellationToken) ?? throw new NotFoundException("Not found.");
    }

    public async Task<QuestionRecord> CreateAsync(QuestionInput input, string? userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var taxonomy = await TaxonomyIndex.LoadAsync(db, cancellationToken);
        var errors = new ErrorBag();
        var question = Build(input, taxonomy, errors);
        errors.ThrowIfAny();
        Stamp(question!, userId, created: true);
        db.Questions.Add(question!);
        await db.SaveChangesAsync(cancellationToken);
        return await GetAsync(question!.Id, cancellationToken);
    }

    /// <summary>
    /// Replaces a question (<paramref name="partial"/> false) or changes the fields given (true). The state
    /// it replaces goes into the question's history, as the editor's saves do, signed by its author.
    /// </summary>
    public async Task<QuestionRecord> UpdateAsync(int id, QuestionInput input, bool partial, string? userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var question = await db.Questions.FirstOrDefaultAsync(q => q.Id == id, cancellationToken) ?? throw new NotFoundException("Not found.");
        if (partial)
        {
            var current = await GetAsync(id, cancellationToken);
            var currentMetadata = System.Text.Json.JsonSerializer.SerializeToElement(OriginalMetadata.ToMetadata(current.Type, current.Stem, current.Body));
            input = new QuestionInput(
                input.Group ?? current.Group,
                input.Subject ?? current.Subject,
                input.Category ?? current.Category,
                input.SubCategoryGiven ? input.SubCategory : current.SubCategory,
                SubCategoryGiven: true,
                input.Level ?? current.Level.ToName(),
                input.Type ?? current.Type.ToName(),
                input.Metadata ?? currentMetadata);
        }

        var taxonomy = await TaxonomyIndex.LoadAsync(db, cancellationToken);
        var errors = new ErrorBag();
        var changed = Build(input, taxonomy, errors);
        errors.ThrowIfAny();
        db.QuestionVersions.Add(question.ToVersion());
        question.Version++;
        question.UpdatedById = userId;
        question.GroupId = changed!.GroupId;
        question.SubjectId = changed.SubjectId;
        question.CategoryId = changed.CategoryId;
        question.SubCategoryId = changed.SubCategoryId;
        question.Level = changed.Level;
        question.Type = changed.Type;
        question.Stem = changed.Stem;
        question.Title = changed.Title;
        question.Body = changed.Body;
        Stamp(question, null, created: false);
        await db.SaveChangesAsync(cancellationToken);
        return await GetAsync(id, cancellationToken);
    }

    public async Task DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await db.QuizSlots.AnyAsync(s => s.QuestionId == id, cancellationToken))
        {
            throw ValidationErrors.For("non_field_errors", "A quiz uses this question, so it cannot be deleted; archive it instead.");
        }

        if (await db.Questions.Where(q => q.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            throw new NotFoundException("Not found.");
        }
    }

    /// <summary>
    /// Saves every row or none. Rows are numbered as in a spreadsheet whose first row is the header
    /// (the first item is row 2), as the original service reported them.
    /// </summary>
    public async Task<int> UploadAsync(IReadOnlyList<QuestionInput> rows, string? userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var taxonomy = await TaxonomyIndex.LoadAsync(db, cancellationToken);
        var failed = new List<FailedRow>();
        var questions = new List<Question>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var errors = new ErrorBag();
            var question = Build(rows[i], taxonomy, errors, upload: true);
            if (!errors.IsEmpty)
            {
                failed.Add(new FailedRow(i + 2, errors.ToDictionary().ToDictionary(e => e.Key, e => string.Join(" ", e.Value))));
                continue;
            }

            Stamp(question!, userId, created: true);
            questions.Add(question!);
        }

        if (failed.Count > 0)
        {
            throw new BulkUploadException(failed);
        }

        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.Questions.AddRange(questions);
        await db.SaveChangesAsync(cancellationToken);
        return questions.Count;
    }

    internal static IQueryable<Question> Filter(IQueryable<Question> questions, QuestionFilter filter)
    {
        if (filter.Level is { } level)
        {
            questions = questions.Where(q => q.Level == level);
        }

        if (filter.Type is { } type)
        {
            questions = questions.Where(q => q.Type == type);
        }

        if (filter.GroupId is { } groupId)
        {
            questions = questions.Where(q => q.GroupId == groupId);
        }

        if (filter.SubjectId is { } subjectId)
        {
            questions = questions.Where(q => q.SubjectId == subjectId);
        }

        if (filter.CategoryId is { } categoryId)
        {
            questions = questions.Where(q => q.CategoryId == categoryId);
        }

        if (filter.SubCategoryId is { } subCategoryId)
        {
            questions = questions.Where(q => q.SubCategoryId == subCategoryId);
        }

        return questions;
    }

    private static readonly System.Linq.Expressions.Expression<Func<Question, QuestionRecord>> ToRecord = q => new QuestionRecord(
        q.Id, q.Category!.Group!.Name, q.Category.Subject!.Name, q.Category.Name, q.SubCategory == null ? null : q.SubCategory.Name,
        q.Level, q.Type, q.Stem, q.Body, q.CreatedAt, q.UpdatedAt, q.Title);

    /// <summary>
    /// A question by its id, compiled once: the API's question route, every practice step and every
    /// answer check read one, and the LINQ form builds its expression tree and looks it up in EF's
    /// query cache on every call.
    /// </summary>
    internal static readonly CompiledPerProvider<Func<EduLoopDbContext, int, CancellationToken, Task<QuestionRecord?>>> ById = new(() => EF.CompileAsyncQuery(
        (EduLoopDbContext db, int id, CancellationToken cancellationToken) => db.Questions.AsNoTracking().Where(q => q.Id == id).Select(ToRecord).FirstOrDefault()));

    /// <summary>
    /// Checks one input against the hierarchy and the type's rules; null when it has errors. The
    /// messages are the original's, which worded them differently for one question and for a bulk upload.
    /// </summary>
    private static Question? Build(QuestionInput input, TaxonomyIndex taxonomy, ErrorBag errors, bool upload = false)
    {
        var groupId = Required(errors, "group", input.Group) is { } group
            ? taxonomy.Group(group) ?? Missing(errors, "group", upload ? $"Group '{group}' not found." : $"Object with name={group} does not exist.")
            : null;
        var subjectId = Required(errors, "subject", input.Subject) is { } subject && groupId is { } g
            ? taxonomy.Subject(g, subject) ?? Missing(errors, "subject",
                upload ? $"Subject '{subject}' not found in group '{input.Group}'." : $"Subject '{subject}' does not exist in group '{input.Group}'.")
            : null;
        var categoryId = Required(errors, "category", input.Category) is { } category && subjectId is { } s
            ? taxonomy.Category(s, category) ?? Missing(errors, "category",
                upload ? $"Category '{category}' not found." : $"Category '{category}' does not exist for the specified group and subject.")
            : null;
        int? subCategoryId = null;
        if (!string.IsNullOrWhiteSpace(input.SubCategory) && categoryId is { } c)
        {
            subCategoryId = taxonomy.SubCategory(c, input.SubCategory.Trim())
                ?? Missing(errors, "subcategory", upload ? $"SubCategory '{input.SubCategory}' not found." : "SubCategory not found for the given group, subject, and category.");
        }

        QuestionLevel level = default;
        if (Required(errors, "level", input.Level) is { } levelName && !QuestionNames.TryParseLevel(levelName, out level))
        {
            errors.Add("level", $"\"{levelName}\" is not a valid choice.");
        }

        var typeValid = false;
        QuestionType type = default;
        if (Required(errors, "type", input.Type) is { } typeName)
        {
            typeValid = QuestionNames.TryParseType(typeName, out type);
            if (!typeValid)
            {
                errors.Add("type", $"\"{typeName}\" is not a valid choice.");
            }
        }

        string stem = "";
        QuestionBody body = new();
        if (input.Metadata is not { } metadata || metadata.ValueKind is System.Text.Json.JsonValueKind.Undefined or System.Text.Json.JsonValueKind.Null)
        {
            // The original did not ask for it; EduLoop needs at least the question's text, but says so
            // only once the fields the original checked are right.
            if (errors.IsEmpty)
            {
                errors.Add("metadata", "This field is required.");
            }
        }
        else if (typeValid)
        {
            (stem, body) = OriginalMetadata.FromMetadata(type, metadata, errors);
        }

        if (!errors.IsEmpty)
        {
            return null;
        }

        return new Question
        {
            GroupId = groupId!.Value,
            SubjectId = subjectId!.Value,
            CategoryId = categoryId!.Value,
            SubCategoryId = subCategoryId,
            Level = level,
            Type = type,
            Stem = stem,
            Title = QuestionText.TitleOf(stem),
            Body = body,
        };
    }

    private void Stamp(Question question, string? userId, bool created)
    {
        var now = clock.UtcNowToSecond();
        if (created)
        {
            question.CreatedAt = now;
            question.CreatedById = userId;
            question.UpdatedById = userId;
        }

        question.UpdatedAt = now;
        question.ConcurrencyStamp = Guid.NewGuid();
    }

    private static string? Required(ErrorBag errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, value is null ? "This field is required." : "This field may not be blank.");
            return null;
        }

        return value.Trim();
    }

    private static int? Missing(ErrorBag errors, string field, string message)
    {
        errors.Add(field, message);
        return null;
    }

    /// <summary>The hierarchy's names in memory: a bulk upload resolves thousands of rows without a query each.</summary>
    private sealed class TaxonomyIndex
    {
        private Dictionary<string, int> _groups = [];
        private Dictionary<(int, string), int> _subjects = [];
        private Dictionary<(int, string), int> _categories = [];
        private Dictionary<(int, string), int> _subCategories = [];

        public static async Task<TaxonomyIndex> LoadAsync(EduLoopDbContext db, CancellationToken cancellationToken) => new()
        {
            _groups = await db.Groups.AsNoTracking().ToDictionaryAsync(g => g.Name, g => g.Id, cancellationToken),
            _subjects = (await db.Subjects.AsNoTracking().Select(s => new { s.GroupId, s.Name, s.Id }).ToListAsync(cancellationToken))
                .ToDictionary(s => (s.GroupId, s.Name), s => s.Id),
            _categories = (await db.Categories.AsNoTracking().Select(c => new { c.SubjectId, c.Name, c.Id }).ToListAsync(cancellationToken))
                .ToDictionary(c => (c.SubjectId, c.Name), c => c.Id),
            _subCategories = (await db.SubCategories.AsNoTracking().Select(s => new { s.CategoryId, s.Name, s.Id }).ToListAsync(cancellationToken))
                .ToDictionary(s => (s.CategoryId, s.Name), s => s.Id),
        };

        public int? Group(string name) => _groups.TryGetValue(name, out var id) ? id : null;

        public int? Subject(int groupId, string name) => _subjects.TryGetValue((groupId, name), out var id) ? id : null;

        public int? Category(int subjectId, string name) => _categories.TryGetValue((subjectId, name), out var id) ? id : null;

        public int? SubCategory(int categoryId, string name) => _subCategories.TryGetValue((categoryId, name), out var id) ? id : null;
    }
}
