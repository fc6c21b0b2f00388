using EduLoop.Domain.Live;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace EduLoop.App.Live;

/// <summary>
/// Tells a game's room whether its host is there: when the host's page opens and closes, and when the
/// page's connection drops and comes back (a phone's lost network, a laptop's lid). The room pauses
/// the game when the host is gone for a moment (<see cref="LiveRoom.HostGrace"/>).
/// </summary>
public sealed class LiveHostPresence : CircuitHandler
{
    private readonly List<LiveRoom> hosted = [];
    private bool connected = true;

    public async Task HostAsync(LiveRoom room)
    {
        lock (hosted)
        {
            hosted.Add(room);
        }

        if (connected)
        {
            await room.HostArrivedAsync();
        }
    }

    public void Leave(LiveRoom room)
    {
        bool removed;
        lock (hosted)
        {
            removed = hosted.Remove(room);
        }

        if (removed && connected)
        {
            room.HostLeft();
        }
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        connected = false;
        foreach (var room in Rooms())
        {
            room.HostLeft();
        }

        return Task.CompletedTask;
    }

    public override async Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (connected)
        {
            return;
        }

        connected = true;
        foreach (var room in Rooms())
        {
            await room.HostArrivedAsync();
        }
    }

    private LiveRoom[] Rooms()
    {
        lock (hosted)
        {
            return [.. hosted];
        }
    }
}
