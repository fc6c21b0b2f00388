using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

// bench/circuits.sh runs this against a running app:
//   QuizCircuits BASE_URL LOAD_FILE PASSWORD APP_PID GCDUMP_TOOL [students] [rounds]
// 1. Memory: the app's managed heap (after a full collection, by dotnet-gcdump) and resident set with
//    no quiz page open, then with every student's quiz page open; the difference per circuit.
// 2. Latency: every student answers a question at the same moment, for several rounds; the time from
//    the click to the question's "Saved", measured in the page.
var (baseUrl, loadFile, password, pid, gcdump) = (args[0].TrimEnd('/') + "/", args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture), args[4]);
var count = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 100;
var rounds = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 5;
var students = File.ReadLines(loadFile).Select(l => l.Split('\t')).Take(count + 1).ToList();

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-timer-throttling", "--disable-renderer-backgrounding"],
});

async Task<IPage> OpenAsync(string[] student)
{
    var context = await browser.NewContextAsync(new() { BaseURL = baseUrl, ViewportSize = new() { Width = 800, Height = 900 } });
    context.SetDefaultTimeout(120_000);
    var page = await context.NewPageAsync();
    // Signed in straight onto the quiz page: one circuit per student, as when a student follows a link.
    await page.GotoAsync($"Account/Login?ReturnUrl=%2Fattempts%2F{student[2]}");
    await page.FillAsync("#Input\\.Email", student[0]);
    await page.FillAsync("#Input\\.Password", password);
    await page.ClickAsync("[data-testid=login-submit]");
    try
    {
        await page.WaitForURLAsync(new Regex($"/attempts/{student[2]}$"));
    }
    catch (TimeoutException)
    {
        throw new InvalidOperationException($"{student[0]} did not reach the quiz page: {page.Url}\n{await page.InnerTextAsync("body")}");
    }

    await page.WaitForSelectorAsync("body[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
    await page.WaitForSelectorAsync("[data-testid=question-1] label");
    return page;
}

(long Heap, long Resident) Memory(string name)
{
    var file = Path.Combine(Path.GetTempPath(), $"circuits-{Guid.NewGuid():N}.gcdump");
    Run(gcdump, $"collect -p {pid} -o {file}");
    var report = Run(gcdump, $"report {file}");
    File.Delete(file);
    // The heap by type, kept to see what a circuit holds.
    File.WriteAllText(Path.Combine("bench", "out", $"circuits-heap-{name}.txt"), report);
    // The report's total line: "<bytes>  GC Heap bytes".
    var heap = long.Parse(Regex.Match(report, @"([\d,]+)\s+GC Heap bytes").Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
    var resident = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return (heap, long.Parse(Regex.Match(resident, @"\d+").Value, CultureInfo.InvariantCulture) * 1024);
}

static string Run(string file, string arguments)
{
    using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
    var output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{file} {arguments}: {output}{process.StandardError.ReadToEnd()}");
}

// A first page warms the server (compilation, caches), then closes: its circuit does not count.
var warm = await OpenAsync(students[count]);
await warm.Locator("[data-testid=question-1] label").First.ClickAsync();
await warm.WaitForSelectorAsync("[data-testid=question-1] .take-question-state.saved");
await warm.Context.CloseAsync();
await Task.Delay(2000);
var before = Memory("before");

var watch = Stopwatch.StartNew();
var pages = new List<IPage>();
foreach (var batch in students.Take(count).Chunk(4))
{
    pages.AddRange(await Task.WhenAll(batch.Select(OpenAsync)));
}

Console.WriteLine($"{pages.Count} quiz pages open in {watch.Elapsed.TotalSeconds:0.0} s");
await Task.Delay(2000);
var after = Memory("after");
Report("right after opening", after);
// Each browser context also holds six or so keep-alive HTTP connections from loading the page; the
// server closes idle ones after its keep-alive timeout (130 s), leaving the circuit's own connection.
await Task.Delay(TimeSpan.FromSeconds(140));
Report("after the idle HTTP connections closed", Memory("settled"));

void Report(string when, (long Heap, long Resident) now)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{when}: managed heap {before.Heap / 1048576.0:0.0} MiB without quiz pages, {now.Heap / 1048576.0:0.0} MiB with {count}: {(now.Heap - before.Heap) / 1024.0 / count:0} KB per circuit"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{when}: resident set {before.Resident / 1048576.0:0.0} MiB, then {now.Resident / 1048576.0:0.0} MiB: {(now.Resident - before.Resident) / 1024.0 / count:0} KB per circuit"));
}

