using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Json;
using EduLoop.App.Hosting;
using EduLoop.Domain;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Live;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace EduLoop.App.Live;

/// <summary>A player's place after joining: the seat (a guest's token only on the first join) and what the screen shows now.</summary>
public sealed record LiveJoined(int GameId, int PlayerId, string Nickname, string? Token, LiveView View);

/// <summary>
/// The game's own endpoint for players' devices outside the app's pages (and for the benchmark's
/// players): join with the PIN, receive each <c>view</c> as the game changes, answer, read one's
/// result. Signed-in students join under their name; others join as guests when the host allows it.
/// Only what every player may see is sent: the key arrives with the reveal.
/// </summary>
public sealed class LiveHub(LiveRooms rooms, LiveGameService games, LiveHubRelay relay, Hosting.CredentialThrottle throttle) : Hub
{
    private const string SeatKey = "seat";

    public async Task<LiveJoined> Join(string? pin, string? nickname, string? token)
    {
        // A wrong PIN is a guessed credential: it counts against the address as a wrong password does.
        var http = Context.GetHttpContext() ?? throw new HubException("Join over a connection of your own.");
        if (await throttle.FailureWaitAsync(http) is { } wait)
        {
            throw new HubException($"Too many wrong PINs. Try again in {wait} seconds.");
        }

        var gameId = await games.FindAsync(pin);
        if (gameId is not { } id || await rooms.RoomAsync(id) is not { } room)
        {
            await throttle.RecordFailureAsync(http);
            throw new HubException("No game has this PIN.");
        }

        try
        {
            var user = Context.User;
            LiveSeat seat;
            if (user?.IsInRole(Roles.Student) == true && user.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
            {
                seat = await games.JoinAsStudentAsync(id, userId);
            }
            else
            {
                seat = await games.RejoinAsGuestAsync(id, token) ?? await games.JoinAsGuestAsync(id, nickname);
            }

            if (!room.Seated(seat.PlayerId))
            {
                await room.PlayersMovedAsync();
            }

            Context.Items[SeatKey] = seat;
            relay.Follow(room);
            await Groups.AddToGroupAsync(Context.ConnectionId, LiveHubRelay.Group(id));
            return new LiveJoined(id, seat.PlayerId, seat.Nickname, seat.Token, room.View);
        }
        catch (Exception e) when (e is LiveRefusedException or DomainValidationException or NotFoundException)
        {
            throw new HubException(e.Message);
        }
    }

    /// <summary>An answer to the open question; the acknowledgement comes once it is durable.</summary>
    public async Task<LiveAck> Answer(int questionIndex, JsonElement response)
    {
        var (seat, room) = await SeatAsync();
        return await room.AnswerAsync(seat.PlayerId, questionIndex, response);
    }

    /// <summary>The player's result for the question revealed last.</summary>
    public async Task<LivePlayerResult?> Result()
    {
        var (seat, room) = await SeatAsync();
        return room.ResultOf(seat.PlayerId);
    }

    private const string HostedKey = "hosted";

    /// <summary>
    /// A host's device (or a script with a teacher's token) takes the game's host seat: it hears every
    /// view, and while it is connected the game does not pause for want of a host.
    /// </summary>
    [Authorize(Roles = $"{Roles.Admin},{Roles.Teacher}")]
    public async Task<LiveView> Host(int gameId)
    {
        var room = await HostedRoomAsync(gameId);
        if (!Context.Items.ContainsKey(HostedKey))
        {
            Context.Items[HostedKey] = room;
            await room.HostArrivedAsync();
        }

        relay.Follow(room);
        await Groups.AddToGroupAsync(Context.ConnectionId, LiveHubRelay.Group(gameId));
        return room.Now();
    }

    /// <summary>The host's step; refused with the reason when the game's phase does not allow it.</summary>
    [Authorize(Roles = $"{Roles.Admin},{Roles.Teacher}")]
    public async Task<LiveView> Step(int gameId, LiveStep step)
    {
        var room = await HostedRoomAsync(gameId);
        try
        {
            return await room.StepAsync(Context.User!.Actor(), step);
        }
        catch (LiveRefusedException e)
        {
            throw new HubException(e.Message);
        }
    }

    /// <summary>The game's results so far, as its results page shows them.</summary>
    [Authorize(Roles = $"{Roles.Admin},{Roles.Teacher}")]
    public async Task<LiveResults> Results(int gameId)
    {
        await HostedRoomAsync(gameId);
        return await games.ResultsAsync(gameId, Context.User!.Actor());
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(HostedKey, out var value) && value is LiveRoom room)
        {
            room.HostLeft();
        }

        return base.OnDisconnectedAsync(exception);
    }

    private async Task<LiveRoom> HostedRoomAsync(int gameId)
    {
        var actor = Context.User!.Actor();
        if (await rooms.RoomAsync(gameId) is not { } room)
        {
            throw new HubException("No such game.");
        }

        return actor.IsAdmin || room.HostId == actor.UserId ? room : throw new HubException("Only the game's host and admins may run this game.");
    }

    private async Task<(LiveSeat Seat, LiveRoom Room)> SeatAsync() =>
        Context.Items.TryGetValue(SeatKey, out var value) && value is LiveSeat seat && await rooms.RoomAsync(seat.GameId) is { } room
            ? (seat, room)
            : throw new HubException("Join a game first.");
}

/// <summary>Sends each room's views to the hub's players of that game, once per room on this server.</summary>
public sealed class LiveHubRelay(IHubContext<LiveHub> hub)
{
    private readonly ConcurrentDictionary<int, LiveRoom> followed = new();

    public static string Group(int gameId) => $"live:{gameId}";

    public void Follow(LiveRoom room)
    {
        if (followed.TryAdd(room.GameId, room))
        {
            room.Changed += view => _ = hub.Clients.Group(Group(view.GameId)).SendAsync("view", view);
        }
    }
}
