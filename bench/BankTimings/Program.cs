using System.Diagnostics;
using System.Globalization;
using EduLoop.Domain;
using EduLoop.Domain.Querying;
using EduLoop.Domain.QuestionBank;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

// bench/bank.sh runs this against a running app on a large database:
//   dotnet run -c Release --project bench/BankTimings -- BASE_URL EMAIL PASSWORD APP_PID DATA_DIR
// (bench/one-list.sh adds "one-list GCDUMP_TOOL" and measures the bank as one scrolled list instead.)
// 1. Browser: the time from a teacher's action to the updated list (median of 5 each).
// 2. Server: BankService's query time for the same views (first call, then median of 5).
// 3. Memory: the app's resident set while a teacher pages through 10,000 rows.
var (baseUrl, email, password, pid, dataDir) = (args[0].TrimEnd('/') + "/", args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture), args[4]);
const int Runs = 5;

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox"] });
var page = await browser.NewPageAsync(new() { BaseURL = baseUrl, ViewportSize = new() { Width = 1366, Height = 900 } });
page.SetDefaultTimeout(30_000);
var console = new List<string>();
page.Console += (_, message) => console.Add($"{message.Type}: {message.Text}");
page.RequestFailed += (_, request) => console.Add($"failed: {request.Url} {request.Failure}");
page.Response += (_, response) =>
{
    if (response.Status >= 400)
    {
        console.Add($"{response.Status}: {response.Url}");
    }
};
await page.GotoAsync("Account/Login");
await page.FillAsync("#Input\\.Email", email);
await page.FillAsync("#Input\\.Password", password);
await page.ClickAsync("[data-testid=login-submit]");
try
{
    await page.WaitForSelectorAsync("body[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
}
catch (TimeoutException)
{
    await page.ScreenshotAsync(new() { Path = "bench/out/bank-failure.png" });
    Console.Error.WriteLine($"Not signed in: {page.Url}{Environment.NewLine}{string.Join(Environment.NewLine, console)}");
    throw;
}

// bench/one-list.sh: only the bank as one scrolled list (OneListTimings), with dotnet-gcdump at args[6].
if (args.Length > 6 && args[5] == "one-list")
{
    var domain = new ServiceCollection().AddLogging().AddEduLoopDomain(Path.GetFullPath(dataDir)).BuildServiceProvider();
    var bankService = domain.GetRequiredService<BankService>();
    await OneListTimings.RunAsync(page, bankService, pid, args[6]);
    await OneListTimings.PicturesAsync(page, baseUrl);
    await OneListTimings.ServerAsync(bankService);
    return;
}

const string FirstRow = "[data-testid=bank-row]";

async Task<double> TimeAsync(Func<Task> action, string? before)
{
    var watch = Stopwatch.StartNew();
    await action();
    await page.WaitForFunctionAsync(
        "b => { const r = document.querySelector('[data-testid=bank-row]'); return r && r.textContent !== b && !document.querySelector('.mud-table-loading'); }",
        before ?? "", new() { PollingInterval = 5 });
    return watch.Elapsed.TotalMilliseconds;
}

async Task<string?> FirstRowTextAsync() => await page.EvalOnSelectorAsync<string?>(FirstRow, "r => r.textContent");

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

void Report(string what, List<double> values) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"browser  {what,-34} {string.Join(" / ", values.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))} ms -> median {Median(values):0} ms"));

// Opening the bank from the home page through the navigation.
var open = new List<double>();
for (var i = 0; i < Runs; i++)
{
    await page.GotoAsync("");
    await page.WaitForSelectorAsync("body[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
    open.Add(await TimeAsync(() => page.ClickAsync("a[href='bank']"), null));
}

Report("open the bank", open);

// Changing a filter: the level, through its select.
string[] levels = ["Easy", "Medium", "Advanced"];
var filter = new List<double>();
for (var i = 0; i < Runs; i++)
{
    await page.GotoAsync(i % 2 == 0 ? "bank" : "bank?level=easy");
    await page.WaitForSelectorAsync(FirstRow);
    var before = await FirstRowTextAsync();
    await page.Locator(".mud-select").Filter(new() { HasText = "Level" }).First.ClickAsync();
    var option = page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = levels[(i % 2) + 1] }).First;
    await option.WaitForAsync();
    filter.Add(await TimeAsync(() => option.ClickAsync(), before));
}

