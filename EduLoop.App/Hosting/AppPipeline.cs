using EduLoop.App.Api;
using EduLoop.App.Components.Account;
using EduLoop.App.Live;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.FileProviders;

namespace EduLoop.App.Hosting;

public static class AppPipeline
{
    public static readonly string[] SupportedCultures = ["en", "de"];

    /// <summary>The request pipeline and the endpoints.</summary>
    public static WebApplication UseEduLoop(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<RequestTimingMiddleware>();
        app.UseResponseCompression();
        app.UseSecurityHeaders();
        app.UseMiddleware<Api.Compatible.OriginalConventions>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            // Only for requests that came over HTTPS, which behind the proxy means its X-Forwarded-Proto
            // (trusted from loopback only, see AddEduLoopApp).
            app.UseHsts();
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.Use(ErrorPagesAsGet);

        app.UseRequestLocalization(Localization(app.Services.GetRequiredService<Domain.Settings.SchoolSettingsService>()));

        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot-assets")),
            RequestPath = "/assets",
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "public, max-age=3600",
        });

        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapEduLoopMetrics();
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/health/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(Scaling.ScaleOutRegistration.Ready),
            ResponseWriter = Scaling.ReadyReport.WriteAsync,
        });
        app.MapCultureEndpoint();
        app.MapMediaEndpoint();
        app.MapResultsExport();
        app.MapQuizStatisticsExport();
        app.MapBackupDownload();
        app.MapEduLoopApi();
        app.MapEduLoopLive();
        // Blazor's own one-directive policy (frame-ancestors 'self') would take the place of the whole
        // page policy, which has the same directive (SecurityHeaders).
        app.MapRazorComponents<Components.App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        app.MapAdditionalIdentityEndpoints();
        return app;
    }

    /// <summary>
    /// The languages pages come in. Without a language chosen in the switch (the cookie), the school's
    /// default language comes before the browser's: a school sets the language its pages are in.
    /// </summary>
    /// <remarks>
    /// The cultures are the shared read-only ones: the middleware gives each request a read-only
    /// culture and copies one that is not, and a copy per request (with its formats and the lookups
    /// a fresh culture makes again) halved the answer saves a second (bench/RESULTS.md).
    /// </remarks>
    internal static RequestLocalizationOptions Localization(Domain.Settings.SchoolSettingsService settings)
    {
        var cultures = SupportedCultures.Select(System.Globalization.CultureInfo.GetCultureInfo).ToList();
        var localization = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(cultures[0]),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
        };
        localization.RequestCultureProviders.Insert(
            localization.RequestCultureProviders.Count - 1,
            new CustomRequestCultureProvider(_ => Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult(settings.Current.DefaultLanguage))));
        return localization;
    }

    /// <summary>
    /// The error and status pages run again through the pipeline with the failed request's method. A
    /// POST whose antiforgery check failed (a logout form without its token) would have its form read
    /// once more for the page, which throws and turns a 400 into a 500: the pages only show, so they
    /// run as a GET, and the request gets its method back afterwards.
    /// </summary>
    private static async Task ErrorPagesAsGet(HttpContext context, RequestDelegate next)
    {
        if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null
            && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is null)
        {
            await next(context);
            return;
        }

        var method = context.Request.Method;
        context.Request.Method = HttpMethods.Get;
        try
        {
            await next(context);
        }
        finally
        {
            context.Request.Method = method;
        }
    }

    /// <summary>
    /// Question images, by the content-derived names <see cref="Domain.Media.MediaStore"/> gives them:
    /// only its four image types, never sniffed, cached for good since a name never changes content.
    /// </summary>
    private static void MapMediaEndpoint(this WebApplication app) =>
        app.MapGet("/media/{name}", (string name, Domain.Media.MediaStore media, HttpContext context) =>
        {
            if (media.PathOf(name) is not { } path)
            {
                return Results.NotFound();
            }

            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers.ContentSecurityPolicy = "default-src 'none'";
            context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return Results.File(path, Domain.Media.MediaStore.ContentTypeOf(name));
        }).ExcludeFromDescription();

    /// <summary>
    /// A quiz's results as a CSV download for staff (cookie sign-in, as the results page that links to it). Every
    /// teacher may read any quiz's results, as on the results page (docs/decisions/0005-who-may-change-what.md).
    /// </summary>
    private static void MapResultsExport(this WebApplication app) =>
        app.MapGet("/quizzes/{id:int}/results.csv", async (int id, Domain.Quizzes.QuizResultsService results, CancellationToken cancellationToken) =>
        {
            try
            {
                var csv = await results.CsvAsync(id, cancellationToken);
                return Results.File([.. System.Text.Encoding.UTF8.GetPreamble(), .. System.Text.Encoding.UTF8.GetBytes(csv)], "text/csv; charset=utf-8", $"results-{id}.csv");
            }
            catch (Domain.NotFoundException)
            {
                return Results.NotFound();
            }
        }).RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = $"{Domain.Identity.Roles.Admin},{Domain.Identity.Roles.Teacher}" })
        .ExcludeFromDescription();

    /// <summary>
    /// A backup file for admins, streamed as a download. The name must be exactly one of the backup
    /// folder's files (<see cref="Domain.Backups.BackupService.PathOf"/>); anything else is 404.
    /// </summary>
    private static void MapBackupDownload(this WebApplication app) =>
        app.MapGet("/admin/backups/download/{name}", (string name, Domain.Backups.BackupService backups, HttpContext context) =>
        {
            if (backups.PathOf(name) is not { } path)
            {
                return Results.NotFound();
            }

            context.Response.Headers.CacheControl = "no-store";
            return Results.File(path, "application/vnd.sqlite3", name, enableRangeProcessing: true);
        }).RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = Domain.Identity.Roles.Admin })
        .ExcludeFromDescription();

    /// <summary>
    /// <c>/culture/set?culture=de&amp;redirectUri=/</c> stores the language in a cookie and goes back:
    /// the language switch reloads the page so that every component renders in the new culture.
    /// </summary>
    private static void MapCultureEndpoint(this WebApplication app) =>
        app.MapGet("/culture/set", (string? culture, string? redirectUri, HttpContext context) =>
        {
            if (culture is not null && SupportedCultures.Contains(culture))
            {
                context.Response.Cookies.Append(
                    CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                    new CookieOptions { MaxAge = TimeSpan.FromDays(365), IsEssential = true, SameSite = SameSiteMode.Lax });
            }

            // Only paths on this site, rebuilt escaped: never an open redirect, never a header LocalRedirect refuses.
            var target = LocalUrl.SiteOf(context.Request) is { } site ? LocalUrl.PathOnSite(redirectUri, site) : null;
            return TypedResults.LocalRedirect(target ?? "/");
        }).ExcludeFromDescription();
}
