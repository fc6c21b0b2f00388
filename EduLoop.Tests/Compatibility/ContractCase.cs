using System.Text.Json.Nodes;
using EduLoop.Tests.Infrastructure;

namespace EduLoop.Tests.Compatibility;

/// <summary>
/// One exchange recorded from the original service (<c>../shared/corpus/django-contract/cases.jsonl</c>):
/// the request as it was sent, with placeholders, and the answer it got.
/// </summary>
public sealed record ContractCase(int N, bool Setup, string Name, JsonObject Request, JsonObject Response, bool Random, string? Note)
{
    public static readonly string Folder = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryPaths.Root, "..", "shared", "corpus", "django-contract"));

    private static readonly Lazy<IReadOnlyList<ContractCase>> _all = new(Load);

    public static IReadOnlyList<ContractCase> All => _all.Value;

    public string Method => Request["method"]!.GetValue<string>();

    public string Path => Request["path"]!.GetValue<string>();

    public string? Authorization => Request["authorization"]?.GetValue<string>();

    public JsonObject RequestHeaders => Request["headers"]!.AsObject();

    public string RequestBodyFormat => Request["body_format"]!.GetValue<string>();

    public int Status => Response["status"]!.GetValue<int>();

    public JsonObject ResponseHeaders => Response["headers"]!.AsObject();

    public string ResponseBodyFormat => Response["body_format"]!.GetValue<string>();

    public JsonNode? ResponseBody => Response["body"];

    /// <summary>For a random draw: the ids its note says the draw comes from.</summary>
    public IReadOnlyList<int> Pool =>
        Note is { } note && note.IndexOf('[', StringComparison.Ordinal) is var start and >= 0
            ? note[(start + 1)..note.IndexOf(']', start)].Split(',').Select(s => int.Parse(s.Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList()
            : [];

    public override string ToString() => $"{N} {Method} {Path}: {Name}";

    private static List<ContractCase> Load() =>
        File.ReadLines(System.IO.Path.Combine(Folder, "cases.jsonl"))
            .Where(line => line.Length > 0)
            .Select(line => JsonNode.Parse(line)!.AsObject())
            .Select(c => new ContractCase(
                c["n"]!.GetValue<int>(),
                c["step"]!.GetValue<string>() == "setup",
                c["name"]!.GetValue<string>(),
                c["request"]!.AsObject(),
                c["response"]!.AsObject(),
                c["random"]?.GetValue<bool>() ?? false,
                c["note"]?.GetValue<string>()))
            .OrderBy(c => c.N)
            .ToList();
}