Report("change a filter (level)", filter);

// Searching a word of the question texts.
string[] words = ["energy", "triangle", "river", "molecule", "treaty"];
var search = new List<double>();
for (var i = 0; i < Runs; i++)
{
    await page.GotoAsync("bank");
    await page.WaitForSelectorAsync(FirstRow);
    var before = await FirstRowTextAsync();
    var box = page.Locator("input[data-testid=bank-search]");
    await box.FillAsync(words[i] + " " + (11 + i).ToString(CultureInfo.InvariantCulture));
    // Leaving the field passes the text on at once instead of after the typing pause.
    search.Add(await TimeAsync(() => box.BlurAsync(), before));
}

Report("search a word", search);

// Jumping to the last page.
var last = new List<double>();
for (var i = 0; i < Runs; i++)
{
    await page.GotoAsync(i % 2 == 0 ? "bank" : "bank?level=medium");
    await page.WaitForSelectorAsync(FirstRow);
    var before = await FirstRowTextAsync();
    last.Add(await TimeAsync(() => page.Locator(".mud-table-pagination-actions button").Last.ClickAsync(), before));
}

Report("jump to the last page", last);

// Memory while paging through 10,000 rows (100 rows a page, 100 pages).
await page.GotoAsync("bank");
await page.WaitForSelectorAsync(FirstRow);
await page.Locator(".mud-table-pagination-select").ClickAsync();
await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "100" }).First.ClickAsync();
await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-testid=bank-row]').length === 100");
var samples = new List<string>();
for (var p = 1; p <= 100; p++)
{
    var before = await FirstRowTextAsync();
    await TimeAsync(() => page.Locator(".mud-table-pagination-actions button").Nth(2).ClickAsync(), before);
    if (p % 20 == 0)
    {
        samples.Add($"{p * 100} rows: {Rss(pid)} MiB");
    }
}

Console.WriteLine($"memory   app resident set while paging 10,000 rows: {string.Join(", ", samples)}");

// Server query time of the same views, straight from the bank service.
var services = new ServiceCollection().AddLogging().AddEduLoopDomain(Path.GetFullPath(dataDir)).BuildServiceProvider();
var bank = services.GetRequiredService<BankService>();
var cases = new (string Name, BankQuery Query, int? Page)[]
{
    ("first page", new BankQuery(), 1),
    ("level filter", new BankQuery(Level: QuestionLevel.Advance), 1),
    ("type + level filter", new BankQuery(Type: QuestionType.Mcq, Level: QuestionLevel.Easy), 1),
    ("search \"energy 12\"", new BankQuery(Text: "energy 12"), 1),
    ("search \"molecule\"", new BankQuery(Text: "molecule"), 1),
    ("last page", new BankQuery(), null),
    ("level filter, last page", new BankQuery(Level: QuestionLevel.Medium), null),
};
foreach (var (name, query, number) in cases)
{
    var times = new List<double>();
    for (var i = 0; i <= Runs; i++)
    {
        var watch = Stopwatch.StartNew();
        await bank.BrowseAsync(query, new PageRequest(number, 20));
        times.Add(watch.Elapsed.TotalMilliseconds);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"server   {name,-34} first {times[0]:0.0} ms, then median {Median(times.Skip(1).ToList()):0.0} ms"));
}

var tree = Stopwatch.StartNew();
await bank.TreeAsync();
var treeFirst = tree.Elapsed.TotalMilliseconds;
tree.Restart();
await bank.TreeAsync();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"server   hierarchy with counts                  first {treeFirst:0} ms, then {tree.Elapsed.TotalMilliseconds:0.0} ms"));

static long Rss(int pid) =>
    long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
        CultureInfo.InvariantCulture) / 1024;
