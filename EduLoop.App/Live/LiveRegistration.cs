using CsvHelper;
using EduLoop.App.Hosting;
using EduLoop.Domain;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Live;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EduLoop.App.Live;

/// <summary>The live games' endpoint for players' devices, the host's presence, and the results download.</summary>
public static class LiveRegistration
{
    public const string HubPath = "/live/hub";

    public static WebApplicationBuilder AddEduLoopLive(this WebApplicationBuilder builder)
    {
        builder.Services.AddSignalR();
        builder.Services.AddSingleton<LiveHubRelay>();
        builder.Services.AddScoped<LiveHostPresence>();
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<LiveHostPresence>());
        return builder;
    }

    public static IEndpointRouteBuilder MapEduLoopLive(this IEndpointRouteBuilder app)
    {
        // Anyone may connect (guests play without an account); a signed-in page's cookie or a teacher's
        // personal token (Authorization: Token …) is read, for students' seats and the host's methods.
        app.MapHub<LiveHub>(HubPath)
            .RequireAuthorization(new AuthorizeAttribute
            {
                AuthenticationSchemes = $"{Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme},{Api.ApiKeyAuthenticationHandler.SchemeName}",
            })
            .AllowAnonymous();
        app.MapGet("/live/{id:int}/results.csv", ResultsCsvAsync)
            .RequireAuthorization(new AuthorizeAttribute { Roles = $"{Roles.Admin},{Roles.Teacher}" })
            .ExcludeFromDescription();
        return app;
    }

    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with { WriteByteOrderMark = true, Injection = CsvInjection.Escape };

    private static async Task<Results<FileContentHttpResult, NotFound, ForbidHttpResult>> ResultsCsvAsync(
        int id, LiveGameService games, HttpContext context, CancellationToken cancellationToken)
    {
        try
        {
            var results = await games.ResultsAsync(id, context.User.Actor(), cancellationToken);
            return TypedResults.File(Csv(results), "text/csv; charset=utf-8", $"live-{id}.csv");
        }
        catch (NotFoundException)
        {
            return TypedResults.NotFound();
        }
        catch (ForbiddenException)
        {
            return TypedResults.Forbid();
        }
    }

    /// <summary>One row per player: place, nickname, whether a guest, total, right answers, then each question's points (empty where not answered).</summary>
    internal static byte[] Csv(LiveResults results)
    {
        using var stream = new MemoryStream();
        using (var csv = CsvWriter.Create(stream, Options, leaveOpen: true))
        {
            csv.WriteHeader(["rank", "nickname", "guest", "total", "correct", .. results.Questions.Select(q => $"q{q.Index + 1}")]);
            foreach (var player in results.Players)
            {
                csv.WriteField(player.Rank, "");
                csv.WriteField(player.Nickname);
                csv.WriteField(player.Guest ? "yes" : "no");
                csv.WriteField(player.Total, "");
                csv.WriteField(player.Correct, "");
                foreach (var points in player.Points)
                {
                    csv.WriteField(points, "");
                }

                csv.EndRecord();
            }
        }

        return stream.ToArray();
    }
}
