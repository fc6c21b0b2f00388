using System.Net;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace EduLoop.Tests.Infrastructure;

/// <summary>
/// The in-memory test server has no client address. A request with <c>X-Test-Client-Address</c> comes
/// from that address, as if its connection did, before any of the app's middleware runs (the forwarded
/// headers included).
/// </summary>
public sealed class ClientAddress : IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var address))
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}

public static class ClientAddressExtensions
{
    /// <summary>Every request of the client comes from <paramref name="address"/>.</summary>
    public static HttpClient From(this HttpClient client, string address)
    {
        client.DefaultRequestHeaders.Add(ClientAddress.Header, address);
        return client;
    }

    /// <summary>A fresh address for a test of its own: budgets are kept per address.</summary>
    public static string NewAddress() => $"10.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}";
}
