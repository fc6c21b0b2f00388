using EduLoop.App.Hosting;
using EduLoop.Domain.Learning;
using EduLoop.Domain.Practice;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace EduLoop.App.Components.Pages.Practice;

/// <summary>
/// Practice by filters or by what is due. Answers are marked and recorded on the server before the
/// result shows; the session lives in the database, so a reload or another device carries on where
/// the student was, answer included.
/// </summary>
public partial class PracticePage
{
    /// <summary>"due" starts a review session at once (the home page's button).</summary>
    [SupplyParameterFromQuery]
    public string? Start { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private static readonly (Rating Rating, string Label)[] SelfRatings =
        [(Rating.Again, "I did not know it"), (Rating.Hard, "Partly"), (Rating.Good, "I knew it"), (Rating.Easy, "Easily")];

    private Learner? learner;
    private int? attemptInProgress;
    private DueToday? due;
    private IReadOnlyList<BankNode>? tree;
    private BankNode? group;
    private BankNode? subject;
    private IReadOnlyCollection<int> categoryIds = [];
    private IReadOnlyCollection<int> subCategoryIds = [];
    private IReadOnlyCollection<QuestionLevel> levels = [];
    private PracticeMode mode;
    private PracticeStep? step;
    private IReadOnlyList<string> options = [];
    private string? response;
    private AnswerCheck? check;
    private IReadOnlyList<string> correctAnswers = [];
    private string? feedback;
    private string? error;
    private bool modelShown;
    private int answered;
    private int right;
    private bool busy;

    protected override async Task OnInitializedAsync()
    {
        learner = (await AuthenticationState).User.AsLearner();
        attemptInProgress = learner is null ? null : await Practice.AttemptInProgressAsync(learner);
        if (learner is null || attemptInProgress is not null)
        {
            return;
        }

        var startDue = learner.Kind == LearnerKind.Student && string.Equals(Start, "due", StringComparison.OrdinalIgnoreCase);
        var resume = await Practice.ResumeAsync(learner);
        if (startDue && resume?.Mode != PracticeMode.Due)
        {
            // A reload of the page the home's button opened carries on with the review it started.
            await StartDueAsync();
        }
        else if (resume is not null)
        {
            (mode, answered, right) = (resume.Mode, resume.Answered, resume.Right);
            Show(new PracticeStep(resume.SessionId, resume.Question));
            if (resume.Answer is { } answer && resume.Question is { } question)
            {
                response = answer.Response;
                ShowResult(question, answer.Check);
            }
        }

        if (step is null)
        {
            await LoadChooserAsync();
        }
    }

    private async Task LoadChooserAsync()
    {
        tree ??= await Bank.TreeAsync();
        due = learner?.Kind == LearnerKind.Student ? await Learning.DueTodayAsync(learner.Id) : null;
    }

    private IReadOnlyList<BankNode> SubCategories => subject?.Children.Where(c => categoryIds.Contains(c.Id)).SelectMany(c => c.Children).ToList() ?? [];

    private static string NamesOf(IEnumerable<BankNode>? nodes, IReadOnlyList<string> ids) =>
        string.Join(", ", (nodes ?? []).Where(n => ids.Contains(n.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).Select(n => n.Name));

    private void GroupChanged(BankNode? node) => (group, subject, categoryIds, subCategoryIds) = (node, null, [], []);

    private void SubjectChanged(BankNode? node) => (subject, categoryIds, subCategoryIds) = (node, [], []);

    private Task StartAsync() => RunAsync(async () =>
    {
        if (group is null || subject is null || learner is null)
        {
            return;
        }

        (mode, answered, right) = (PracticeMode.Filter, 0, 0);
        Show(await Practice.StartAsync(learner, new PracticeFilter(group.Id, subject.Id, categoryIds.ToList(), subCategoryIds.ToList(), levels.ToList())));
    });

    private Task StartDueAsync() => RunAsync(async () =>
    {
        if (learner is null)
        {
            return;
        }

        (mode, answered, right) = (PracticeMode.Due, 0, 0);
        Show(await Practice.StartDueAsync(learner));
    });

    private Task NextAsync() => RunAsync(async () =>
    {
        try
        {
            Show(await Practice.NextAsync(learner!, step?.SessionId));
        }
        catch (PracticeSessionNotFoundException)
        {
            // The session expired while the page was open: start again with the same choice.
            if (mode == PracticeMode.Due)
            {
                Show(await Practice.StartDueAsync(learner!));
            }
            else if (group is not null && subject is not null)
            {
                Show(await Practice.StartAsync(learner!, new PracticeFilter(group.Id, subject.Id, categoryIds.ToList(), subCategoryIds.ToList(), levels.ToList())));
            }
            else
            {
                await RestartAsync();
            }
        }
    });

    private Task CheckAsync() => RunAsync(async () =>
    {
        if (step?.Question is not { } question || response is null || learner is null)
        {
            return;
        }

        var answer = await Practice.AnswerAsync(learner, step.SessionId, question.Id, response);
        answered++;
        right += answer.Check.Correct ? 1 : 0;
        ShowResult(question, answer.Check);
    });

    private Task SelfRateAsync(Rating rating) => RunAsync(async () =>
    {
        if (step?.Question is not { } question || learner is null)
        {
            return;
        }

        var answer = await Practice.SelfRateAsync(learner, step.SessionId, question.Id, response ?? "null", rating);
        answered++;
        right += answer.Check.Correct ? 1 : 0;
        ShowResult(question, answer.Check);
    });

    /// <summary>Runs a step with the busy state on, turning what the server refuses into a message on the page.</summary>
    private async Task RunAsync(Func<Task> action)
    {
        busy = true;
        error = null;
        try
        {
            await action();
        }
        catch (AttemptInProgressException e)
        {
            attemptInProgress = e.AttemptId;
        }
        catch (QuestionHeldException e)
        {
            error = e.Message;
        }
        catch (NotCurrentQuestionException)
        {
            error = L["This question was answered or moved on elsewhere (another tab or device). Take the next question."];
        }
        catch (PracticeSessionNotFoundException)
        {
            error = L["This practice session has ended. Choose again to start a new one."];
        }
        catch (EduLoop.Domain.DomainValidationException e)
        {
            error = e.Message;
        }
        finally
        {
            busy = false;
        }
    }

    private void Show(PracticeStep next)
    {
        step = next;
        (response, check, feedback, correctAnswers, modelShown, error) = (null, null, null, [], false, null);
        var choices = next.Question?.Body.Choices.Select(c => c.Text).ToList() ?? [];
        Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(choices));
        options = choices;
    }

    private void ShowResult(QuestionRecord question, AnswerCheck result)
    {
        check = result;
        correctAnswers = ReviewBuilder.CorrectAnswers(question.Type, question.Body);
        feedback = ReviewBuilder.Feedback(new AttemptQuestion { Type = question.Type, Stem = question.Stem, Body = question.Body, Response = response });
    }

    /// <summary>Ends the session on screen, so a reload shows the choice rather than resuming it.</summary>
    private async Task RestartAsync()
    {
        if (step is not null && learner is not null)
        {
            try
            {
                await Practice.EndAsync(learner, step.SessionId);
            }
            catch (PracticeSessionNotFoundException)
            {
                // Expired or ended elsewhere already.
            }
        }

        step = null;
        await LoadChooserAsync();
    }

    private string ResultText => check is null ? ""
        : step?.Question?.Type == QuestionType.Writing ? L["Your rating is saved; the question comes back when it is due."]
        : check.Correct ? L["Right!"] : check.Score > 0 ? L["Partly right."] : L["Not right."];
}
