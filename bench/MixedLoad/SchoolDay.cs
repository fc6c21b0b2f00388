using System.Diagnostics;
using System.Text.Json;

namespace MixedLoad;

/// <summary>The arrival rates of a school day (per second) and the practice sessions' length.</summary>
internal sealed record Rates(double FiveLists, double Filtered, double BankPages, double PracticeSteps, double PracticeAnswers, double AnswerSaves, double EditsPerSecond, int StepsPerSession);

/// <summary>The kinds of request of a school day, each sent at its own fixed rate.</summary>
internal sealed class SchoolDay(LoadClient client, School school, Rates rates)
{
    public const string FiveListsKind = "read: the five lists";
    public const string FilteredKind = "read: filtered staff lists";
    public const string BankPagesKind = "read: bank pages (place, type, level, page)";
    public const string PracticeStartKind = "practice: start a session (POST)";
    public const string PracticeNextKind = "practice: next question (GET)";
    public const string PracticeAnswerKind = "practice: answer checked and recorded (POST)";
    public const string AnswerKind = "answer save (PUT)";
    public const string EditKind = "teacher edit (PATCH)";
    public const string AfterWriteKind = "first read after a bank write (filtered lists)";

    public static readonly string[] ReadKinds = [FiveListsKind, FilteredKind, BankPagesKind];

    private long _edits;
    private long _sequenceBase;

    /// <summary>Reads only: what the mixed run is compared with.</summary>
    public IReadOnlyList<RequestKind> Reads =>
    [
        new(FiveListsKind, rates.FiveLists, (i, due, p) => Read(p, FiveListsKind, due, School.FiveLists[i % School.FiveLists.Length])),
        new(FilteredKind, rates.Filtered, (i, due, p) => Read(p, FilteredKind, due, School.FilteredLists[i % School.FilteredLists.Length])),
        new(BankPagesKind, rates.BankPages, (i, due, p) => Read(p, BankPagesKind, due, school.BankPages[(int)(i % school.BankPages.Count)])),
    ];

    /// <summary>The reads with students practising and answering and a teacher editing.</summary>
    public IReadOnlyList<RequestKind> Mixed =>
    [
        .. Reads,
        new("practice", rates.PracticeSteps, Practise),
        new(PracticeAnswerKind, rates.PracticeAnswers, AnswerPractice),
        new(AnswerKind, rates.AnswerSaves, SaveAnswer),
        new(EditKind, rates.EditsPerSecond, (i, due, p) => EditAsync(p, due, readAfter: true)),
    ];

    /// <summary>Sequence numbers start from the clock, above any earlier phase's or run's.</summary>
    public void NewPhase() => _sequenceBase = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;

    public Task Read(Phase phase, string kind, long due, string path) =>
        client.SendAsync(phase, kind, due, () => LoadClient.Get(path, school.StaffToken));

    /// <summary>
    /// Step i goes to student i mod N, so each student steps every N / rate seconds; every
    /// <see cref="Rates.StepsPerSession"/>th of a student's steps starts a new session (POST), the
    /// others take its next question (GET with X-Session-Id). A step that finds its session's start
    /// still unanswered waits for it, and that wait is part of its latency; one that finds it failed
    /// starts a new session.
    /// </summary>
    private Task Practise(long index, long due, Phase phase)
    {
        var count = school.Practising.Count;
        var student = school.Practising[(int)(index % count)];
        var step = index / count + index % count;
        // A student whose last start failed (a timeout in the warm-up) starts again, as a student would.
        if (!student.HasSession || step % rates.StepsPerSession == 0 || student.Session is { IsCompleted: true, Result: null })
        {
            var started = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
            student.Session = started.Task;
            student.HasSession = true;
            return StartAsync(phase, due, student, started);
        }

        var session = student.Session;
        return ShownAsync(student, client.SendAsync(phase, PracticeNextKind, due,
            () => session.Result is { } id ? LoadClient.Get("/api/questions/", student.Token, id) : null, before: () => session));
    }

