using System.Globalization;

using EduLoop.Domain.QuestionBank;

namespace EduLoop.Domain.Data.Seeding;

/// <summary>
/// The demo school's bank: a believable hierarchy and questions of every type, generated from
/// templates with a fixed seed so every fresh install shows the same bank.
/// </summary>
public static class DemoBank
{
    private static readonly string[] _stages = ["Foundations", "Worked examples", "Applications", "Exam practice"];

    private static readonly (string Group, string Description, (string Subject, string[] Categories)[] Subjects)[] _catalog =
    [
        ("Mathematics", "Number, algebra, geometry and calculus for years 7 to 13.",
        [
            ("Algebra", ["Linear equations", "Quadratic equations", "Expressions and powers", "Sequences", "Inequalities"]),
            ("Geometry", ["Angles and polygons", "Area and perimeter", "Circles", "Pythagoras", "Transformations"]),
            ("Calculus", ["Limits", "Differentiation", "Integration", "Rates of change", "Series"]),
        ]),
        ("Natural Sciences", "Physics, chemistry and biology from lower secondary to exam level.",
        [
            ("Physics", ["Motion", "Forces", "Energy", "Electricity", "Waves"]),
            ("Chemistry", ["Atomic structure", "The periodic table", "Acids and bases", "Chemical reactions", "Organic chemistry"]),
            ("Biology", ["Cells", "Genetics", "Ecology", "Human body", "Plants"]),
        ]),
        ("Languages and Humanities", "English language and literature, and history.",
        [
            ("English", ["Grammar", "Vocabulary", "Reading comprehension", "Writing", "Literature"]),
            ("History", ["Ancient world", "Middle Ages", "Early modern Europe", "Industrial revolution", "Twentieth century"]),
        ]),
    ];

    public static TaxonomyDraft Taxonomy()
    {
        var groups = new List<(string, string)>();
        var subjects = new List<(int, string, string)>();
        var categories = new List<(int, string)>();
        var subCategories = new List<(int, string)>();
        foreach (var (group, description, subjectList) in _catalog)
        {
            groups.Add((group, description));
            foreach (var (subject, categoryNames) in subjectList)
            {
                subjects.Add((groups.Count - 1, subject, $"{subject} questions for all levels."));
                foreach (var category in categoryNames)
                {
                    categories.Add((subjects.Count - 1, category));
                    // Four stages per category; the last category of each subject has three.
                    var stages = category == categoryNames[^1] ? _stages[..3] : _stages;
                    foreach (var stage in stages)
                    {
                        subCategories.Add((categories.Count - 1, stage));
                    }
                }
            }
        }

        return new TaxonomyDraft(groups, subjects, categories, subCategories);
    }

