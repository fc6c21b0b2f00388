using EduLoop.App.Api.Compatible;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.ResponseCompression;
using Scalar.AspNetCore;

namespace EduLoop.App.Api;

public static class ApiRegistration
{
    public static WebApplicationBuilder AddEduLoopApi(this WebApplicationBuilder builder)
    {
        var throttling = builder.Configuration.GetSection("EduLoop:Api:Throttling").Get<ThrottlingOptions>() ?? new ThrottlingOptions();
        builder.Services.AddSingleton(throttling);
        builder.Services.AddSingleton(builder.Configuration.GetSection("EduLoop:Api").Get<CompatibleApiOptions>() ?? new CompatibleApiOptions());
        builder.Services.AddSingleton<ApiThrottle>();
        builder.Services.AddSingleton<Hosting.CredentialThrottle>();
        builder.Services.AddSingleton<ApiResponseCache>();
        builder.Services.AddSingleton<Microsoft.Extensions.Caching.Hybrid.IHybridCacheSerializer<CachedResponse>, CachedResponseSerializer>();
        builder.Services.AddSingleton<ApiLinks>();
        builder.Services.AddSingleton<OriginalRoutes>();
        builder.Services.AddSingleton<CredentialCache>();
        // A school's whole class connecting at once must not overflow the listen queue.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>(o => o.Backlog = 4096);
        builder.Services.AddSingleton<ApiCallerFilter>();
        builder.Services.AddSingleton<SameOriginWriteFilter>();
        builder.Services.Configure<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>(o => o.HeaderName = SameOriginWriteFilter.TokenHeader);
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "EduLoop API";
            document.Info.Description =
                "The original service's routes, unchanged (paths end in `/`). " +
                "Authenticate with `Authorization: Token <key>` (the key comes from `/api/api-token-auth/`), " +
                "`Authorization: AccessKey <8 digits>` (a class access key: read-only), or the browser's sign-in cookie. " +
                "Lists answer `{count, next, previous, results}` with `page` (a number or `last`) and `page_size` (at most 100).";
            // Every API route ends in '/', as the original's did; the generator drops it.
            foreach (var path in document.Paths.Keys.Where(p => p.StartsWith("/api/", StringComparison.Ordinal) && !p.EndsWith('/')).ToList())
            {
                document.Paths[path + "/"] = document.Paths[path];
                document.Paths.Remove(path);
            }

            return Task.CompletedTask;
        }));
        builder.Services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["application/json"]);
        });
        // The fastest levels: a page is compressed on every request, and CPU is what a school server lacks.
        builder.Services.Configure<BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        return builder;
    }

    /// <summary>The original's router root: one link, keeping <c>?format=json</c>.</summary>
    private static IResult ApiRoot(HttpContext context, ApiLinks links)
    {
        var format = context.Request.Query["format"].ToString() == "json" ? "?format=json" : "";
        return TypedResults.Json(new Dictionary<string, string> { ["users"] = $"{links.OriginOf(context.Request)}/api/users/{format}" },
            ApiJson.Context.DictionaryStringString);
    }

    /// <summary>The JSON API under <c>/api/</c>.</summary>
    public static IEndpointRouteBuilder MapEduLoopApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api")
            .AddEndpointFilter<ApiCallerFilter>()
            .AddEndpointFilter<SameOriginWriteFilter>()
            .WithTags("Compatible API")
            .DisableAntiforgery();
        api.MapGet("/", ApiRoot).WithName("ApiRoot").WithSummary("The original's API root: where the accounts are.");
        api.MapTaxonomyApi();
        api.MapTokensApi();
        api.MapQuestionsApi();
        api.MapPracticeApi();
        api.MapUsersApi();
        api.MapImportApi();
        api.MapQuizApi();
        api.MapQuizStatisticsApi();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/api/docs", options =>
        {
            options.WithTitle("EduLoop API").WithOpenApiRoutePattern("/openapi/{documentName}.json");
            // A school's server talks to nobody: no telemetry, no fonts from a CDN, no AI chat.
            options.Telemetry = false;
            options.DefaultFonts = false;
            options.Agent = new ScalarAgentOptions { Disabled = true };
            options.Mcp = new ScalarMcpOptions { Disabled = true };
            options.ShowDeveloperTools = DeveloperToolsVisibility.Never;
        });
        return app;
    }
}
