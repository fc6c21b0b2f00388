using EduLoop.App.Components.Shared;
using EduLoop.Domain;
using EduLoop.Domain.Quizzes;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace EduLoop.App.Components.Pages.Quizzes;

/// <summary>The attempt page's flags, its question navigation and where the keyboard's focus goes.</summary>
public partial class TakeQuiz
{
    /// <summary>The questions the student flagged to come back to, by position; stored with the attempt, so a reload keeps them.</summary>
    private readonly HashSet<int> flagged = [];

    /// <summary>The id of the element to focus after the next render: a question's heading after paging, or a button of the submit dialog.</summary>
    private string? focusNext;

    private MarkupString FlagIcon(int position) => new(flagged.Contains(position) ? Icons.Material.Filled.Flag : Icons.Material.Outlined.Flag);

    private string PageLabel(AttemptQuestion question) =>
        flagged.Contains(question.Position) ? L["{0}, flagged", L.ItemTitle(numbers[question.Position])] : L.ItemTitle(numbers[question.Position]);

    private async Task ToggleFlagAsync(int position)
    {
        var flag = !flagged.Contains(position);
        try
        {
            await Attempts.FlagAsync(AttemptId, userId, position, flag, gone.Token);
            if (flag)
            {
                flagged.Add(position);
            }
            else
            {
                flagged.Remove(position);
            }
        }
        catch (AttemptClosedException e)
        {
            closedMessage = L["{0} Your saved answers have been submitted.", e.Message];
        }
        catch (OperationCanceledException) when (gone.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The flag stays as it was on the page, so it shows what the server holds.
            Logger.LogWarning(e, "Flagging question {Position} of attempt {Attempt} failed", position, AttemptId);
        }
    }

    /// <summary>A question's button in the navigation: its page, or with all questions on one page, the question itself.</summary>
    private async Task JumpAsync(int index)
    {
        if (sheet is { OneQuestionPerPage: true })
        {
            await GoTo(index);
        }
        else
        {
            FocusQuestion(index);
        }
    }

    /// <summary>After paging, the keyboard and a screen reader go on at the new question's heading.</summary>
    private void FocusQuestion(int index) => focusNext = index < Questions.Count ? $"q{Questions[index].Position}-title" : null;

    private void CancelSubmit()
    {
        confirmMessage = null;
        focusNext = "submit-quiz";
    }

    private async Task FocusRequestedAsync()
    {
        if (focusNext is not { } id)
        {
            return;
        }

        focusNext = null;
        try
        {
            await JS.InvokeVoidAsync("eduloop.focusById", id);
        }
        catch (JSDisconnectedException)
        {
            // The page is gone.
        }
    }
}
