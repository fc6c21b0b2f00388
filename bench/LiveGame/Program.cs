// Live games under load: for each game in the load file, a host (a teacher's token) and N players
// (guests), each its own SignalR connection to /live/hub, as phones would be. Per round the host shows
// a question, opens it; every player answers the moment the answers open (after a random wait of up to
// --spread ms); the game closes when all have answered; the host shows the board. Timed from this one
// process's clock: question shown (host's click to each player's screen), answer acknowledged (a
// player's send to its acknowledgement), board (host's click to each player's screen), and after the
// game the stored answers are counted against the acknowledged ones.
// Usage: LiveGame BASE_URL LOAD_FILE PLAYERS ROUNDS [SPREAD_MS]
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

var (baseUrl, loadFile, players, rounds) = (args[0].TrimEnd('/'), args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture));
var spread = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 0;
var games = File.ReadAllLines(loadFile).Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(p => (Id: int.Parse(p[0], CultureInfo.InvariantCulture), Pin: p[1], Token: p[2])).ToList();

var shown = new ConcurrentBag<double>();
var acked = new ConcurrentBag<double>();
var boards = new ConcurrentBag<double>();
var reveals = new ConcurrentBag<double>();
long kept = 0, refused = 0, stored = 0;

HubConnection Connection(string? token) => new HubConnectionBuilder()
    .WithUrl(baseUrl + "/live/hub", o =>
    {
        o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
        o.SkipNegotiation = true;
        if (token is not null)
        {
            o.Headers["Authorization"] = "Token " + token;
        }
    })
    .Build();

static double Ms(long from, long to) => (to - from) * 1000d / Stopwatch.Frequency;

