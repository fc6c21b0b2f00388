using System.Data.Common;
using EduLoop.Domain.Data;
using EduLoop.Domain.Data.Seeding;
using EduLoop.Domain.Media;
using EduLoop.Domain.QuestionBank;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EduLoop.Domain.Formats;

/// <summary>
/// Imports files of any <see cref="QuestionFormat"/> into the bank. The preview reads the whole file
/// and reports what would happen; the commit reads it again as a stream and writes every question in
/// one transaction, creating missing nodes on the way, or writes nothing when any question has an
/// error. Duplicates are found by <see cref="QuestionHash"/>, in the bank and within the file.
/// </summary>
public sealed class ImportService(
    IDbContextFactory<EduLoopDbContext> contextFactory, QuestionFormats formats, MediaStore media, Caching.DataChanges changes, TimeProvider clock)
{
    /// <summary>A file with more errors than this stops being read: the teacher has the wrong file or format.</summary>
    public const int MaxErrors = 1_000;

    public async Task<ImportPreview> PreviewAsync(
        QuestionFormat format, Stream file, ImportOptions options, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var connection = await OpenAsync(db, cancellationToken);
        var nodes = await NodeMap.LoadAsync(db, cancellationToken);
        using var findDuplicate = FindDuplicateCommand(db, connection);
        var questions = new List<PreviewQuestion>();
        var errors = new List<ImportError>();
        var warnings = new List<ImportError>();
        var seen = new Dictionary<long, int>();
        var newNodes = new List<ImportTarget>();
        foreach (var item in formats.Get(format).Read(file, cancellationToken))
        {
            var (question, error) = Examine(item, options, findDuplicate, seen);
            if (error is not null)
            {
                if (AddError(errors, error))
                {
                    continue;
                }

                break;
            }

            questions.Add(question!);
            if (Warning(question!) is { } warning)
            {
                warnings.Add(warning);
            }

            if (!nodes.Contains(question!.Target) && !newNodes.Contains(question.Target))
            {
                newNodes.Add(question.Target);
            }
        }

        if (questions.Count == 0 && errors.Count == 0)
        {
            errors.Add(NoQuestions(format));
        }

        return new ImportPreview(questions, errors, warnings, newNodes);
    }

    /// <summary>
    /// Imports every question of the file, or none when any has an error (the errors are in the
    /// result). Cancelling rolls everything back.
    /// </summary>
    public async Task<ImportResult> CommitAsync(
        QuestionFormat format, Stream file, ImportOptions options, string? userId,
        IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var connection = await OpenAsync(db, cancellationToken);
        // Every insert updates the question indexes: on SQLite a larger page cache keeps them in memory for the import.
        await using var cache = connection is SqliteConnection sqliteConnection ? new PageCache(sqliteConnection, ImportCacheKibibytes) : null;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var writing = transaction.GetDbTransaction();
        var nodes = await NodeMap.LoadAsync(db, cancellationToken);
        using var findDuplicate = FindDuplicateCommand(db, connection);
        // SQLite: one prepared insert a question. PostgreSQL: binary COPY a batch at a time.
        var batch = connection is Npgsql.NpgsqlConnection postgres ? new PostgresBulk.ImportBatch(postgres) : null;
        using var insert = batch is null ? BankWriter.PrepareInsert(connection, db.Model, typeof(Question), BankWriter.QuestionColumns, returnsId: true) : null;
        var tags = new TagWriter(db, connection);
        var now = clock.UtcNowToSecond();
        var errors = new List<ImportError>();
        var seen = new Dictionary<long, int>();
        var (imported, skipped, nodesBefore) = (0, 0, nodes.Created);
        (int, int?)? lastPlace = null;
        long? total = file.CanSeek ? file.Length : null;
        foreach (var item in formats.Get(format).Read(file, cancellationToken))
        {
            var (question, error) = Examine(item, options, findDuplicate, seen);
            if (error is not null)
            {
                if (AddError(errors, error))
                {
                    continue;
                }

                break;
            }

            if (errors.Count > 0)
            {
                // Nothing will be saved; keep reading only to report every error at once.
                continue;
            }

            if (question!.Duplicate != DuplicateKind.None && options.Duplicates == DuplicateHandling.Skip)
            {
                skipped++;
                continue;
            }

            var ids = await nodes.EnsureAsync(db, question.Target, now, cancellationToken);
            lastPlace = (ids.Category, ids.SubCategory);
            var parsed = question.Question;
            var stem = await StoreFilesAsync(parsed.Stem, parsed.Files, cancellationToken);
            var row = new Question
            {
                GroupId = ids.Group,
                SubjectId = ids.Subject,
                CategoryId = ids.Category,
                SubCategoryId = ids.SubCategory,
                Type = parsed.Type,
                Level = question.Level,
                Title = parsed.Title.Length <= Limits.TitleLength ? parsed.Title : parsed.Title[..Limits.TitleLength],
                Stem = stem,
                Body = parsed.Body,
                CreatedAt = now,
                UpdatedAt = now,
                CreatedById = userId,
                ContentHash = ReferenceEquals(stem, parsed.Stem) ? question.ContentHash : 0,
            };
            if (batch is not null)
            {
                batch.Add(row, parsed.Tags);
                if (batch.Count >= PostgresBulk.ImportBatch.Size)
                {
                    await batch.FlushAsync((id, names) => tags.Add(id, names, writing), cancellationToken);
                }
            }
            else
            {
                insert!.Transaction = writing;
                BankWriter.Bind(insert, row);
                tags.Add(Convert.ToInt64(insert.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture), parsed.Tags, writing);
            }

            if (++imported % 500 == 0)
            {
                progress?.Report(new ImportProgress(imported, file.CanSeek ? file.Position : 0, total));
            }
        }

        if (imported + skipped == 0 && errors.Count == 0)
        {
            errors.Add(NoQuestions(format));
        }

        if (errors.Count > 0)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            return new ImportResult(0, 0, 0, errors);
        }

        if (batch is not null)
        {
            await batch.FlushAsync((id, names) => tags.Add(id, names, writing), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        // The rows written through the connection directly are not seen by EF's interceptor.
        await changes.ChangedAsync(Caching.DataTags.Bank, Caching.DataTags.Pools, Caching.DataTags.Taxonomy);
        progress?.Report(new ImportProgress(imported, total ?? 0, total));
        return new ImportResult(imported, skipped, nodes.Created - nodesBefore, []) { LastPlace = lastPlace };
    }

    private const int ImportCacheKibibytes = 64 * 1024;

    /// <summary>Sets a connection's page cache for a while and puts SQLite's default back, since the connection returns to the pool.</summary>
    private sealed class PageCache : IAsyncDisposable
    {
        private readonly SqliteConnection _connection;

        public PageCache(SqliteConnection connection, int kibibytes)
        {
            _connection = connection;
            Set(-kibibytes);
        }

        public ValueTask DisposeAsync()
        {
            Set(-2000);
            return ValueTask.CompletedTask;
        }

        private void Set(int size)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"PRAGMA cache_size = {size};";
            command.ExecuteNonQuery();
        }
    }

    private static async Task<DbConnection> OpenAsync(EduLoopDbContext db, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        return connection;
    }

    private static DbCommand FindDuplicateCommand(EduLoopDbContext db, DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"SELECT \"Id\" FROM \"{db.Model.FindEntityType(typeof(Question))!.GetTableName()}\" WHERE \"ContentHash\" = @hash LIMIT 1;";
        var hash = command.CreateParameter();
        hash.ParameterName = "@hash";
        hash.Value = 0L;
        command.Parameters.Add(hash);
        return command;
    }

    private static ImportError NoQuestions(QuestionFormat format) =>
        new(1, 0, $"No questions found. Is this a {QuestionFormats.NameOf(format)} file?");

    /// <summary>Adds an error; false when there are too many to go on reading (a last error says so).</summary>
    private static bool AddError(List<ImportError> errors, ImportError error)
    {
        errors.Add(error);
        if (errors.Count < MaxErrors)
        {
            return true;
        }

        errors.Add(new ImportError(error.Line, 0, $"More than {MaxErrors} errors: the rest of the file was not read. Is it the right file and format?"));
        return false;
    }

    /// <summary>A question's place, level, duplicate state and rule check, or the error that keeps it out.</summary>
    private static (PreviewQuestion? Question, ImportError? Error) Examine(
        ImportItem item, ImportOptions options, DbCommand findDuplicate, Dictionary<long, int> seen)
    {
        if (item is ImportError error)
        {
            return (null, error);
        }

        var question = (ParsedQuestion)item;
        var target = options.IgnoreFilePlaces ? options.Target : question.Target ?? options.Target;
        if (target is null)
        {
            return (null, new ImportError(question.Line, 0,
                "No place in the bank for this question: choose where to import, or give its group, subject and category in the file."));
        }

        if (Check(question, target) is { } problem)
        {
            return (null, new ImportError(question.Line, 0, problem));
        }

        var hash = QuestionHash.Of(question.Type, question.Stem, question.Body);
        findDuplicate.Parameters[0].Value = hash;
        var inBank = findDuplicate.ExecuteScalar() is { } id and not DBNull ? Convert.ToInt32(id, System.Globalization.CultureInfo.InvariantCulture) : (int?)null;
        var (duplicate, of) = inBank is not null
            ? (DuplicateKind.InBank, inBank)
            : seen.TryGetValue(hash, out var line) ? (DuplicateKind.InFile, line) : (DuplicateKind.None, (int?)null);
        seen.TryAdd(hash, question.Line);
        return (new PreviewQuestion(question, target, question.Level ?? options.Level, duplicate, of) { ContentHash = hash }, null);
    }

    private static ImportError? Warning(PreviewQuestion question) => question.Duplicate switch
    {
        DuplicateKind.InBank => new ImportError(question.Question.Line, 0, $"The same question is already in the bank (#{question.DuplicateOf})."),
        DuplicateKind.InFile => new ImportError(question.Question.Line, 0, $"The same question is already at line {question.DuplicateOf} of this file."),
        _ => null,
    };

    /// <summary>The rules every question must meet, whatever format it came in; null when it does.</summary>
    public static string? Check(ParsedQuestion question, ImportTarget target)
    {
        if (new[] { target.Group, target.Subject, target.Category, target.SubCategory ?? "" }.Any(n => n.Length > Limits.NameLength))
        {
            return $"A group, subject or category name is longer than {Limits.NameLength} characters.";
        }

        if (question.Tags.FirstOrDefault(t => t.Length > Limits.TagLength) is { } tag)
        {
            return $"The tag \"{tag[..20]}…\" is longer than {Limits.TagLength} characters.";
        }

        return QuestionRules.Check(question.Type, question.Stem, question.Body);
    }

    /// <summary>Stores the images that came with a question and points its text at them.</summary>
    private async Task<string> StoreFilesAsync(string text, IReadOnlyDictionary<string, byte[]> files, CancellationToken cancellationToken)
    {
        foreach (var (name, data) in files)
        {
            string url;
            try
            {
                url = await media.SaveAsync(data, cancellationToken);
            }
            catch (DomainValidationException)
            {
                // Not an image EduLoop serves (an SVG, a PDF): the text keeps its reference, which shows as a broken image.
                continue;
            }

            text = text.Replace(MoodleXml.MoodleXmlFormat.PluginFile + name, url, StringComparison.Ordinal)
                .Replace(MoodleXml.MoodleXmlFormat.PluginFile + Uri.EscapeDataString(name), url, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>Tags by name, created on first use, linked with prepared statements.</summary>
    private sealed class TagWriter(EduLoopDbContext db, DbConnection connection)
    {
        private readonly Dictionary<string, long> _ids = new(StringComparer.Ordinal);
        private DbCommand? _find;
        private DbCommand? _create;
        private DbCommand? _link;

        public void Add(long questionId, IReadOnlyList<string> tags, DbTransaction transaction)
        {
            foreach (var name in tags.Distinct(StringComparer.Ordinal))
            {
                if (!_ids.TryGetValue(name, out var tagId))
                {
                    var table = db.Model.FindEntityType(typeof(Tag))!.GetTableName();
                    _find ??= Command($"SELECT \"Id\" FROM \"{table}\" WHERE \"Name\" = @p0;", 1);
                    _create ??= Command($"INSERT INTO \"{table}\" (\"Name\") VALUES (@p0) RETURNING \"Id\";", 1);
                    _find.Transaction = _create.Transaction = transaction;
                    _find.Parameters[0].Value = PostgresTextInterceptor.Clean(name);
                    _create.Parameters[0].Value = PostgresTextInterceptor.Clean(name);
                    tagId = Convert.ToInt64(_find.ExecuteScalar() is { } found and not DBNull ? found : _create.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
                    _ids[name] = tagId;
                }

                _link ??= Command(
                    $"INSERT INTO \"{db.Model.FindEntityType(typeof(QuestionTag))!.GetTableName()}\" (\"QuestionId\", \"TagId\") VALUES (@p0, @p1) ON CONFLICT DO NOTHING;", 2);
                _link.Transaction = transaction;
                _link.Parameters[0].Value = questionId;
                _link.Parameters[1].Value = tagId;
                _link.ExecuteNonQuery();
            }
        }

        private DbCommand Command(string sql, int parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 0; i < parameters; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"@p{i}";
                command.Parameters.Add(parameter);
            }

            return command;
        }
    }
}
