using EduLoop.Domain.QuestionBank;

namespace EduLoop.Domain.Data.Seeding;

/// <summary>
/// A large bank for benchmarks, shaped like the original service's load test: by default 10
/// groups, 50 subjects, 200 categories and 1,000 subcategories, with questions spread evenly.
/// </summary>
public static class SyntheticBank
{
    private static readonly string[] _words =
    [
        "energy", "triangle", "river", "equation", "empire", "molecule", "sentence", "climate", "vector", "market",
        "cell", "poem", "force", "fraction", "treaty", "orbit", "enzyme", "angle", "verb", "border",
    ];

    public static TaxonomyDraft Taxonomy(int groups = 10, int subjectsPerGroup = 5, int categoriesPerSubject = 4, int subCategoriesPerCategory = 5)
    {
        var groupList = Enumerable.Range(1, groups).Select(g => ($"Group {g:D2}", $"Synthetic group {g}")).ToList();
        var subjects = new List<(int, string, string)>();
        var categories = new List<(int, string)>();
        var subCategories = new List<(int, string)>();
        for (var g = 0; g < groups; g++)
        {
            for (var s = 1; s <= subjectsPerGroup; s++)
            {
                subjects.Add((g, $"Subject {g + 1:D2}.{s}", ""));
                for (var c = 1; c <= categoriesPerSubject; c++)
                {
                    categories.Add((subjects.Count - 1, $"Category {g + 1:D2}.{s}.{c}"));
                    for (var sc = 1; sc <= subCategoriesPerCategory; sc++)
                    {
                        subCategories.Add((categories.Count - 1, $"Subcategory {g + 1:D2}.{s}.{c}.{sc}"));
                    }
                }
            }
        }

        return new TaxonomyDraft(groupList, subjects, categories, subCategories);
    }

    /// <summary>Multiple-choice questions of realistic size (a stem of about 120 characters, four choices).</summary>
    public static IEnumerable<QuestionDraft> Questions(int count, int subCategoryCount, int seed = 7)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var a = _words[random.Next(_words.Length)];
            var b = _words[random.Next(_words.Length)];
            var x = random.Next(2, 99);
            var stem = $"Question {i + 1}: how does the {a} relate to the {b} when the value is ${x}$? Choose the best answer below.";
            var body = new QuestionBody
            {
                Choices =
                [
                    new Choice($"The {a} grows with the {b}", 1m),
                    new Choice($"The {a} shrinks as the {b} grows", 0m),
                    new Choice($"They are unrelated", 0m),
                    new Choice($"It depends on {x}", 0m),
                ],
            };
            yield return new QuestionDraft(i % subCategoryCount, QuestionType.Mcq, (QuestionLevel)(i % 3), stem, body, []);
        }
    }
}