    private static async Task ShownAsync(PracticeStudent student, Task<byte[]?> step)
    {
        if (await step is { } body)
        {
            using var json = JsonDocument.Parse(body);
            Shown(student, json.RootElement);
        }
    }

    /// <summary>Keeps the id of the question a step showed (the question itself, or a start's "question"), for the student's next answer.</summary>
    private static void Shown(PracticeStudent student, JsonElement step)
    {
        var question = step.TryGetProperty("question", out var inner) ? inner : step;
        // Essays are not marked automatically (a student rates them after the model answer): nothing to send.
        if (question.ValueKind == JsonValueKind.Object && question.TryGetProperty("id", out var id) && id.TryGetInt32(out var shown)
            && !(question.TryGetProperty("type", out var type) && type.ValueEquals("writing")))
        {
            student.Shown = shown;
        }
    }

    /// <summary>
    /// Answer i goes to student i mod N: the question their last step showed, checked through
    /// POST /api/questions/answer/, which records it (the student's memory state, the question's quality
    /// sums) before it answers. Each question shown is answered once; a student with none waiting sends nothing.
    /// </summary>
    private Task AnswerPractice(long index, long due, Phase phase)
    {
        var student = school.Practising[(int)(index % school.Practising.Count)];
        var question = Interlocked.Exchange(ref student.Shown, 0);
        if (question == 0)
        {
            return Task.CompletedTask;
        }

        var body = $$"""{"question_id":{{question}},"response":"a"}""";
        return client.SendAsync(phase, PracticeAnswerKind, due,
            () => LoadClient.WithJson(HttpMethod.Post, "/api/questions/answer/", student.Token, body));
    }

    private async Task StartAsync(Phase phase, long due, PracticeStudent student, TaskCompletionSource<string?> started)
    {
        string? id = null;
        try
        {
            var body = await client.SendAsync(phase, PracticeStartKind, due,
                () => LoadClient.WithJson(HttpMethod.Post, "/api/questions/", student.Token, student.Filter));
            if (body is not null)
            {
                using var json = JsonDocument.Parse(body);
                id = json.RootElement.GetProperty("session_id").GetString();
                Shown(student, json.RootElement);
            }
        }
        finally
        {
            started.SetResult(id);
        }
    }

    /// <summary>Save i goes to student i mod N, question (i / N) mod Q: one save per student every N / rate seconds.</summary>
    private Task SaveAnswer(long index, long due, Phase phase)
    {
        var count = school.Answering.Count;
        var student = school.Answering[(int)(index % count)];
        var position = (int)(index / count % student.Questions) + 1;
        var body = $$"""{"response":"answer {{index}}","sequence":{{_sequenceBase + index}}}""";
        return client.SendAsync(phase, AnswerKind, due,
            () => LoadClient.WithJson(HttpMethod.Put, $"/api/attempts/{student.Attempt}/answers/{position}/", student.Token, body));
    }

    /// <summary>
    /// A teacher saves a change to a question's text (the bank changes: every cached list and count of
    /// questions is stale); with <paramref name="readAfter"/>, each filtered list is read once right
    /// after the save was acknowledged, timed from that moment.
    /// </summary>
    public async Task<bool> EditAsync(Phase phase, long due, bool readAfter)
    {
        var n = Interlocked.Increment(ref _edits);
        var question = school.Edited[(int)(n % school.Edited.Count)];
        var body = School.EditBody(question, n);
        var saved = await client.SendAsync(phase, EditKind, due,
            () => LoadClient.WithJson(HttpMethod.Patch, $"/api/dashboard/question/{question.Id}/", school.StaffToken, body));
        if (saved is not null && readAfter)
        {
            var acknowledged = Stopwatch.GetTimestamp();
            await Task.WhenAll(School.FilteredLists.Select(path => Read(phase, AfterWriteKind, acknowledged, path)));
        }

        return saved is not null;
    }
}
