using System.Net.Sockets;
using System.Text;
using EduLoop.Tests.Infrastructure;

namespace EduLoop.Tests.Api;

/// <summary>
/// A body the server cannot read to its end (here a chunked body whose next chunk size is garbage, as a
/// client cut off mid-send leaves it) is a 400 from the route that read it, over a real socket to
/// Kestrel: not a 500, and not the error page re-run as a GET that answered 405.
/// </summary>
public sealed class TruncatedBodyTests : IDisposable
{
    private readonly KestrelAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Post_BodyThatBreaksOff_Is400()
    {
        var answer = await SendBrokenAsync("POST", "/api/api-token-auth/", authorization: null);

        Assert.StartsWith("HTTP/1.1 400", answer);
        Assert.Contains("The request body could not be read", answer);
    }

    [Fact]
    public async Task Put_BodyThatBreaksOff_Is400_AndChangesNothing()
    {
        var client = new HttpClient { BaseAddress = new Uri(_app.RootUrl) };
        var signIn = await client.PostJsonAsync("/api/api-token-auth/", $$"""{"username":"{{TestAccounts.TeacherEmail}}","password":"{{TestAccounts.TeacherPassword}}"}""");
        var token = (await signIn.JsonAsync()).GetProperty("token").GetString()!;
        var before = await client.WithAuthorization("Token", token).GetStringAsync("/api/dashboard/question/1/");

        var answer = await SendBrokenAsync("PUT", "/api/dashboard/question/1/", "Token " + token);

        Assert.StartsWith("HTTP/1.1 400", answer);
        Assert.Equal(before, await client.GetStringAsync("/api/dashboard/question/1/"));
    }

    /// <summary>Sends a request whose chunked body breaks off after its first chunk, and reads the whole answer.</summary>
    private async Task<string> SendBrokenAsync(string method, string path, string? authorization)
    {
        var root = new Uri(_app.RootUrl);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(root.Host, root.Port);
        var head = new StringBuilder()
            .Append($"{method} {path} HTTP/1.1\r\nHost: {root.Authority}\r\nContent-Type: application/json\r\n")
            .Append("Transfer-Encoding: chunked\r\nConnection: close\r\n");
        if (authorization is not null)
        {
            head.Append($"Authorization: {authorization}\r\n");
        }

        head.Append("\r\n").Append("c\r\n{\"question\":\r\n").Append("zz\r\n");
        await socket.SendAsync(Encoding.ASCII.GetBytes(head.ToString()));

        using var answer = new MemoryStream();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            answer.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(answer.ToArray());
    }
}
