using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace MixedLoad;

/// <summary>
/// HTTP/1.1 over loopback with as many connections as there are requests in flight: the client must
/// never be the queue. Each request is timed from its due time and recorded under a kind.
/// </summary>
internal sealed class LoadClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;

    public LoadClient(Uri baseAddress, int maxConnections, TimeSpan timeout)
    {
        _timeout = timeout;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
        })
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    public static HttpRequestMessage Get(string path, string token, string? sessionId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Token", token);
        if (sessionId is not null)
        {
            request.Headers.Add("X-Session-Id", sessionId);
        }

        return request;
    }

    /// <param name="token">A personal token, or null for an anonymous request (signing in).</param>
    public static HttpRequestMessage WithJson(HttpMethod method, string path, string? token, string json)
    {
        var request = new HttpRequestMessage(method, path)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) { Headers = { ContentType = JsonType } },
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Token", token);
        }

        return request;
    }

    /// <summary>
    /// Sends the request made by <paramref name="build"/> (after <paramref name="before"/>, whose wait
    /// counts as latency too) and records it under <paramref name="kind"/>; the body of a 2xx answer,
    /// or null for a failure.
    /// </summary>
    public async Task<byte[]?> SendAsync(Phase phase, string kind, long due, Func<HttpRequestMessage?> build, Func<Task>? before = null)
    {
        var stats = phase[kind];
        phase.Sent(due);
        try
        {
            using var timeout = new CancellationTokenSource(_timeout);
            if (before is not null)
            {
                await before();
            }

            using var request = build();
            if (request is null)
            {
                stats.Failed(due, Stopwatch.GetTimestamp(), "no session", "the session's start had failed");
                return null;
            }

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            var completed = Stopwatch.GetTimestamp();
            if (response.IsSuccessStatusCode)
            {
                stats.Succeeded(due, completed);
                return body;
            }

            var status = (int)response.StatusCode;
            var text = response.Content.Headers.ContentType?.MediaType == "text/html"
                ? "(an HTML error page)"
                : Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 200))).ReplaceLineEndings(" ");
            stats.Failed(due, completed, $"HTTP {status}", $"{request.Method} {request.RequestUri} → {status} {text}");
            return null;
        }
        catch (OperationCanceledException)
        {
            stats.Failed(due, Stopwatch.GetTimestamp(), "timeout", $"no answer within {_timeout.TotalSeconds:0} s");
            return null;
        }
        catch (Exception e)
        {
            stats.Failed(due, Stopwatch.GetTimestamp(), e.GetType().Name, e.Message);
            return null;
        }
        finally
        {
            phase.Done();
        }
    }

    /// <summary>A plain request outside any measurement (set-up), failing loudly.</summary>
    public async Task<byte[]> FetchAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException(
                    $"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 300)))}");
            }

            return body;
        }
    }

    public void Dispose() => _http.Dispose();
}