// CPU time in clock ticks (1/100 s): the server's (user + system, from /proc/PID/stat), and the whole
// machine's busy time (all but idle and I/O wait, from /proc/stat), to tell the server's share of a
// round from the browsers'.
long ServerTicks()
{
    var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
}

static long BusyTicks()
{
    var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
        .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
    return cpu.Sum() - cpu[3] - cpu[4];
}

const string Answer = """
    async ([position, spreadMs]) => {
        await new Promise(resolve => setTimeout(resolve, Math.random() * spreadMs));
        const question = document.querySelector(`[data-testid=question-${position}]`);
        const state = question.querySelector('.take-question-state');
        const labels = question.querySelectorAll('label.answer-choice');
        const label = labels[Math.floor(Math.random() * labels.length)];
        const start = performance.now();
        return await new Promise(resolve => {
            const timer = setTimeout(() => resolve(-1), 30000);
            const observer = new MutationObserver(() => {
                if (state.textContent.trim() === 'Saved') {
                    observer.disconnect();
                    clearTimeout(timer);
                    resolve(performance.now() - start);
                }
            });
            observer.observe(state, { childList: true, characterData: true, subtree: true });
            label.querySelector('input').click();
        });
    }
    """;

// The first rounds click at the same moment (the worst case); the later ones spread the clicks over
// ten seconds, as a class answering at its own pace does.
var onePerPage = await pages[0].Locator("[data-testid=next]").CountAsync() > 0;
var times = new List<double>();
var spreadTimes = new List<double>();
for (var round = 1; round <= rounds * 2; round++)
{
    var position = onePerPage ? round : round + 1;
    var spread = round > rounds ? 10_000 : 0;
    var (serverBefore, machineBefore) = (ServerTicks(), BusyTicks());
    var roundTimes = await Task.WhenAll(pages.Select(p => p.EvaluateAsync<double>(Answer, new object[] { position, spread })));
    var (server, machine) = (ServerTicks() - serverBefore, BusyTicks() - machineBefore);
    if (onePerPage)
    {
        await Task.WhenAll(pages.Select(async p =>
        {
            await p.ClickAsync("[data-testid=next]");
            await p.WaitForSelectorAsync($"[data-testid=question-{position + 1}]");
        }));
    }

    var failed = roundTimes.Count(t => t < 0);
    (spread > 0 ? spreadTimes : times).AddRange(roundTimes.Where(t => t >= 0));
    var sorted = roundTimes.Where(t => t >= 0).Order().ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"round {round}: {count} students click {(spread > 0 ? "within 10 s" : "at once")}: median {sorted[sorted.Count / 2]:0} ms, p95 {sorted[(int)(sorted.Count * 0.95)]:0} ms, max {sorted[^1]:0} ms, not saved {failed}; "
        + $"CPU: server {server * 10.0 / count:0.0} ms per click, {100.0 * server / Math.Max(1, machine):0} % of the machine's busy time"));
}

foreach (var (name, list) in new[] { ("all at once", times), ("spread over 10 s", spreadTimes) })
{
    var all = list.Order().ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"click to \"Saved\", {name}, over {all.Count} answers: median {all[all.Count / 2]:0} ms, p95 {all[(int)(all.Count * 0.95)]:0} ms"));
}
