using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using EduLoop.Domain;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Live;
using EduLoop.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Api;

/// <summary>
/// The live game's own endpoint (<c>/live/hub</c>) over a real Kestrel port with SignalR's .NET client,
/// as a player's device outside the app's pages uses it: join by PIN, views pushed at each step, answers
/// acknowledged, one's result; wrong PINs and bad answers refused.
/// </summary>
public sealed class LiveHubTests : IAsyncLifetime
{
    private readonly KestrelAppFactory _app = new();
    private Actor _host = null!;
    private int _game;
    private string _pin = null!;

    public async Task InitializeAsync() => (_host, _game, _pin) = await CreateGameAsync(_app);

    private static async Task<(Actor Host, int Game, string Pin)> CreateGameAsync(KestrelAppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        const string gift = """
            $CATEGORY: Hub/Geography/Capitals

            ::Hub capital::What is the capital of Italy? {=Rome ~Milan ~Turin}

            ::Hub number::How many legs has a spider? {#8}
            """;
        await scope.ServiceProvider.GetRequiredService<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(gift)), new ImportOptions(), null);
        await using var db = app.CreateDbContext();
        var host = Actor.Teacher(await db.Users.Where(u => u.Email == TestAccounts.TeacherEmail).Select(u => u.Id).SingleAsync());
        var ids = await db.Questions.Where(q => q.Title.StartsWith("Hub ")).OrderBy(q => q.Id).Select(q => q.Id).ToListAsync();
        var game = await app.Services.GetRequiredService<LiveGameService>().CreateFromQuestionsAsync(host, "Hub game", ids, new LiveOptions(AllowGuests: true));
        return (host, game.Id, game.Pin);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private HubConnection Connect() => Connect(_app);

    private static HubConnection Connect(KestrelAppFactory app) => new HubConnectionBuilder().WithUrl(app.RootUrl + "live/hub").Build();

    private async Task<LiveRoom> RoomAsync() => (await _app.Services.GetRequiredService<LiveRooms>().RoomAsync(_game))!;

    private sealed record Joined(int GameId, int PlayerId, string Nickname, string? Token, JsonElement View);

    [Fact]
    public async Task AGuest_JoinsByPin_HearsEachStep_AnswersOnce_AndReadsTheResult_WithTheKeyOnlyAtTheReveal()
    {
        await using var connection = Connect();
        var views = Channel.CreateUnbounded<JsonElement>();
        connection.On<JsonElement>("view", view => views.Writer.TryWrite(view));
        await connection.StartAsync();

        var joined = await connection.InvokeAsync<Joined>("Join", $" {_pin[..3]}-{_pin[3..]} ", "Hub Guest", null);
        Assert.Equal(("Hub Guest", _game), (joined.Nickname, joined.GameId));
        Assert.NotNull(joined.Token);
        Assert.Equal("Lobby", ((LivePhase)joined.View.GetProperty("phase").GetInt32()).ToString());

        // A second player, who does not answer: the question waits for the host.
        await using var other = Connect();
        await other.StartAsync();
        await other.InvokeAsync<Joined>("Join", _pin, "Quiet One", null);

        var room = await RoomAsync();
        await room.StepAsync(_host, LiveStep.Next);
        await room.StepAsync(_host, LiveStep.Open);
        var open = await NextAsync(views, v => v.GetProperty("phase").GetInt32() == (int)LivePhase.Open);
        Assert.Equal(["Rome", "Milan", "Turin"], open.GetProperty("question").GetProperty("options").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(JsonValueKind.Null, open.GetProperty("reveal").ValueKind);
        Assert.InRange(open.GetProperty("remainingMs").GetInt64(), 1, 20_000);

        var ack = await connection.InvokeAsync<LiveAck>("Answer", 0, JsonSerializer.SerializeToElement("Rome"));
        Assert.True(ack.Kept);
        var second = await connection.InvokeAsync<LiveAck>("Answer", 0, JsonSerializer.SerializeToElement("Milan"));
        Assert.Contains("first answer counts", second.Refusal, StringComparison.Ordinal);

        await room.StepAsync(_host, LiveStep.Close);
        var revealed = await NextAsync(views, v => v.GetProperty("phase").GetInt32() == (int)LivePhase.Revealed);
        Assert.Equal([0], revealed.GetProperty("reveal").GetProperty("rightOptions").EnumerateArray().Select(o => o.GetInt32()));
        var result = await connection.InvokeAsync<LivePlayerResult>("Result");
        Assert.True(result.Correct);
        Assert.InRange(result.Points, 500, 1000);

        var late = await connection.InvokeAsync<LiveAck>("Answer", 0, JsonSerializer.SerializeToElement("Rome"));
        Assert.False(late.Kept);

        // The guest's token takes the same seat on a new connection.
        await using var again = Connect();
        await again.StartAsync();
        var back = await again.InvokeAsync<Joined>("Join", _pin, null, joined.Token);
        Assert.Equal(joined.PlayerId, back.PlayerId);
        Assert.Null(back.Token);
    }

    private static async Task<JsonElement> NextAsync(Channel<JsonElement> views, Func<JsonElement, bool> wanted)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var view = await views.Reader.ReadAsync(timeout.Token);
            if (wanted(view))
            {
                return view;
            }
        }
    }

    [Fact]
    public async Task WrongPins_BadNicknamesAndAnswersBeforeJoining_AreRefusedWithAReason()
    {
        await using var connection = Connect();
        await connection.StartAsync();

        Assert.Equal("Join a game first.", (await Assert.ThrowsAsync<HubException>(() =>
            connection.InvokeAsync<LiveAck>("Answer", 0, JsonSerializer.SerializeToElement(1)))).Message.Split(": ").Last());
        Assert.EndsWith("No game has this PIN.", (await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<Joined>("Join", "999999x", "Ann", null))).Message,
            StringComparison.Ordinal);
        Assert.EndsWith("Choose another nickname.", (await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<Joined>("Join", _pin, "shit", null))).Message,
            StringComparison.Ordinal);
        Assert.EndsWith("A nickname has 2 to 20 characters.", (await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<Joined>("Join", _pin, null, "forged-token"))).Message,
            StringComparison.Ordinal);

        var joined = await connection.InvokeAsync<Joined>("Join", _pin, "Careful", null);
        var room = await RoomAsync();
        await room.StepAsync(_host, LiveStep.Next);
        await room.StepAsync(_host, LiveStep.Open);
        var tooLong = await connection.InvokeAsync<LiveAck>("Answer", 0, JsonSerializer.SerializeToElement(new string('x', 5000)));
        Assert.False(tooLong.Kept);
        var wrongQuestion = await connection.InvokeAsync<LiveAck>("Answer", 7, JsonSerializer.SerializeToElement(0));
        Assert.False(wrongQuestion.Kept);
        Assert.Empty(await _app.Services.GetRequiredService<LiveGameService>().ResponsesAsync(_game, 0));
        Assert.True(joined.PlayerId > 0);
    }

    [Fact]
    public async Task GuessingPins_IsSlowedDownPerAddress()
    {
        await using var app = new KestrelAppFactory(new Dictionary<string, string>
        {
            ["EduLoop:Api:Throttling:Enabled"] = "true",
            ["EduLoop:Api:Throttling:FailedCredentialsPerMinute"] = "5",
        });
        var (_, _, pin) = await CreateGameAsync(app);
        await using var connection = Connect(app);
        await connection.StartAsync();
        string? message = null;
        for (var i = 0; i < 10 && message?.Contains("Too many", StringComparison.Ordinal) != true; i++)
        {
            message = (await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<Joined>("Join", $"{i:D6}" == pin ? "999999" : $"{i:D6}", "Guesser", null))).Message;
        }

        Assert.Contains("Too many wrong PINs", message, StringComparison.Ordinal);
        // Even the right PIN waits now: a right guess tells nothing.
        Assert.Contains("Too many wrong PINs", (await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<Joined>("Join", pin, "Guesser", null))).Message,
            StringComparison.Ordinal);
    }
}
