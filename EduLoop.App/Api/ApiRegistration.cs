using EduLoop.App.Api.Compatible;
using Microsoft.AspNetCore.Authentication;

namespace EduLoop.App.Api;

public static class ApiRegistration
{
    public static WebApplicationBuilder AddEduLoopApi(this WebApplicationBuilder builder)
    {
        var throttling = builder.Configuration.GetSection("EduLoop:Api:Throttling").Get<ThrottlingOptions>() ?? new ThrottlingOptions();
        builder.Services.AddSingleton(throttling);
        builder.Services.AddSingleton(builder.Configuration.GetSection("EduLoop:Api").Get<CompatibleApiOptions>() ?? new CompatibleApiOptions());
        builder.Services.AddSingleton<ApiThrottle>();
        builder.Services.AddSingleton<ApiResponseCache>();
        builder.Services.AddSingleton<ApiCallerFilter>();
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        return builder;
    }

    /// <summary>The JSON API under <c>/api/</c>.</summary>
    public static IEndpointRouteBuilder MapEduLoopApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api")
            .AddEndpointFilter<ApiCallerFilter>()
            .WithTags("Compatible API")
            .DisableAntiforgery();
        api.MapTaxonomyApi();
        api.MapTokensApi();
        api.MapQuestionsApi();
        api.MapPracticeApi();
        api.MapUsersApi();
        return app;
    }
}