async Task PlayAsync((int Id, string Pin, string Token) game)
{
    await using var host = Connection(game.Token);
    var hostViews = new ConcurrentQueue<JsonElement>();
    var hostSignal = new SemaphoreSlim(0);
    host.On<JsonElement>("view", v => { hostViews.Enqueue(v); hostSignal.Release(); });
    await host.StartAsync();
    await host.InvokeAsync<JsonElement>("Host", game.Id);

    var seen = new ConcurrentDictionary<(int Player, int Version), long>();
    var connections = new List<HubConnection>();
    var phaseCounts = new ConcurrentDictionary<(int Phase, int Question), int>();
    var allShown = new ConcurrentDictionary<(int Phase, int Question), TaskCompletionSource>();
    TaskCompletionSource Waiter(int phase, int question) => allShown.GetOrAdd((phase, question), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    var arrivals = new ConcurrentDictionary<(int Phase, int Question), ConcurrentBag<long>>();
    var acksDone = new ConcurrentDictionary<int, int>();
    var acksAll = new ConcurrentDictionary<int, TaskCompletionSource>();
    var keptPerQuestion = new ConcurrentDictionary<int, int>();

    for (var i = 0; i < players; i++)
    {
        var player = Connection(null);
        var random = new Random(game.Id * 1000 + i);
        player.On<JsonElement>("view", view =>
        {
            var now = Stopwatch.GetTimestamp();
            var phase = view.GetProperty("phase").GetInt32();
            var question = view.GetProperty("question").ValueKind == JsonValueKind.Object ? view.GetProperty("question").GetProperty("index").GetInt32() : -1;
            // One arrival per player and phase: a view repeated for the same phase is not counted twice.
            if (!seen.TryAdd((player.GetHashCode(), view.GetProperty("version").GetInt32()), now))
            {
                return;
            }

            arrivals.GetOrAdd((phase, question), _ => []).Add(now);
            if (phaseCounts.AddOrUpdate((phase, question), 1, (_, c) => c + 1) == players)
            {
                Waiter(phase, question).TrySetResult();
            }

            if (phase == 2)
            {
                var options = view.GetProperty("question").GetProperty("options").GetArrayLength();
                _ = Task.Run(async () =>
                {
                    if (spread > 0)
                    {
                        await Task.Delay(random.Next(spread));
                    }

                    var sent = Stopwatch.GetTimestamp();
                    var ack = await player.InvokeAsync<JsonElement>("Answer", question, JsonSerializer.SerializeToElement(random.Next(Math.Max(1, options))));
                    acked.Add(Ms(sent, Stopwatch.GetTimestamp()));
                    if (ack.GetProperty("kept").GetBoolean() && ack.GetProperty("refusal").ValueKind == JsonValueKind.Null)
                    {
                        Interlocked.Increment(ref kept);
                        keptPerQuestion.AddOrUpdate(question, 1, (_, c) => c + 1);
                    }
                    else
                    {
                        Interlocked.Increment(ref refused);
                    }

                    if (acksDone.AddOrUpdate(question, 1, (_, c) => c + 1) == players)
                    {
                        acksAll.GetOrAdd(question, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                    }
                });
            }
        });
        await player.StartAsync();
        await player.InvokeAsync<JsonElement>("Join", game.Pin, $"Player {game.Id}-{i}", null);
        connections.Add(player);
    }

    for (var round = 0; round < rounds; round++)
    {
        var click = Stopwatch.GetTimestamp();
        await host.InvokeAsync<JsonElement>("Step", game.Id, 0);
        await Waiter(1, round).Task.WaitAsync(TimeSpan.FromSeconds(30));
        foreach (var at in arrivals[(1, round)])
        {
            shown.Add(Ms(click, at));
        }

        await host.InvokeAsync<JsonElement>("Step", game.Id, 1);
        await acksAll.GetOrAdd(round, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(TimeSpan.FromSeconds(60));
        var lastAck = Stopwatch.GetTimestamp();
        await Waiter(3, round).Task.WaitAsync(TimeSpan.FromSeconds(30));
        reveals.Add(Ms(lastAck, arrivals[(3, round)].Max()));

        click = Stopwatch.GetTimestamp();
        await host.InvokeAsync<JsonElement>("Step", game.Id, 3);
        await Waiter(4, round).Task.WaitAsync(TimeSpan.FromSeconds(30));
        foreach (var at in arrivals[(4, round)])
        {
            boards.Add(Ms(click, at));
        }
    }

    var results = await host.InvokeAsync<JsonElement>("Results", game.Id);
    foreach (var question in results.GetProperty("questions").EnumerateArray())
    {
        var index = question.GetProperty("index").GetInt32();
        var answered = question.GetProperty("answered").GetInt32();
        Interlocked.Add(ref stored, answered);
        if (index < rounds && answered != keptPerQuestion.GetValueOrDefault(index))
        {
            Console.Error.WriteLine($"game {game.Id} question {index + 1}: {keptPerQuestion.GetValueOrDefault(index)} acknowledged, {answered} stored");
        }
    }

    await host.InvokeAsync<JsonElement>("Step", game.Id, 4);
    foreach (var connection in connections)
    {
        await connection.DisposeAsync();
    }
}

var started = Stopwatch.GetTimestamp();
await Task.WhenAll(games.Select(PlayAsync));
var total = Ms(started, Stopwatch.GetTimestamp());

static string Figures(ConcurrentBag<double> bag)
{
    var sorted = bag.Order().ToArray();
    double At(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    return string.Create(CultureInfo.InvariantCulture, $"n={sorted.Length} p50={At(0.5):0.0} p95={At(0.95):0.0} p99={At(0.99):0.0} max={At(1):0.0} ms");
}

Console.WriteLine($"{games.Count} game(s) x {players} players x {rounds} questions, answers spread over {spread} ms, {total / 1000:0.0} s");
Console.WriteLine($"question shown   {Figures(shown)}");
Console.WriteLine($"answer ack       {Figures(acked)}");
Console.WriteLine($"last ack->reveal {Figures(reveals)}");
Console.WriteLine($"board shown      {Figures(boards)}");
Console.WriteLine($"answers: {kept} acknowledged, {refused} refused, {stored} stored{(kept == stored ? " (none lost)" : " (MISMATCH)")}");
return kept == stored ? 0 : 1;
