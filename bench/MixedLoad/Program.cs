using System.Diagnostics;
using System.Globalization;
using MixedLoad;

// bench/mixed.sh runs this against the published app (see the script for what it measures):
//   MixedLoad --base URL --email E --password-file F --answers FILE --practice FILE [--app-pid PID]
//             [--seconds 60] [--rounds 3] [--warmup 10] [--mode all|day|after-write] [--after-write 300]
//             [--lists 400] [--filtered 300] [--pages 300] [--practice-steps 200] [--practice-answers 200] [--answers-rate 500]
//             [--edit-every 2] [--steps-per-session 10] [--practice-students N] [--connections 2048] [--timeout 10] [--timeline 1]
// Rates are requests per second; --answers-rate 0, --practice-steps 0, --practice-answers 0 or --edit-every 0
// leave that writer out. A practice answer answers the question the student's last step showed, once.
// --timeline 1 adds, per round, the slowest request of each kind in each second of the mixed phase.
var options = Options.Parse(args);
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
ThreadPool.SetMinThreads(Math.Max(64, Environment.ProcessorCount * 8), 64);

var seconds = TimeSpan.FromSeconds(options.Number("seconds", 60));
var rounds = (int)options.Number("rounds", 3);
var warmup = TimeSpan.FromSeconds(options.Number("warmup", 10));
var mode = options.Text("mode", "all");
var timeout = TimeSpan.FromSeconds(options.Number("timeout", 10));
var editEvery = options.Number("edit-every", 2);
var rates = new Rates(
    FiveLists: options.Number("lists", 400),
    Filtered: options.Number("filtered", 300),
    BankPages: options.Number("pages", 300),
    PracticeSteps: options.Number("practice-steps", 200),
    PracticeAnswers: options.Number("practice-answers", 200),
    AnswerSaves: options.Number("answers-rate", 500),
    EditsPerSecond: editEvery > 0 ? 1 / editEvery : 0,
    StepsPerSession: (int)options.Number("steps-per-session", 10));
int? appPid = options.Has("app-pid") ? (int)options.Number("app-pid", 0) : null;

using var client = new LoadClient(new Uri(options.Text("base")), (int)options.Number("connections", 2048), timeout);
var school = await School.ReadAsync(client, options.Text("email"), File.ReadAllText(options.Text("password-file")).Trim(),
    options.Text("answers"), options.Text("practice"), (int)options.Number("practice-students", int.MaxValue));
var day = new SchoolDay(client, school, rates);
var report = new Report(rates, seconds, options.Number("timeline", 0) > 0);

Console.WriteLine($"# A school day at once: open loop, {seconds.TotalSeconds:0} s per phase");
Console.WriteLine();
Console.WriteLine($"Rates per second: the five lists {rates.FiveLists}, filtered staff lists {rates.Filtered} (over {School.FilteredLists.Length} URLs), " +
    $"bank pages {rates.BankPages} (over {school.BankPages.Count} URLs); practice steps {rates.PracticeSteps} " +
    $"({school.Practising.Count} students, a new session every {rates.StepsPerSession} steps), practice answers {rates.PracticeAnswers}, answer saves {rates.AnswerSaves} " +
    $"({school.Answering.Count} students), a teacher's edit every {editEvery} s (questions {string.Join(", ", school.Edited.Select(e => e.Id))}) " +
    $"followed by one read of each filtered list.");
Console.WriteLine();

// Every read URL once, so that the first phase does not pay for the first loads and the JIT.
var prime = new Phase("prime", Stopwatch.GetTimestamp(), TimeSpan.Zero);
foreach (var path in School.FiveLists.Concat(School.FilteredLists).Concat(school.BankPages))
{
    await day.Read(prime, "prime", Stopwatch.GetTimestamp(), path);
}

if (prime["prime"].ErrorCount > 0)
{
    Console.WriteLine($"Priming the caches failed: {string.Join("; ", prime["prime"].ErrorSamples)}");
    return 1;
}

