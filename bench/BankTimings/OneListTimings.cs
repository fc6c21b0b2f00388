using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using EduLoop.Domain.Querying;
using EduLoop.Domain.QuestionBank;
using Microsoft.Playwright;

/// <summary>
/// The bank as one scrolled list (bench/one-list.sh): in Chromium, the time to its first rows and to
/// row 500,000 after a jump, and the server's memory while a teacher scrolls through 20,000 rows; in
/// process, a window read by key against the pager's offset read at the same depth, and the compiled
/// keyset query against the same query through EF's ordinary pipeline.
/// </summary>
internal static class OneListTimings
{
    private const int Runs = 3;
    private const int RowHeight = 32;
    private const string Row = "[data-testid=bank-one-row]";
    private const string Placeholder = "[data-testid=bank-one-placeholder]";

    public static async Task RunAsync(IPage page, BankService bank, int pid, string gcdump)
    {
        var view = new BankQuery();
        var count = (await bank.BrowseAsync(view, new PageRequest(1, 1))).Count;
        var deep = Math.Min(500_000, count - 1);
        // The id of the row 500,000 down, as the pager lists it.
        var deepId = (await bank.BrowseAsync(view, new PageRequest(deep / 20 + 1, 20))).Items[deep % 20].Id;
        Console.WriteLine($"one list: {count:N0} questions; row {deep:N0} is #{deepId}");

        // Opening the bank straight in "One list", and switching an open bank to it.
        var open = new List<double>();
        var toggle = new List<double>();
        var jump = new List<double>();
        for (var i = 0; i < Runs; i++)
        {
            await page.GotoAsync("");
            await page.WaitForSelectorAsync("body[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
            var watch = Stopwatch.StartNew();
            await page.GotoAsync("bank?list=one");
            await page.WaitForSelectorAsync(Row);
            open.Add(watch.Elapsed.TotalMilliseconds);

            // Row 500,000: the scrollbar dragged there at once.
            watch.Restart();
            await page.EvalOnSelectorAsync("[data-testid=bank-one-list]", $"(l, y) => l.scrollTop = y", deep * RowHeight);
            await page.WaitForSelectorAsync($"{Row}[data-question-id='{deepId}']");
            jump.Add(watch.Elapsed.TotalMilliseconds);

            await page.GotoAsync("bank");
            await page.WaitForSelectorAsync("[data-testid=bank-row]");
            watch.Restart();
            await page.ClickAsync("[data-testid=bank-mode-one-list]");
            await page.WaitForSelectorAsync(Row);
            toggle.Add(watch.Elapsed.TotalMilliseconds);
        }

        Report("browser", "open bank?list=one to first rows", open);
        Report("browser", "switch \"One list\" to first rows", toggle);
        Report("browser", $"scrollTop to row {deep:N0} shown", jump);

        // Scrolling through 20,000 rows, 40 at a step (two heights of the list), each step waiting until
        // its rows are on screen; the heap after a full collection and the resident set every 5,000 rows.
        await page.GotoAsync("bank?list=one");
        await page.WaitForSelectorAsync(Row);
        var samples = new List<string> { Memory(pid, gcdump, 0) };
        var steps = new List<double>();
        for (var row = 40; row <= 20_000; row += 40)
        {
            var watch = Stopwatch.StartNew();
            await page.EvalOnSelectorAsync("[data-testid=bank-one-list]", "(l, y) => l.scrollTop = y", row * RowHeight);
            await page.WaitForFunctionAsync(
                "([row, placeholder]) => document.querySelector(row) && !document.querySelector(placeholder)",
                new[] { Row, Placeholder }, new() { PollingInterval = 5 });
            steps.Add(watch.Elapsed.TotalMilliseconds);
            if (row % 5_000 == 0)
            {
                samples.Add(Memory(pid, gcdump, row));
            }
        }

        Report("browser", "a step of 40 rows down, shown (500 steps)", steps);
        Console.WriteLine($"memory   while scrolling 20,000 rows: {string.Join(", ", samples)}");
    }

    /// <summary>Pictures of the list at a million rows, light and dark, to look at (bench/out).</summary>
    public static async Task PicturesAsync(IPage page, string baseUrl)
    {
        foreach (var theme in new[] { "light", "dark" })
        {
            await page.Context.AddCookiesAsync([new Cookie { Name = "eduloop-theme", Value = theme, Url = baseUrl }]);
            await page.GotoAsync("bank?list=one");
            await page.WaitForSelectorAsync(Row);
            await page.EvalOnSelectorAsync("[data-testid=bank-one-list]", "l => l.scrollTop = 250000 * 32");
            await page.WaitForFunctionAsync("p => !document.querySelector(p)", Placeholder);
            await page.ScreenshotAsync(new() { Path = $"bench/out/bank-one-list-{theme}.png" });
        }
    }

    /// <summary>Server: a window read after a known key against the pager's offset read, at the same depth; compiled against not.</summary>
    public static async Task ServerAsync(BankService bank)
    {
        foreach (var (name, view) in new[] { ("newest first", new BankQuery()), ("level filter", new BankQuery(Level: QuestionLevel.Medium)) })
        {
            var count = (await bank.BrowseAsync(view, new PageRequest(1, 1))).Count;
            // 300,000 rows down (or 30 % of a smaller view): nearer the top, so the offset path skips them all.
            var depth = Math.Min(300_000, count * 3 / 10) / 50 * 50;
            var seekRuns = new List<double>();
            var offsetRuns = new List<double>();
            var keyRuns = new List<double>();
            var compiledRuns = new List<double>();
            var plainRuns = new List<double>();
            for (var run = 0; run < Runs; run++)
            {
                offsetRuns.Add(Median(await TimeAsync(20, () => bank.BrowseAsync(view, new PageRequest(depth / 50 + 1, 50)))));
                // A jump: a list that knows no key near the window finds the one above it through the index.
                seekRuns.Add(Median(await TimeAsync(20, () => bank.WindowAsync(new BankScroll(view), depth, 50))));
                var scroll = new BankScroll(view);
                await bank.WindowAsync(scroll, depth - 50, 50);
                keyRuns.Add(Median(await TimeAsync(2_000, () => bank.WindowAsync(scroll, depth, 50))));

                // Compiled against not, alternating blocks of 500 calls; every call reads after a key.
                var compiled = new List<double>();
                var plain = new List<double>();
                for (var block = 0; block < 4; block++)
                {
                    compiled.AddRange(await TimeAsync(500, () => bank.WindowAsync(scroll, depth, 50, compiled: true, CancellationToken.None)));
                    plain.AddRange(await TimeAsync(500, () => bank.WindowAsync(scroll, depth, 50, compiled: false, CancellationToken.None)));
                }

                compiledRuns.Add(Median(compiled));
                plainRuns.Add(Median(plain));
            }

            Report("server", $"{name}: 50 rows at {depth:N0}, pager's offset (20 calls)", offsetRuns, "0.00");
            Report("server", $"{name}: 50 rows at {depth:N0}, jump (key found in the index)", seekRuns, "0.00");
            Report("server", $"{name}: 50 rows at {depth:N0}, after a key (2,000 calls)", keyRuns, "0.000");
            Report("server", $"{name}: keyset window, compiled (2,000 calls)", compiledRuns, "0.000");
            Report("server", $"{name}: keyset window, not compiled (2,000 calls)", plainRuns, "0.000");
        }
    }

    private static async Task<List<double>> TimeAsync<T>(int calls, Func<Task<T>> call)
    {
        await call();
        var times = new List<double>(calls);
        for (var i = 0; i < calls; i++)
        {
            var watch = Stopwatch.StartNew();
            await call();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static void Report(string where, string what, List<double> values, string format = "0") =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{where,-8} {what,-60} {string.Join(" / ", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture)))} ms -> median {Median(values).ToString(format, CultureInfo.InvariantCulture)} ms"));

    /// <summary>The app's managed heap after a full collection (dotnet-gcdump) and its resident set.</summary>
    private static string Memory(int pid, string gcdump, int row)
    {
        var file = Path.Combine(Path.GetTempPath(), $"one-list-{Guid.NewGuid():N}.gcdump");
        Run(gcdump, $"collect -p {pid} -o {file}");
        var report = Run(gcdump, $"report {file}");
        File.Delete(file);
        var heap = long.Parse(Regex.Match(report, @"([\d,]+)\s+GC Heap bytes").Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        var resident = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var rss = long.Parse(Regex.Match(resident, @"\d+").Value, CultureInfo.InvariantCulture) / 1024;
        return string.Create(CultureInfo.InvariantCulture, $"{row:N0} rows: heap {heap / 1024.0 / 1024:0.0} MiB, resident {rss} MiB");
    }

    private static string Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{file} {arguments}: {output}{process.StandardError.ReadToEnd()}");
    }
}