    /// <summary><paramref name="count"/> questions spread over the subcategories of <see cref="Taxonomy"/>.</summary>
    public static IEnumerable<QuestionDraft> Questions(int count, int seed = 2026)
    {
        var taxonomy = Taxonomy();
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var subCategory = i % taxonomy.SubCategories.Count;
            var category = taxonomy.SubCategories[subCategory].Category;
            var subject = taxonomy.Categories[category].Subject;
            var subjectName = taxonomy.Subjects[subject].Name;
            var categoryName = taxonomy.Categories[category].Name;
            var type = PickType(random);
            var level = (QuestionLevel)random.Next(3);
            var (stem, body) = Make(subjectName, categoryName, type, level, random);
            yield return new QuestionDraft(subCategory, type, level, stem, body, [Slug(subjectName), Slug(categoryName)]);
        }
    }

    // A real bank leans on single choice; every type is there, none is rare enough to miss.
    private static readonly (QuestionType Type, int Weight)[] _typeWeights =
    [
        (QuestionType.Mcq, 30), (QuestionType.McqMulti, 12), (QuestionType.TrueFalse, 14), (QuestionType.FillBlank, 12),
        (QuestionType.Math, 14), (QuestionType.Matching, 6), (QuestionType.Writing, 7), (QuestionType.Description, 5),
    ];

    private static QuestionType PickType(Random random)
    {
        var roll = random.Next(_typeWeights.Sum(t => t.Weight));
        foreach (var (type, weight) in _typeWeights)
        {
            if (roll < weight)
            {
                return type;
            }

            roll -= weight;
        }

        return QuestionType.Mcq;
    }

    private static string Slug(string name) => name.ToLowerInvariant().Replace(' ', '-');

    private static (string Stem, QuestionBody Body) Make(string subject, string category, QuestionType type, QuestionLevel level, Random r) =>
        type switch
        {
            QuestionType.Mcq => SingleChoice(subject, category, level, r),
            QuestionType.McqMulti => MultipleChoice(subject, r),
            QuestionType.TrueFalse => TrueFalse(subject, r),
            QuestionType.FillBlank => FillBlank(subject, r),
            QuestionType.Math => Numeric(subject, level, r),
            QuestionType.Matching => Matching(subject, r),
            QuestionType.Writing => Essay(subject, category, r),
            _ => Description(subject, category, r),
        };

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static (string, QuestionBody) SingleChoice(string subject, string category, QuestionLevel level, Random r)
    {
        switch (subject)
        {
            case "Algebra" or "Geometry" or "Calculus":
                {
                    var a = r.Next(2, 10 + 5 * (int)level);
                    var b = r.Next(1, 20);
                    var x = r.Next(-9, 13);
                    var c = a * x + b;
                    return ($"Solve for $x$:\n\n$${a}x + {b} = {c}$$",
                        Choices($"$x = {x}$", $"$x = {x + 1}$", $"$x = {-x}$", $"$x = {N((double)(c + b) / a)}$",
                            feedback: $"Subtract {b} from both sides, then divide by {a}."));
                }

            case "Physics":
                {
                    var d = r.Next(2, 60) * 10;
                    var t = r.Next(2, 20);
                    return ($"A cyclist covers {d} m in {t} s at constant speed. What is the cyclist's speed?",
                        Choices($"{N((double)d / t)} m/s", $"{N((double)d * t)} m/s", $"{N((double)t / d)} m/s", $"{N((double)d / t + 2)} m/s",
                            feedback: "Speed is distance divided by time: $v = \\frac{s}{t}$."));
                }

            case "Chemistry":
                {
                    var (element, symbol, number) = Pick(r, _elements);
                    return ($"What is the atomic number of **{element}** ({symbol})?",
                        Choices($"{number}", $"{number + 1}", $"{number * 2}", $"{Math.Max(1, number - 2)}",
                            feedback: $"{element} has {number} protons in its nucleus."));
                }

            case "Biology":
                {
                    var (organelle, function) = Pick(r, _organelles);
                    var others = _organelles.Where(o => o.Item1 != organelle).OrderBy(_ => r.Next()).Take(3).Select(o => o.Item1).ToArray();
                    return ($"Which part of the cell is responsible for {function}?",
                        Choices(organelle, others[0], others[1], others[2], feedback: $"The {organelle.ToLowerInvariant()} is responsible for {function}."));
                }

            case "English":
                {
                    var (word, synonym, distractors) = Pick(r, _synonyms);
                    return ($"Choose the word closest in meaning to *{word}*.",
                        Choices(synonym, distractors[0], distractors[1], distractors[2], feedback: $"*{word}* and *{synonym}* mean nearly the same."));
                }

            default:
                {
                    var (year, evt) = Pick(r, _events);
                    return ($"In which year did this happen: {evt}?",
                        Choices($"{year}", $"{year + r.Next(5, 30)}", $"{year - r.Next(5, 30)}", $"{year + r.Next(31, 80)}",
                            feedback: $"{evt} — {year}. ({category})"));
                }
        }
    }

    private static (string, QuestionBody) MultipleChoice(string subject, Random r)
    {
        if (subject is "Algebra" or "Geometry" or "Calculus" or "Physics")
        {
            var n = r.Next(12, 60);
            var divisors = Enumerable.Range(2, 9).Where(d => n % d == 0).ToList();
            if (divisors.Count < 2)
            {
                n = 36;
                divisors = [2, 3, 4, 6, 9];
            }

            var options = divisors.Take(3).Concat(Enumerable.Range(2, 9).Where(d => n % d != 0).Take(2)).ToList();
            var correct = options.Count(o => n % o == 0);
            var body = new QuestionBody
            {
                Choices = options
                    .Select(o => new Choice($"{o}", n % o == 0 ? Math.Round(1m / correct, 5) : -0.5m))
                    .ToList(),
                GeneralFeedback = $"A divisor of {n} leaves no remainder.",
            };
            return ($"Select **every** number that divides {n} exactly.", body);
        }

        var (groupName, members, nonMembers) = Pick(r, _sets);
        var chosen = members.OrderBy(_ => r.Next()).Take(3).ToList();
        var wrong = nonMembers.OrderBy(_ => r.Next()).Take(2).ToList();
        var multi = new QuestionBody
        {
            Choices = chosen.Select(m => new Choice(m, Math.Round(1m / chosen.Count, 5)))
                .Concat(wrong.Select(w => new Choice(w, -0.5m, $"{w} is not one of the {groupName}.")))
                .OrderBy(_ => r.Next())
                .ToList(),
        };
        return ($"Which of these are {groupName}? Select all that apply.", multi);
    }

    private static (string, QuestionBody) TrueFalse(string subject, Random r)
    {
        var (statement, isTrue, why) = subject switch
        {
            "Algebra" or "Calculus" or "Geometry" => Pick(r, _mathFacts),
            "Physics" or "Chemistry" or "Biology" => Pick(r, _scienceFacts),
            _ => Pick(r, _humanitiesFacts),
        };
        return ($"True or false: {statement}", new QuestionBody
        {
            TrueFalseAnswer = isTrue,
            TrueFeedback = isTrue ? "Correct. " + why : why,
            FalseFeedback = isTrue ? why : "Correct. " + why,
        });
    }

    private static (string, QuestionBody) FillBlank(string subject, Random r)
    {
        switch (subject)
        {
            case "Chemistry" or "Physics" or "Biology":
                {
                    var (element, symbol, _) = Pick(r, _elements);
                    return ($"The chemical symbol of {element} is ____.",
                        new QuestionBody { AcceptedAnswers = [new AcceptedAnswer(symbol)], CaseSensitive = true });
                }

            case "English" or "History":
                {
                    var (verb, past) = Pick(r, _verbs);
                    return ($"Write the simple past of the verb *{verb}*.\n\n> Yesterday we ____ after school.",
                        new QuestionBody { AcceptedAnswers = [new AcceptedAnswer(past)] });
                }

            default:
                {
                    var a = r.Next(2, 9);
                    var b = r.Next(2, 9);
                    return ($"Simplify $x^{{{a}}} \\cdot x^{{{b}}}$ and write the exponent only: $x^{{\\_\\_}}$",
                        new QuestionBody { AcceptedAnswers = [new AcceptedAnswer($"{a + b}")], GeneralFeedback = "Multiply powers of the same base by adding the exponents." });
                }
        }
    }

    private static (string, QuestionBody) Numeric(string subject, QuestionLevel level, Random r)
    {
        switch (subject)
        {
            case "Geometry":
                {
                    var radius = r.Next(2, 15);
                    return ($"A circle has radius {radius} cm. What is its area in cm², to one decimal place?\n\n$$A = \\pi r^2$$",
                        Numeric(Math.Round(Math.PI * radius * radius, 1), 0.1));
                }

            case "Calculus":
                {
                    var a = r.Next(2, 7);
                    var n = r.Next(2, 5);
                    var x = r.Next(1, 4);
                    return ($"Let $f(x) = {a}x^{{{n}}}$. Evaluate $f'({x})$.", Numeric(a * n * Math.Pow(x, n - 1), 0));
                }

            case "Physics" or "Chemistry" or "Biology":
                {
                    var m = r.Next(2, 50);
                    var acc = r.Next(1, 10);
                    return ($"A force accelerates a {m} kg trolley at {acc} m/s². What is the force in newtons?\n\n$$F = m \\cdot a$$",
                        Numeric(m * acc, 0.5));
                }

            case "History" or "English":
                {
                    var start = r.Next(1500, 1900);
                    var length = r.Next(3, 120);
                    return ($"A reign began in {start} and ended in {start + length}. How many years did it last?", Numeric(length, 0));
                }

            default:
                {
                    var a = r.Next(1, 6 + 4 * (int)level);
                    var b = r.Next(1, 12);
                    return ($"What is the positive solution of $x^2 = {a * a + 0 * b}$?", Numeric(a, 0));
                }
        }
    }

    private static (string, QuestionBody) Matching(string subject, Random r)
    {
        var pairs = subject switch
        {
            "Chemistry" or "Physics" => _elements.OrderBy(_ => r.Next()).Take(4).Select(e => new MatchPair(e.Item1, e.Item2)).ToList(),
            "Biology" => _organelles.OrderBy(_ => r.Next()).Take(4).Select(o => new MatchPair(o.Item1, o.Item2)).ToList(),
            "History" => _events.OrderBy(_ => r.Next()).Take(4).Select(e => new MatchPair(e.Item2, $"{e.Item1}")).ToList(),
            "English" => _verbs.OrderBy(_ => r.Next()).Take(4).Select(v => new MatchPair(v.Item1, v.Item2)).ToList(),
            _ => _shapes.OrderBy(_ => r.Next()).Take(4).Select(s => new MatchPair(s.Item1, $"{s.Item2}")).ToList(),
        };
        var prompt = subject switch
        {
            "Chemistry" or "Physics" => "Match each element with its symbol.",
            "Biology" => "Match each part of the cell with what it does.",
            "History" => "Match each event with its year.",
            "English" => "Match each verb with its simple past.",
            _ => "Match each shape with its number of sides.",
        };
        return (prompt, new QuestionBody { Pairs = pairs });
    }

    private static (string, QuestionBody) Essay(string subject, string category, Random r)
    {
        var prompts = new[]
        {
            $"Explain in your own words one idea from **{category}** that you found difficult, and how you overcame it.",
            $"Write a short paragraph (about 150 words) explaining a key concept of {category.ToLowerInvariant()} to a younger student.",
            $"Describe a real-world situation where {subject.ToLowerInvariant()} — in particular {category.ToLowerInvariant()} — is useful.",
        };
        return (prompts[r.Next(prompts.Length)], new QuestionBody { GeneralFeedback = "Graded by your teacher: clarity, accuracy and examples." });
    }

    private static (string, QuestionBody) Description(string subject, string category, Random r)
    {
        var openers = new[]
        {
            $"## {category}\n\nThe next questions practise **{category.ToLowerInvariant()}** in {subject}. Read each one carefully and show your working on paper.",
            $"## Before you start\n\nThis section of {subject} covers {category.ToLowerInvariant()}. You may use a calculator unless a question says otherwise.",
        };
        return (openers[r.Next(openers.Length)], new QuestionBody());
    }

    private static QuestionBody Choices(string correct, string b, string c, string d, string? feedback = null)
    {
        var choices = new List<Choice> { new(correct, 1m), new(b, 0m), new(c, 0m), new(d, 0m) };
        // Wrong choices may repeat the right one for small numbers; keep them distinct.
        var distinct = choices.DistinctBy(x => x.Text).ToList();
        for (var i = 1; distinct.Count < 4; i++)
        {
            distinct.Add(new Choice($"None of these ({i})", 0m));
        }

        return new QuestionBody { Choices = distinct, GeneralFeedback = feedback };
    }

    private static QuestionBody Numeric(double value, double tolerance) =>
        new() { NumericAnswers = [new NumericAnswer(value, tolerance)] };

    private static T Pick<T>(Random r, IReadOnlyList<T> items) => items[r.Next(items.Count)];

    private static readonly (string, string, int)[] _elements =
    [
        ("Hydrogen", "H", 1), ("Helium", "He", 2), ("Carbon", "C", 6), ("Nitrogen", "N", 7), ("Oxygen", "O", 8),
        ("Sodium", "Na", 11), ("Magnesium", "Mg", 12), ("Aluminium", "Al", 13), ("Chlorine", "Cl", 17),
        ("Potassium", "K", 19), ("Calcium", "Ca", 20), ("Iron", "Fe", 26), ("Copper", "Cu", 29), ("Silver", "Ag", 47), ("Gold", "Au", 79),
    ];

    private static readonly (string, string)[] _organelles =
    [
        ("Nucleus", "controlling the cell's activities"), ("Mitochondrion", "releasing energy in respiration"),
        ("Ribosome", "making proteins"), ("Chloroplast", "photosynthesis"), ("Cell membrane", "controlling what enters and leaves"),
        ("Vacuole", "storing cell sap"), ("Cell wall", "supporting the cell"),
    ];

    private static readonly (string, string, string[])[] _synonyms =
    [
        ("rapid", "quick", ["quiet", "rare", "heavy"]), ("ancient", "very old", ["angry", "modern", "tiny"]),
        ("reluctant", "unwilling", ["eager", "loud", "careful"]), ("vivid", "bright", ["dull", "brief", "vague"]),
        ("abundant", "plentiful", ["scarce", "absent", "bitter"]), ("fragile", "delicate", ["sturdy", "heavy", "flexible"]),
        ("candid", "frank", ["secretive", "sweet", "careless"]), ("diligent", "hard-working", ["lazy", "clever", "lucky"]),
    ];

    private static readonly (int, string)[] _events =
    [
        (1066, "the Battle of Hastings"), (1215, "the sealing of Magna Carta"), (1453, "the fall of Constantinople"),
        (1492, "Columbus's first voyage across the Atlantic"), (1517, "Luther's Ninety-five Theses"), (1648, "the Peace of Westphalia"),
        (1789, "the storming of the Bastille"), (1815, "the Battle of Waterloo"), (1848, "revolutions across Europe"),
        (1914, "the outbreak of the First World War"), (1945, "the end of the Second World War"), (1969, "the first Moon landing"),
        (1989, "the fall of the Berlin Wall"),
    ];

    private static readonly (string, string[], string[])[] _sets =
    [
        ("noble gases", ["Helium", "Neon", "Argon", "Krypton"], ["Oxygen", "Sodium", "Iron"]),
        ("mammals", ["Whale", "Bat", "Dolphin", "Horse"], ["Shark", "Penguin", "Frog"]),
        ("nouns", ["table", "happiness", "river", "teacher"], ["quickly", "run", "beautiful"]),
        ("Roman emperors", ["Augustus", "Nero", "Trajan", "Hadrian"], ["Charlemagne", "Pericles", "Napoleon"]),
    ];

    private static readonly (string, bool, string)[] _mathFacts =
    [
        ("$(a + b)^2 = a^2 + b^2$ for all real numbers $a$ and $b$.", false, "$(a + b)^2 = a^2 + 2ab + b^2$."),
        ("The angles of a triangle add up to $180^\\circ$.", true, "This holds for every triangle in the plane."),
        ("$\\sqrt{2}$ is a rational number.", false, "$\\sqrt{2}$ cannot be written as a fraction of integers."),
        ("The derivative of $\\sin x$ is $\\cos x$.", true, "$\\frac{d}{dx}\\sin x = \\cos x$."),
        ("Every prime number is odd.", false, "2 is prime and even."),
    ];

    private static readonly (string, bool, string)[] _scienceFacts =
    [
        ("Sound travels faster than light.", false, "Light is about a million times faster."),
        ("Water boils at 100 °C at sea level.", true, "At standard pressure water boils at 100 °C."),
        ("Plants release oxygen during photosynthesis.", true, "Oxygen is a product of photosynthesis."),
        ("An acid has a pH greater than 7.", false, "Acids have a pH below 7."),
        ("Electrons carry a positive charge.", false, "Electrons are negatively charged."),
    ];

    private static readonly (string, bool, string)[] _humanitiesFacts =
    [
        ("Shakespeare wrote *Hamlet*.", true, "*Hamlet* was written around 1600."),
        ("The Berlin Wall fell in 1989.", true, "It fell on 9 November 1989."),
        ("\"Their\" and \"there\" mean the same.", false, "\"Their\" shows possession; \"there\" refers to a place."),
        ("The Roman Empire ended in the year 1000.", false, "The western empire ended in 476."),
    ];

    private static readonly (string, string)[] _verbs =
    [
        ("go", "went"), ("see", "saw"), ("write", "wrote"), ("bring", "brought"), ("think", "thought"),
        ("swim", "swam"), ("build", "built"), ("teach", "taught"), ("choose", "chose"),
    ];

    private static readonly (string, int)[] _shapes =
    [
        ("Triangle", 3), ("Square", 4), ("Pentagon", 5), ("Hexagon", 6), ("Heptagon", 7), ("Octagon", 8), ("Decagon", 10),
    ];
}
