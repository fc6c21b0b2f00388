using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Routing.Patterns;

namespace EduLoop.Tests.Infrastructure;

/// <summary>
/// One routable page of the app, read from its components' <c>@page</c> directives, so that a page added
/// tomorrow is part of every test that walks the pages without editing them.
/// </summary>
public sealed record AppPage(string Template, Type Component)
{
    /// <summary>Every page template of the app, in a stable order.</summary>
    public static IReadOnlyList<AppPage> All { get; } =
        typeof(EduLoop.App.Components.App).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t) && !t.IsAbstract)
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>(inherit: false).Select(r => new AppPage(r.Template, t)))
            .OrderBy(p => p.Template, StringComparer.OrdinalIgnoreCase)
            .ToList();

    private RoutePattern Pattern => RoutePatternFactory.Parse(Template);

    /// <summary>The names of the route's parameters (<c>QuizId</c> in <c>/quizzes/{QuizId:int}</c>).</summary>
    public IReadOnlyList<string> Parameters => Pattern.Parameters.Select(p => p.Name).ToList();

    /// <summary>Static server rendering only (the account pages): no circuit to wait for.</summary>
    public bool IsStatic => Component.IsDefined(typeof(ExcludeFromInteractiveRoutingAttribute), inherit: true);

    /// <summary>
    /// Whether the page's <c>[Authorize]</c> lets a user of this role in (null: not signed in). The
    /// router shows a signed-in user who is not let in a notice instead of the page, and sends an
    /// anonymous one to the sign-in form.
    /// </summary>
    public bool Admits(string? role)
    {
        if (Component.IsDefined(typeof(AllowAnonymousAttribute), inherit: true))
        {
            return true;
        }

        var rules = Component.GetCustomAttributes<AuthorizeAttribute>(inherit: true).ToList();
        return rules.Count == 0
            || (role is not null && rules.All(r => string.IsNullOrEmpty(r.Roles) || r.Roles.Split(',', StringSplitOptions.TrimEntries).Contains(role)));
    }

    /// <summary>The page's address with each parameter filled in by <paramref name="value"/>; null when one has no value.</summary>
    public string? PathWith(Func<string, string?> value)
    {
        var segments = new List<string>();
        foreach (var segment in Pattern.PathSegments)
        {
            var text = "";
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        text += literal.Content;
                        break;
                    case RoutePatternSeparatorPart separator:
                        text += separator.Content;
                        break;
                    case RoutePatternParameterPart parameter:
                        if (value(parameter.Name) is not { } filled)
                        {
                            return null;
                        }

                        text += Uri.EscapeDataString(filled);
                        break;
                }
            }

            segments.Add(text);
        }

        return string.Join('/', segments);
    }
}
