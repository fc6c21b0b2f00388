using System.Text.Encodings.Web;
using System.Text.Unicode;
using EduLoop.App.Api;
using EduLoop.App.Components.Account;
using EduLoop.App.Live;
using EduLoop.App.Scaling;
using EduLoop.Domain;
using EduLoop.Domain.Data;
using EduLoop.Domain.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.WebEncoders;
using MudBlazor.Services;

namespace EduLoop.App.Hosting;

public static class AppRegistration
{
    /// <summary>Everything the web host needs: domain, UI, accounts, localization, health.</summary>
    public static WebApplicationBuilder AddEduLoopApp(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(EduLoopOptions.Section);
        builder.Services.AddOptions<EduLoopOptions>().Bind(section)
            .Validate(o => ApiLinks.IsValidPublicUrl(o.PublicUrl), "EduLoop:PublicUrl must be an absolute http(s) address without query, such as https://school.example/eduloop.")
            .ValidateOnStart();
        var options = section.Get<EduLoopOptions>() ?? new EduLoopOptions();
        var dataDirectory = Path.GetFullPath(options.DataDirectory, builder.Environment.ContentRootPath);

        builder.Services.AddEduLoopDomain(dataDirectory, CommandLine.Database(builder.Configuration));
        PrivateFiles.CreateDirectory(dataDirectory);
        var serverName = ServerName.From(builder.Configuration);
        builder.Services.AddSingleton(serverName);
        builder.AddEduLoopMetrics(serverName.Value);
        builder.Logging.AddConsole(o => o.FormatterName = ServerLogFormatter.Name)
            .AddConsoleFormatter<ServerLogFormatter, ServerLogFormatterOptions>(o => o.ServerName = serverName.Value);
        builder.AddEduLoopScaleOut(builder.Services.AddDataProtection().SetApplicationName("EduLoop"), dataProtection =>
        {
            // One server: keys in the data directory, so sign-in cookies survive a restart or a
            // redeploy. Only EduLoop's account may read them: the folder is made 0700 here, before
            // anything writes a key, and the file repository writes each key as 0600 itself
            // (docs/decisions/0003-private-data-files.md); keys written before that rule are made 0600 too.
            var keys = PrivateFiles.CreateDirectory(Path.Combine(dataDirectory, "keys"));
            PrivateFiles.Restrict(keys.EnumerateFiles("*.xml").Select(f => f.FullName));
            return dataProtection.PersistKeysToFileSystem(keys);
        });

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddLocalization(options => options.ResourcesPath = "Resources");
        // German and math text as characters, not as &#x..; escapes.
        builder.Services.Configure<WebEncoderOptions>(options =>
            options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddScoped<ThemePreference>();
        builder.Services.AddSingleton<Importing.UploadSpool>();
        builder.Services.AddSingleton<Rendering.QuestionRenderer>();
        builder.Services.AddSingleton<OverdueAttempts>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OverdueAttempts>());
        builder.Services.AddSingleton<DailyBackups>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DailyBackups>());

        builder.AddEduLoopIdentity();
        builder.AddEduLoopApi();
        builder.AddEduLoopLive();

        builder.AddForwardedHeaders();
        builder.Services.AddHealthChecks().AddDbContextCheck<EduLoopDbContext>("database", tags: [Scaling.ScaleOutRegistration.Ready]);
        builder.Services.AddSingleton<RequestTimingMiddleware>();
        return builder;
    }

    /// <summary>
    /// Behind a reverse proxy, the client's address (for the request and guessing budgets) and the
    /// original scheme (for the API's absolute links) come from <c>X-Forwarded-For</c> and
    /// <c>X-Forwarded-Proto</c>, but only from a declared proxy: from anyone else the headers would let
    /// a caller name a fresh address, and so get a fresh budget, with every request. Declared means
    /// listed in <c>EduLoop:ForwardedHeaders:KnownProxies</c> (addresses or networks such as
    /// <c>10.0.0.0/8</c>), or, with <c>EduLoop:ForwardedHeaders:Enabled</c> and no list, a proxy on
    /// this machine (loopback). Otherwise the headers are ignored.
    /// </summary>
    private static void AddForwardedHeaders(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("EduLoop:ForwardedHeaders");
        var enabled = section.GetValue<bool>("Enabled");
        // A list (KnownProxies:0, KnownProxies:1 …) or one comma-separated value.
        var list = section.GetSection("KnownProxies");
        var proxies = (list.Get<string[]>() ?? list.Value?.Split(',') ?? [])
            .Select(p => p.Trim()).Where(p => p.Length > 0).ToArray();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            if (proxies.Length == 0 && !enabled)
            {
                options.ForwardedHeaders = ForwardedHeaders.None;
                return;
            }

            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            if (proxies.Length > 0)
            {
                // Exactly the listed ones, not loopback as well.
                options.KnownProxies.Clear();
                options.KnownIPNetworks.Clear();
                foreach (var proxy in proxies)
                {
                    if (proxy.Contains('/', StringComparison.Ordinal))
                    {
                        options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
                    }
                    else
                    {
                        options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
                    }
                }
            }
        });
    }

    private static void AddEduLoopIdentity(this WebApplicationBuilder builder)
    {
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<IdentityRedirectManager>();
        builder.Services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();

        builder.Services.AddIdentityCore<ApplicationUser>(options =>
            {
                // OWASP ASVS 2.1: at least 8 characters, long passphrases allowed, no composition rules.
                options.Password.RequiredLength = 8;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 1;

                // No lockout: its page told that an account exists. Guessing is limited by CredentialThrottle,
                // per address and per account name, the same for names that have no account.
                options.Lockout.AllowedForNewUsers = false;

                options.User.RequireUniqueEmail = true;
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddRoles<IdentityRole>()
            .AddUserManager<EduLoopUserManager>()
            .AddEntityFrameworkStores<EduLoopDbContext>()
            .AddSignInManager<EduLoopSignInManager>()
            .AddClaimsPrincipalFactory<EduLoopClaimsPrincipalFactory>()
            .AddErrorDescriber<LocalizedIdentityErrorDescriber>()
            .AddDefaultTokenProviders();
        // Moved accounts keep the original service's Django hashes until their next sign-in.
        builder.Services.Replace(ServiceDescriptor.Scoped<IPasswordHasher<ApplicationUser>, DjangoPasswordHasher>());
        builder.Services.AddScoped<SecurityStampValidator<ApplicationUser>>();
        builder.Services.Replace(ServiceDescriptor.Scoped<ISecurityStampValidator, CachedSecurityStampValidator>());
    }
}
