using Bunit;

using EduLoop.App.Rendering;

using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

using MudBlazor;
using MudBlazor.Services;

namespace EduLoop.Tests.Components;

/// <summary>
/// A bunit context set up as the app is: MudBlazor without transitions, the localizer, the question
/// renderer, loose JS interop. The context is disposed asynchronously, as MudBlazor's services require.
/// </summary>
public abstract class MudComponentTest : IAsyncLifetime
{
    protected MudComponentTest()
    {
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.ShowTransitionDuration = 0;
            options.SnackbarConfiguration.HideTransitionDuration = 0;
            options.PopoverOptions.CheckForPopoverProvider = false;
        });
        Services.AddLocalization(options => options.ResourcesPath = "Resources");
        Services.AddSingleton<QuestionRenderer>();
    }

    protected BunitContext Context { get; } = new();

    protected BunitServiceProvider Services => Context.Services;

    protected IRenderedComponent<T> Render<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null) where T : IComponent =>
        Context.Render(parameters);

    /// <summary>Renders the providers that dialogs, menus and snackbars need, once per test.</summary>
    protected (IRenderedComponent<MudDialogProvider> Dialogs, IRenderedComponent<MudPopoverProvider> Popovers) RenderProviders()
    {
        var dialogs = Render<MudDialogProvider>();
        Render<MudSnackbarProvider>();
        return (dialogs, Render<MudPopoverProvider>());
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync() => await Context.DisposeAsync();
}
