using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MixedLoad;

/// <summary>A student with an attempt in progress (a line of quiz-load's file: email, token, attempt, questions).</summary>
internal sealed record QuizStudent(string Token, int Attempt, int Questions)
{
    public static IReadOnlyList<QuizStudent> Read(string file) =>
        File.ReadLines(file).Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(f => new QuizStudent(
            f[1], int.Parse(f[2], CultureInfo.InvariantCulture), int.Parse(f[3], CultureInfo.InvariantCulture))).ToList();
}

/// <summary>A student who practises: a new session now and then, and its next question at each step.</summary>
internal sealed class PracticeStudent(string token, string filter)
{
    public string Token { get; } = token;

    /// <summary>The body that starts a session: group and subject, sometimes a level or a category.</summary>
    public string Filter { get; } = filter;

    /// <summary>The current session's id once its start has been answered; null when the start failed.</summary>
    public Task<string?> Session { get; set; } = Task.FromResult<string?>(null);

    public bool HasSession { get; set; }

    /// <summary>The question the student's last step showed and they have not answered yet; 0 for none.</summary>
    public int Shown;
}

/// <summary>A question the teacher edits: the text it had, changed on every save, the rest of its metadata kept.</summary>
internal sealed record EditedQuestion(int Id, JsonObject Metadata, string Text);

/// <summary>What the load is made of, read from the running app and the quiz-load files.</summary>
internal sealed class School
{
    /// <summary>The original service's load test: its five lists (bench/cycle.lua).</summary>
    public static readonly string[] FiveLists =
        ["/api/groups/", "/api/subjects/", "/api/categories/", "/api/subcategories/", "/api/dashboard/recent-questions/"];

    /// <summary>A teacher's filters over the whole bank: type and level.</summary>
    public static readonly string[] FilteredLists =
    [
        "/api/dashboard/recent-questions/?type=mcq&level=easy",
        "/api/dashboard/recent-questions/?type=true_false&level=medium",
        "/api/dashboard/recent-questions/?type=fill_blank&level=advance",
        "/api/dashboard/recent-questions/?type=math",
        "/api/dashboard/recent-questions/?level=medium",
        "/api/dashboard/recent-questions/?type=mcq_multi&level=advance",
        "/api/dashboard/recent-questions/?type=matching",
        "/api/dashboard/recent-questions/?level=easy&page=2",
    ];

    private static readonly string[] Types = ["mcq", "true_false", "fill_blank", "math", "mcq_multi", "matching", "writing", "description"];
    private static readonly string[] Levels = ["easy", "medium", "advance"];

    public required string StaffToken { get; init; }

    /// <summary>Bank pages by place (group, subject, category, subcategory), with type and level filters and page numbers.</summary>
    public required IReadOnlyList<string> BankPages { get; init; }

    public required IReadOnlyList<QuizStudent> Answering { get; init; }

    public required IReadOnlyList<PracticeStudent> Practising { get; init; }

    public required IReadOnlyList<EditedQuestion> Edited { get; init; }

