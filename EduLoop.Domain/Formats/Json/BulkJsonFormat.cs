using System.Buffers;
using System.Text.Json;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.Domain.Formats.Json;

/// <summary>
/// The original service's bulk upload as a file: a JSON array of
/// <c>{"group", "subject", "category", "subcategory", "level", "type", "metadata"}</c>, exactly the
/// body of <c>POST /api/upload-questions/</c>. Read in chunks, one item in memory at a time; each
/// error carries the line and column where its item starts.
/// </summary>
public sealed class BulkJsonFormat : IQuestionFormat
{
    private const int ChunkBytes = 1 << 16;

    /// <summary>The largest single item read; a bigger one is an error rather than a memory hazard.</summary>
    public const int MaxItemBytes = 4 << 20;

    public QuestionFormat Format => QuestionFormat.Json;

    public string Extension => ".json";

    public string ContentType => "application/json; charset=utf-8";

    public IEnumerable<ImportItem> Read(Stream stream, CancellationToken cancellationToken = default)
    {
        var position = new Position();
        return FormatReading.Guarded(ReadItems(stream, position, cancellationToken), () => position.Line);
    }

    private sealed class Position
    {
        public int Line = 1;
        public int LineStart;
    }

    private static IEnumerable<ImportItem> ReadItems(Stream stream, Position position, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            var length = 0;
            long offset = 0;
            var final = false;
            var state = new JsonReaderState(new JsonReaderOptions { MaxDepth = 64, CommentHandling = JsonCommentHandling.Skip });
            var started = false;
            var items = new List<(int Line, int Column, JsonElement? Item, string? Error)>();
            var counted = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!final)
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= MaxItemBytes)
                        {
                            yield return new ImportError(position.Line, 0, $"An item is larger than {MaxItemBytes / 1024 / 1024} MB.");
                            yield break;
                        }

                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    var read = stream.Read(buffer, length, buffer.Length - length);
                    length += read;
                    final = read == 0;
                }

                if (!started && offset == 0 && length >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
                {
                    buffer.AsSpan(3, length - 3).CopyTo(buffer);
                    length -= 3;
                    offset = 3;
                    position.LineStart = 3;
                }

                items.Clear();
                var consumed = Scan(buffer.AsSpan(0, length), final, ref state, ref started, offset, ref counted, position, items);
                foreach (var (line, column, item, error) in items)
                {
                    yield return error is not null
                        ? new ImportError(line, column, error)
                        : ToQuestion(line, column, item!.Value);
                }

                if (final)
                {
                    if (!started)
                    {
                        yield return new ImportError(1, 1, "The file is empty: expected a JSON array of questions.");
                    }

                    yield break;
                }

                buffer.AsSpan(consumed, length - consumed).CopyTo(buffer);
                length -= consumed;
                offset += consumed;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads the complete items of the array in <paramref name="data"/> and returns how many bytes it
    /// used; an item cut off by the end of the chunk waits for the next one.
    /// </summary>
    private static int Scan(
        ReadOnlySpan<byte> data, bool final, ref JsonReaderState state, ref bool started, long offset, ref int counted, Position position,
        List<(int, int, JsonElement?, string?)> items)
    {
        var reader = new Utf8JsonReader(data, final, state);
        var consumed = 0;
        while (true)
        {
            var before = reader;
            var (line0, lineStart0, counted0) = (position.Line, position.LineStart, counted);
            if (!reader.Read())
            {
                break;
            }

            Advance(data, counted, (int)reader.TokenStartIndex, position, offset);
            counted = (int)reader.TokenStartIndex;
            var line = position.Line;
            var column = (int)(offset + reader.TokenStartIndex - position.LineStart) + 1;
            if (!started)
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new JsonException("Expected a JSON array of questions: [ {…}, {…} ].", null, line - 1, column - 1);
                }

                started = true;
            }
            else if (reader.CurrentDepth == 1 && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                if (!reader.TrySkip())
                {
                    // The item goes on in the next chunk: read it again from its start then.
                    reader = before;
                    (position.Line, position.LineStart, counted) = (line0, lineStart0, counted0);
                    break;
                }

                var item = data[start..(int)reader.BytesConsumed];
                using var document = JsonDocument.Parse(item.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
                items.Add((line, column, document.RootElement.Clone(), null));
            }

            consumed = (int)reader.BytesConsumed;
            state = reader.CurrentState;
        }

        Advance(data, counted, consumed, position, offset);
        counted = 0;
        return consumed;
    }

    /// <summary>Counts the line breaks between two positions of the chunk.</summary>
    private static void Advance(ReadOnlySpan<byte> data, int from, int to, Position position, long offset)
    {
        for (var i = from; i < to; i++)
        {
            if (data[i] == (byte)'\n')
            {
                position.Line++;
                position.LineStart = (int)(offset + i + 1);
            }
        }
    }

    private static ImportItem ToQuestion(int line, int column, JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return new ImportError(line, column, "Each item must be a JSON object with group, subject, category, level, type and metadata.");
        }

        if (JsonStrings.FirstInvalid(item) is { } unreadable)
        {
            return new ImportError(line, column, $"\"{unreadable}\" is not text: it holds an unpaired surrogate or bytes that are not UTF-8.");
        }

        string? Name(string property) =>
            item.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;

        var errors = new ErrorBag();
        if (!QuestionNames.TryParseType(Name("type"), out var type))
        {
            errors.Add("type", $"\"{Name("type")}\" is not a question type; use one of {string.Join(", ", QuestionNames.TypeNames)}.");
        }

        QuestionLevel? level = null;
        if (Name("level") is { Length: > 0 } levelName)
        {
            if (QuestionNames.TryParseLevel(levelName, out var parsed))
            {
                level = parsed;
            }
            else
            {
                errors.Add("level", $"\"{levelName}\" is not a level; use one of {string.Join(", ", QuestionNames.LevelNames)}.");
            }
        }

        var place = new[] { Name("group"), Name("subject"), Name("category") };
        ImportTarget? target = null;
        if (place.Any(p => !string.IsNullOrEmpty(p)))
        {
            if (place.All(p => !string.IsNullOrEmpty(p)))
            {
                target = new ImportTarget(place[0]!, place[1]!, place[2]!, Name("subcategory") is { Length: > 0 } sub ? sub : null);
            }
            else
            {
                errors.Add("group", "group, subject and category go together: give all three, or none to use the import's target.");
            }
        }

        var (stem, body) = ("", new QuestionBody());
        if (errors.IsEmpty)
        {
            (stem, body) = item.TryGetProperty("metadata", out var metadata)
                ? OriginalMetadata.FromMetadata(type, metadata, errors)
                : ("", body);
            if (!item.TryGetProperty("metadata", out _))
            {
                errors.Add("metadata", "This field is required.");
            }
        }

        var (title, tags) = (QuestionText.TitleOf(stem), (IReadOnlyList<string>)[]);
        if (errors.IsEmpty && body.Extra.Remove(ExtensionKey, out var extension))
        {
            // EduLoop's own export: the full body, title and tags that the original's metadata cannot hold.
            try
            {
                var full = extension.Deserialize<EduLoopPart>(ExtensionJson);
                if (full?.Body is not null)
                {
                    full.Body.Extra = body.Extra;
                    body = full.Body;
                }

                title = string.IsNullOrWhiteSpace(full?.Title) ? title : full.Title;
                tags = full?.Tags ?? [];
            }
            catch (JsonException e)
            {
                errors.Add("metadata", $"\"{ExtensionKey}\" is not valid: {e.Message}");
            }
        }

        return errors.IsEmpty
            ? new ParsedQuestion(line, type, title, stem, body) { Level = level, Target = target, Tags = tags }
            : new ImportError(line, column, string.Join(" ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
    }

    /// <summary>
    /// The metadata key under which an EduLoop export keeps what the original format has no place for;
    /// the original service keeps unknown metadata keys, so such a file still uploads there.
    /// </summary>
    public const string ExtensionKey = "eduloop";

    private static readonly JsonSerializerOptions ExtensionJson = new(JsonSerializerDefaults.Web)
    {
        MaxDepth = 32,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private sealed record EduLoopPart(string? Title, List<string>? Tags, QuestionBody? Body);

    public IQuestionWriter CreateWriter() => new Writer();

    private sealed class Writer : IQuestionWriter
    {
        private static readonly JsonWriterOptions Options = new()
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        private readonly ArrayBufferWriter<byte> _buffer = new(4096);
        private Utf8JsonWriter? _json;
        private bool _first = true;

        public void WriteStart(TextWriter output) => output.Write('[');

        /// <summary>One item per line, written straight from the body: a hundred thousand questions in seconds.</summary>
        public bool Write(ExportedQuestion question, TextWriter output)
        {
            _buffer.ResetWrittenCount();
            if (_json is null)
            {
                _json = new Utf8JsonWriter(_buffer, Options);
            }
            else
            {
                _json.Reset(_buffer);
            }

            _json.WriteStartObject();
            _json.WriteString("group", question.Target.Group);
            _json.WriteString("subject", question.Target.Subject);
            _json.WriteString("category", question.Target.Category);
            _json.WriteString("subcategory", question.Target.SubCategory);
            _json.WriteString("level", question.Level.ToName());
            _json.WriteString("type", question.Type.ToName());
            _json.WriteStartObject("metadata");
            foreach (var (key, value) in OriginalMetadata.ToMetadata(question.Type, question.Stem, question.Body))
            {
                _json.WritePropertyName(key);
                if (value is null)
                {
                    _json.WriteNullValue();
                }
                else
                {
                    value.WriteTo(_json);
                }
            }

            _json.WritePropertyName(ExtensionKey);
            var full = question.Body.Extra.Count == 0 ? question.Body : Copy(question.Body);
            JsonSerializer.Serialize(_json, new EduLoopPart(question.Title, [.. question.Tags], full), ExtensionJson);
            _json.WriteEndObject();
            _json.WriteEndObject();
            _json.Flush();
            output.Write(_first ? "\n" : ",\n");
            _first = false;
            output.Write(System.Text.Encoding.UTF8.GetString(_buffer.WrittenSpan));
            return true;
        }

        public void WriteEnd(TextWriter output) => output.Write("\n]\n");

        /// <summary>The body without its unknown keys, which the metadata already carries.</summary>
        private static QuestionBody Copy(QuestionBody body)
        {
            var copy = JsonSerializer.Deserialize<QuestionBody>(JsonSerializer.Serialize(body, ExtensionJson), ExtensionJson)!;
            copy.Extra = [];
            return copy;
        }
    }
}