if (mode is "all" or "day")
{
    if (warmup > TimeSpan.Zero)
    {
        var (warm, _) = RunPhase("warm-up (mixed)", day.Mixed, warmup);
        Console.WriteLine($"Warm-up, {warmup.TotalSeconds:0} s mixed: {warm.Order.Sum(k => warm[k].Ok)} answered, {warm.Order.Sum(k => warm[k].ErrorCount)} errors.");
        foreach (var kind in warm.Order.Where(k => warm[k].ErrorCount > 0))
        {
            Console.WriteLine($"  warm-up errors, {kind}: {string.Join(", ", warm[kind].Errors.Select(e => $"{e.Key}: {e.Value}"))}; e.g. {string.Join(" | ", warm[kind].ErrorSamples)}");
        }

        Console.WriteLine();
    }

    for (var round = 1; round <= rounds; round++)
    {
        // Alternate the order, so that neither phase always runs on a warmer (or more fragmented) server.
        var mixedFirst = round % 2 == 1;
        Phase mixed = null!, alone = null!;
        string mixedCpu = "", aloneCpu = "";
        foreach (var which in mixedFirst ? new[] { "mixed", "alone" } : ["alone", "mixed"])
        {
            if (which == "mixed")
            {
                (mixed, mixedCpu) = RunPhase($"round {round}, mixed", day.Mixed, seconds);
            }
            else
            {
                (alone, aloneCpu) = RunPhase($"round {round}, reads alone", day.Reads, seconds);
            }
        }

        report.AddRound(round, mixedFirst, mixed, alone, mixedCpu, aloneCpu);
        Console.WriteLine(report.Round(round));
    }

    Console.WriteLine(report.Medians());
}

if (mode is "all" or "after-write")
{
    var iterations = (int)options.Number("after-write", 300);
    Console.WriteLine(await AfterWrite.RunAsync(day, school, iterations));
}

return 0;

(Phase Phase, string Cpu) RunPhase(string name, IReadOnlyList<RequestKind> kinds, TimeSpan duration)
{
    if (kinds.All(k => k.Rate <= 0))
    {
        return (new Phase(name, Stopwatch.GetTimestamp(), TimeSpan.Zero), "not run");
    }

    day.NewPhase();
    // A pause between phases: the previous phase's stragglers and the server's background work (WAL checkpoints) settle.
    Thread.Sleep(2000);
    var before = CpuSample.Take(appPid);
    var phase = new Phase(name, Stopwatch.GetTimestamp() + Stopwatch.Frequency / 20, duration);
    var dispatcher = new Thread(() => Dispatcher.Run(phase, kinds, timeout + TimeSpan.FromSeconds(2))) { Name = "dispatcher", IsBackground = true };
    dispatcher.Start();
    dispatcher.Join();
    var cpu = CpuSample.Describe(before, CpuSample.Take(appPid));
    if (phase.InFlight > 0)
    {
        Console.WriteLine($"{name}: {phase.InFlight} requests still out after the drain.");
    }

    // A server that fell behind works off its queue after the phase, whether or not anyone still
    // waits: the next phase starts only when a cached list is quick again, so it does not inherit it.
    var settled = Settle();
    if (settled > TimeSpan.FromSeconds(1))
    {
        cpu += $"; after the phase the server needed {settled.TotalSeconds:0} s before a cached list was quick again";
    }

    return (phase, cpu);
}

TimeSpan Settle()
{
    var started = Stopwatch.StartNew();
    var quick = 0;
    while (quick < 3 && started.Elapsed < TimeSpan.FromMinutes(10))
    {
        var probe = new Phase("settle", Stopwatch.GetTimestamp(), TimeSpan.Zero);
        var sent = Stopwatch.GetTimestamp();
        day.Read(probe, "settle", sent, School.FiveLists[0]).GetAwaiter().GetResult();
        var ok = probe["settle"].ErrorCount == 0 && Clock.Seconds(Stopwatch.GetTimestamp() - sent) < 0.05;
        quick = ok ? quick + 1 : 0;
        Thread.Sleep(ok ? 100 : 1000);
    }

    return started.Elapsed;
}

/// <summary><c>--name value</c> pairs.</summary>
internal sealed class Options(Dictionary<string, string> values)
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Expected --name value, found \"{args[i]}\".");
            }

            values[args[i][2..]] = args[i + 1];
        }

        return new Options(values);
    }

    public bool Has(string name) => values.ContainsKey(name);

    public string Text(string name, string? fallback = null) =>
        values.GetValueOrDefault(name) ?? fallback ?? throw new ArgumentException($"--{name} is required.");

    public double Number(string name, double fallback) =>
        values.TryGetValue(name, out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