    public static async Task<School> ReadAsync(LoadClient client, string email, string password, string answersFile, string practiceFile, int practiceStudents)
    {
        var signIn = await client.FetchAsync(LoadClient.WithJson(HttpMethod.Post, "/api/api-token-auth/", null,
            JsonSerializer.Serialize(new Dictionary<string, string> { ["username"] = email, ["password"] = password })));
        var token = JsonNode.Parse(signIn)!["token"]!.GetValue<string>();

        var groups = await AllAsync(client, token, "/api/groups/?page_size=100");
        var subjects = await AllAsync(client, token, "/api/subjects/?page_size=100");
        var categories = await AllAsync(client, token, "/api/categories/?page_size=100");
        var groupIds = groups.Select(g => g["id"]!.GetValue<int>()).Order().ToList();
        var groupOfName = groups.ToDictionary(g => g["name"]!.GetValue<string>(), g => g["id"]!.GetValue<int>());
        var subjectList = subjects.Select(s => (Id: s["id"]!.GetValue<int>(), Group: groupOfName[s["group"]!.GetValue<string>()])).OrderBy(s => s.Id).ToList();
        var subjectOfName = subjects.GroupBy(s => s["name"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.First()["id"]!.GetValue<int>());
        var categoryList = categories.Select(c => (Id: c["id"]!.GetValue<int>(), Subject: subjectOfName.GetValueOrDefault(c["subject"]!.GetValue<string>()),
            SubCategories: c["subcategories"]!.AsArray().Select(s => s!["id"]!.GetValue<int>()).ToList())).OrderBy(c => c.Id).ToList();
        var subCategoryIds = categoryList.SelectMany(c => c.SubCategories).Order().ToList();

        var pages = new List<string>();
        const string List = "/api/dashboard/recent-questions/";
        foreach (var g in groupIds)
        {
            pages.Add($"{List}?group__id={g}");
            pages.Add($"{List}?group__id={g}&page=2");
            pages.Add($"{List}?group__id={g}&type={Types[g % 4]}");
        }

        foreach (var (s, i) in subjectList.Select((s, i) => (s.Id, i)))
        {
            pages.Add($"{List}?subject__id={s}");
            pages.Add($"{List}?subject__id={s}&level={Levels[i % 3]}");
            pages.Add($"{List}?subject__id={s}&page=3&page_size=50");
        }

        foreach (var (c, i) in Spread(categoryList.Select(c => c.Id).ToList(), 16).Select((c, i) => (c, i)))
        {
            pages.Add($"{List}?category__id={c}");
            pages.Add($"{List}?category__id={c}&type={Types[i % 4]}");
        }

        foreach (var (sc, i) in Spread(subCategoryIds, 16).Select((sc, i) => (sc, i)))
        {
            pages.Add($"{List}?subcategory__id={sc}");
            pages.Add($"{List}?subcategory__id={sc}&level={Levels[i % 3]}");
            pages.Add($"{List}?subcategory__id={sc}&page=2");
        }

        pages.Add($"{List}?page=last");
        pages.Add($"{List}?level=advance&page=last");

        var practising = QuizStudent.Read(practiceFile).Take(practiceStudents).ToList();
        // Practice waits while a student is taking a quiz: the practising students hand theirs in first.
        foreach (var student in practising)
        {
            await client.FetchAsync(LoadClient.WithJson(HttpMethod.Post, $"/api/attempts/{student.Attempt}/submit/", student.Token, "{}"));
        }

        var practice = practising.Select((p, i) =>
        {
            var subject = subjectList[i % subjectList.Count];
            var filter = new JsonObject { ["group_id"] = subject.Group, ["subject_id"] = subject.Id };
            if (i % 3 == 1)
            {
                filter["levels"] = new JsonArray(Levels[i % 3]);
            }
            else if (i % 3 == 2 && categoryList.Where(c => c.Subject == subject.Id).Select(c => c.Id).ToList() is { Count: > 0 } inSubject)
            {
                filter["category_ids"] = new JsonArray(inSubject[i % inSubject.Count]);
            }

            return new PracticeStudent(p.Token, filter.ToJsonString());
        }).ToList();

        // The newest questions: far from the quizzes' (quiz-load takes the oldest), so an edit never meets an attempt.
        var total = JsonNode.Parse(await client.FetchAsync(LoadClient.Get("/api/dashboard/", token)))!["total_questions"]!.GetValue<int>();
        var edited = new List<EditedQuestion>();
        for (var id = total; id > 0 && edited.Count < 10 && id > total - 50; id--)
        {
            try
            {
                var question = JsonNode.Parse(await client.FetchAsync(LoadClient.Get($"/api/dashboard/question/{id}/", token)))!;
                var metadata = question["metadata"]!.AsObject();
                if (metadata["question"]?.GetValueKind() == JsonValueKind.String)
                {
                    edited.Add(new EditedQuestion(id, metadata, metadata["question"]!.GetValue<string>()));
                }
            }
            catch (InvalidOperationException)
            {
                // Not there (deleted) or not readable: take the next one.
            }
        }

        if (edited.Count == 0)
        {
            throw new InvalidOperationException("No question to edit among the newest 50.");
        }

        return new School
        {
            StaffToken = token,
            BankPages = pages,
            Answering = QuizStudent.Read(answersFile),
            Practising = practice,
            Edited = edited,
        };
    }

    /// <summary>The body of the teacher's <paramref name="n"/>th save: the question's text with a mark of the save.</summary>
    public static string EditBody(EditedQuestion question, long n)
    {
        var metadata = question.Metadata.DeepClone().AsObject();
        metadata["question"] = $"{question.Text} (edit {n})";
        return new JsonObject { ["metadata"] = metadata }.ToJsonString();
    }

    /// <summary>Every item of a list, following its <c>next</c> links.</summary>
    private static async Task<List<JsonNode>> AllAsync(LoadClient client, string token, string path)
    {
        var items = new List<JsonNode>();
        string? next = path;
        while (next is not null)
        {
            var page = JsonNode.Parse(await client.FetchAsync(LoadClient.Get(next, token)))!;
            items.AddRange(page["results"]!.AsArray().Select(n => n!));
            next = page["next"]?.GetValue<string>() is { } link ? new Uri(link).PathAndQuery : null;
        }

        return items;
    }

    private static List<int> Spread(List<int> ids, int count) =>
        ids.Count <= count ? ids : Enumerable.Range(0, count).Select(i => ids[i * ids.Count / count]).ToList();
}
