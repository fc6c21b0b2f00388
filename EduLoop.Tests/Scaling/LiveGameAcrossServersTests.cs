using System.Collections.Concurrent;
using System.Text.Json;
using EduLoop.Domain;
using EduLoop.Domain.Data;
using EduLoop.Domain.Live;
using EduLoop.Domain.QuestionBank;
using EduLoop.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Scaling;

/// <summary>
/// One live game spread over two EduLoop servers on one PostgreSQL database and one Redis server:
/// players connected to either server see the same question, the same reveal and the same board; an
/// answer on one counts on the other, where the host is.
/// </summary>
public sealed class LiveGameAcrossServersTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private readonly RedisServer _redis = new();
    private KestrelAppFactory _first = null!;
    private KestrelAppFactory _second = null!;

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        var database = await postgres.CreateDatabaseAsync();
        _first = Server(database, "first");
        _second = Server(database, "second");
    }

    private KestrelAppFactory Server(string database, string name) => new(new Dictionary<string, string>
    {
        [DatabaseSettings.ProviderKey] = "PostgreSQL",
        ["ConnectionStrings:" + DatabaseSettings.ConnectionStringName] = database,
        ["EduLoop:ServerName"] = name,
        ["EduLoop:Redis"] = _redis.Configuration,
    });

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private sealed record Joined(int GameId, int PlayerId, string Nickname, string? Token, JsonElement View);

    private sealed class Player(KestrelAppFactory server, string nickname) : IAsyncDisposable
    {
        public HubConnection Connection { get; } = new HubConnectionBuilder().WithUrl(server.RootUrl + "live/hub").Build();
        public ConcurrentQueue<JsonElement> Views { get; } = new();
        public string Nickname => nickname;

        public async Task JoinAsync(string pin)
        {
            Connection.On<JsonElement>("view", Views.Enqueue);
            await Connection.StartAsync();
            await Connection.InvokeAsync<Joined>("Join", pin, nickname, null);
        }

        public async Task<JsonElement> SeenAsync(LivePhase phase, int question)
        {
            for (var i = 0; i < 300; i++)
            {
                if (Views.LastOrDefault(v => v.GetProperty("phase").GetInt32() == (int)phase
                    && (v.GetProperty("question").ValueKind == JsonValueKind.Null ? -1 : v.GetProperty("question").GetProperty("index").GetInt32()) == question) is
                    { ValueKind: JsonValueKind.Object } seen)
                {
                    return seen;
                }

                await Task.Delay(50);
            }

            throw new TimeoutException($"{nickname} never saw {phase} of question {question + 1}");
        }

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    [Fact]
    public async Task PlayersOnBothServers_SeeTheSameQuestionRevealAndBoard_AndAnswersOnEitherCount()
    {
        await using var db = _first.CreateDbContext();
        var teacher = await db.Users.Where(u => u.Email == TestAccounts.TeacherEmail).Select(u => u.Id).SingleAsync();
        var ids = await db.Questions.Where(q => q.Type == QuestionType.Mcq && !q.IsArchived).OrderBy(q => q.Id).Select(q => q.Id).Take(2).ToListAsync();
        var host = Actor.Teacher(teacher);
        var game = await _first.Services.GetRequiredService<LiveGameService>().CreateFromQuestionsAsync(host, "Across servers", ids, new LiveOptions(AllowGuests: true));
        var room = (await _first.Services.GetRequiredService<LiveRooms>().RoomAsync(game.Id))!;

        await using var onFirst = new Player(_first, "On first");
        await using var onSecond = new Player(_second, "On second");
        await using var alsoSecond = new Player(_second, "Also second");
        foreach (var player in new[] { onFirst, onSecond, alsoSecond })
        {
            await player.JoinAsync(game.Pin);
        }

        // The host's server hears of the joins made on the other.
        for (var i = 0; i < 100 && room.Players.Count < 3; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(3, room.Players.Count);

        await room.StepAsync(host, LiveStep.Next);
        await room.StepAsync(host, LiveStep.Open);
        var shown = await Task.WhenAll(new[] { onFirst, onSecond, alsoSecond }.Select(p => p.SeenAsync(LivePhase.Open, 0)));
        Assert.Single(shown.Select(v => v.GetProperty("question").GetProperty("stem").GetString()).Distinct());
        Assert.All(shown, v => Assert.Equal(JsonValueKind.Null, v.GetProperty("reveal").ValueKind));

        // Everyone answers, two of them on the second server: the host's server counts them and closes.
        foreach (var (player, option) in new[] { (onFirst, 0), (onSecond, 1), (alsoSecond, 0) })
        {
            var ack = await player.Connection.InvokeAsync<LiveAck>("Answer", 0, JsonSerializer.SerializeToElement(option));
            Assert.True(ack.Kept, ack.Refusal);
        }

        var reveals = await Task.WhenAll(new[] { onFirst, onSecond, alsoSecond }.Select(p => p.SeenAsync(LivePhase.Revealed, 0)));
        Assert.Single(reveals.Select(v => v.GetProperty("reveal").GetRawText()).Distinct());
        Assert.Equal(3, reveals[0].GetProperty("reveal").GetProperty("answered").GetInt32());

        await room.StepAsync(host, LiveStep.Leaderboard);
        var boards = await Task.WhenAll(new[] { onFirst, onSecond, alsoSecond }.Select(p => p.SeenAsync(LivePhase.Leaderboard, 0)));
        Assert.Single(boards.Select(v => v.GetProperty("board").GetRawText()).Distinct());
        Assert.Equal(3, boards[1].GetProperty("board").GetArrayLength());

        // A player's own result is the same whichever server is asked.
        var result = await onSecond.Connection.InvokeAsync<LivePlayerResult>("Result");
        Assert.Equal(3, result.Players);
        Assert.Equal(LiveRules.NicknameKey("On second"), LiveRules.NicknameKey(onSecond.Nickname));
    }
}
