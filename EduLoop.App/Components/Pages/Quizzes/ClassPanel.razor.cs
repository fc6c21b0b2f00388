using EduLoop.App.Components.Shared;
using EduLoop.Domain;
using EduLoop.Domain.Classes;

using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

using MudBlazor;

namespace EduLoop.App.Components.Pages.Quizzes;

/// <summary>
/// One class as its teachers run it: the access key (copy, renew), the students (add by email, remove)
/// and the teachers (admins add and remove them). The service checks every action; a teacher who is
/// no longer the class's teacher gets its message, not a broken page.
/// </summary>
public sealed partial class ClassPanel
{
    private IReadOnlyList<AccessKeySummary>? keys;
    private IReadOnlyList<ClassMember>? members;
    private IReadOnlyList<ClassTeacherSummary>? teachers;
    private string? studentEmail;
    private string? studentError;
    private string? teacherEmail;
    private string? teacherError;
    private bool busy;

    [Inject]
    private ClassService Classes { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Parameter, EditorRequired]
    public required ClassSummary SchoolClass { get; set; }

    [Parameter, EditorRequired]
    public required Actor Actor { get; set; }

    /// <summary>Students or keys changed: the page's list shows new counts.</summary>
    [Parameter]
    public EventCallback Changed { get; set; }

    protected override async Task OnInitializedAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        try
        {
            keys = await Classes.ActiveKeysAsync(SchoolClass.Id, Actor);
            members = await Classes.MembersAsync(SchoolClass.Id, Actor);
            teachers = await Classes.TeachersAsync(SchoolClass.Id, Actor);
        }
        catch (Exception e) when (e is ForbiddenException or NotFoundException)
        {
            (keys, members, teachers) = ([], [], []);
            Snackbar.Add(L["This class does not exist or you do not teach it."], Severity.Error);
        }
    }

    private async Task CopyAsync(string key)
    {
        var copied = await JS.InvokeAsync<bool>("eduloop.copyText", key);
        Snackbar.Add(copied ? L["Access key {0} copied.", key] : L["Could not copy: select the key and copy it yourself."], copied ? Severity.Success : Severity.Warning);
    }

    private async Task RenewAsync()
    {
        var message = keys is { Count: > 0 }
            ? L["Renew the access key of {0}? The key {1} stops working at once; students already in the class stay.", SchoolClass.Name, string.Join(", ", keys.Select(k => k.Key))]
            : L["Make a new access key for {0}?", SchoolClass.Name];
        if (!await Dialogs.ConfirmAsync(L["Renew the key"], message, L["Renew"], Color.Primary))
        {
            return;
        }

        await ActAsync(async () =>
        {
            var key = await Classes.RenewKeyAsync(SchoolClass.Id, Actor);
            Snackbar.Add(L["The new access key is {0}.", key.Key], Severity.Success);
        });
    }

    private async Task AddStudentAsync()
    {
        studentError = null;
        await ActAsync(async () =>
        {
            switch (await Classes.AddStudentAsync(SchoolClass.Id, studentEmail, Actor))
            {
                case AddToClassOutcome.Added:
                    Snackbar.Add(L["{0} is now in {1}.", studentEmail?.Trim() ?? "", SchoolClass.Name], Severity.Success);
                    studentEmail = null;
                    break;
                case AddToClassOutcome.AlreadyInClass:
                    studentError = L["This student is already in the class."];
                    break;
                default:
                    studentError = L["No student account has this email. Students register first, or an admin creates their account."];
                    break;
            }
        });
    }

    private async Task RemoveStudentAsync(ClassMember member)
    {
        if (!await Dialogs.ConfirmAsync(L["Remove from the class"],
                L["Remove {0} from {1}? Their attempts stay; they no longer get the class's quizzes.", member.Name, SchoolClass.Name], L["Remove"]))
        {
            return;
        }

        await ActAsync(async () =>
        {
            await Classes.RemoveStudentAsync(SchoolClass.Id, member.UserId, Actor);
            Snackbar.Add(L["{0} left {1}.", member.Name, SchoolClass.Name], Severity.Success);
        });
    }

    private async Task AddTeacherAsync()
    {
        teacherError = null;
        await ActAsync(async () =>
        {
            switch (await Classes.AddTeacherAsync(SchoolClass.Id, teacherEmail, Actor))
            {
                case AddToClassOutcome.Added:
                    Snackbar.Add(L["{0} now teaches {1}.", teacherEmail?.Trim() ?? "", SchoolClass.Name], Severity.Success);
                    teacherEmail = null;
                    break;
                case AddToClassOutcome.AlreadyInClass:
                    teacherError = L["This teacher already teaches the class."];
                    break;
                default:
                    teacherError = L["No teacher account has this email."];
                    break;
            }
        });
    }

    private async Task RemoveTeacherAsync(ClassTeacherSummary teacher)
    {
        if (!await Dialogs.ConfirmAsync(L["Remove from the class"],
                L["Remove {0} as a teacher of {1}? They no longer see its key and students.", teacher.Name, SchoolClass.Name], L["Remove"]))
        {
            return;
        }

        await ActAsync(async () =>
        {
            await Classes.RemoveTeacherAsync(SchoolClass.Id, teacher.UserId, Actor);
            Snackbar.Add(L["{0} no longer teaches {1}.", teacher.Name, SchoolClass.Name], Severity.Success);
        });
    }

    /// <summary>Runs a change, shows the service's refusal as a message, and reloads the class and the page's list.</summary>
    private async Task ActAsync(Func<Task> change)
    {
        busy = true;
        try
        {
            await change();
        }
        catch (Exception e) when (e is ForbiddenException or NotFoundException)
        {
            Snackbar.Add(L["This class does not exist or you do not teach it."], Severity.Error);
        }
        finally
        {
            busy = false;
        }

        await LoadAsync();
        await Changed.InvokeAsync();
    }
}
