using System.Collections.Concurrent;
using System.Text;

using AngleSharp.Dom;

using Bunit;

using EduLoop.App.Components.Pages.Quizzes;
using EduLoop.Domain.Formats;
using EduLoop.Domain.QuestionBank;
using EduLoop.Tests.Infrastructure;

using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Components;

/// <summary>
/// The quiz builder's question search over the real bank, with each search held until the test lets
/// it answer: rows belong to the search that produced them, and a click adds the question its row showed.
/// </summary>
public sealed class QuestionPickerTests : MudComponentTest
{
    private DomainDatabase _database = null!;
    private readonly Dictionary<string, int> _questions = [];
    private readonly List<IReadOnlyList<BankRow>> _added = [];

    /// <summary>The searches asked for, in order, each answering only when released.</summary>
    private readonly ConcurrentQueue<(string Text, TaskCompletionSource Gate)> _searches = new();

    public override async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        const string gift = """
            $CATEGORY: Geography/Europe/Capitals

            ::France::What is the capital of France? {=Paris ~Lyon}

            ::Italy::What is the capital of Italy? {=Rome ~Milan}

            ::Spain::What is the capital of Spain? {=Madrid ~Seville}
            """;
        await _database.Get<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(gift)), new ImportOptions(), null);
        await using var db = _database.CreateContext();
        foreach (var question in await db.Questions.ToListAsync())
        {
            _questions[question.Title] = question.Id;
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>
    /// The bank's search as the builder runs it, answering only when the test releases it (a slow
    /// search); it ignores cancellation, as a slow database would. Once released it answers on the
    /// renderer's queue, so the test's next call on that queue comes after the picker has seen the answer.
    /// </summary>
    private async Task<BankWindow> SlowSearchAsync(string text, int start, int count, CancellationToken cancellationToken)
    {
        var rows = await _database.Get<BankService>().WindowAsync(new BankScroll(new BankQuery(Text: text)), start, count, CancellationToken.None);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _searches.Enqueue((text, gate));
        await gate.Task;
        return rows;
    }

    private IRenderedComponent<QuestionPicker> RenderPicker(params string[] inQuiz) =>
        Render<QuestionPicker>(p => p
            .Add(c => c.Search, SlowSearchAsync)
            .Add(c => c.InQuiz, inQuiz.Select(t => _questions[t]).ToHashSet())
            .Add(c => c.OnAdd, rows => _added.Add(rows))
            .Add(c => c.DebounceMilliseconds, 0));

    /// <summary>The held search for the text, once the picker has started it.</summary>
    private TaskCompletionSource Started(string text)
    {
        Assert.True(SpinWait.SpinUntil(() => _searches.Any(s => s.Text == text), TimeSpan.FromSeconds(10)), $"the search for {text} did not start");
        return _searches.First(s => s.Text == text).Gate;
    }

    private static List<string> Rows(IRenderedComponent<QuestionPicker> picker) =>
        picker.FindAll("[data-testid=picker-row]").Select(r => r.GetAttribute("data-question-id")!).ToList();

    private static IElement Row(IRenderedComponent<QuestionPicker> picker, int id) =>
        picker.Find($"[data-testid=picker-row][data-question-id='{id}']");

    [Fact]
    public async Task QuestionPicker_ShouldDropTheLateAnswerOfAnOlderSearch_AndAddTheQuestionItsRowShowed()
    {
        var picker = RenderPicker();

        picker.Find("input[data-testid=add-question-search]").Input("France");
        picker.Find("input[data-testid=add-question-search]").Input("Italy");
        var france = Started("France");
        var italy = Started("Italy");

        italy.SetResult();
        picker.WaitForAssertion(() => Assert.Equal([_questions["Italy"].ToString()], Rows(picker)));
        france.SetResult();
        await picker.InvokeAsync(() => { });

        Assert.Equal([_questions["Italy"].ToString()], Rows(picker));
        Assert.Equal("Italy", picker.Find("[data-testid=picker-results]").GetAttribute("data-query"));
        Row(picker, _questions["Italy"]).QuerySelector("[data-testid=picker-add]")!.Click();
        picker.WaitForAssertion(() => Assert.Equal([[_questions["Italy"]]], _added.Select(rows => rows.Select(r => r.Id).ToList())));
    }

    [Fact]
    public void QuestionPicker_ShouldMakeTheRowsOfTheLastSearchUnclickable_WhileANewOneRuns()
    {
        var picker = RenderPicker();
        picker.Find("input[data-testid=add-question-search]").Input("France");
        Started("France").SetResult();
        picker.WaitForAssertion(() => Assert.Equal([_questions["France"].ToString()], Rows(picker)));

        picker.Find("input[data-testid=add-question-search]").Input("Spain");
        var spain = Started("Spain");

        picker.WaitForAssertion(() => Assert.Equal("true", picker.Find("[data-testid=picker-results]").GetAttribute("aria-busy")));
        var stale = Row(picker, _questions["France"]);
        Assert.True(stale.QuerySelector("[data-testid=picker-add]")!.HasAttribute("disabled"));
        Assert.True(stale.QuerySelector("input[type=checkbox]")!.HasAttribute("disabled"));
        stale.QuerySelector("[data-testid=picker-add]")!.Click();
        Assert.Empty(_added);

        spain.SetResult();
        picker.WaitForAssertion(() => Assert.Equal([_questions["Spain"].ToString()], Rows(picker)));
        Assert.Equal("false", picker.Find("[data-testid=picker-results]").GetAttribute("aria-busy"));
    }

    [Fact]
    public void QuestionPicker_ShouldAddTheCheckedQuestionsTogether_InTheOrderChecked_AndShowThoseInTheQuiz()
    {
        var picker = RenderPicker("France");
        picker.Find("input[data-testid=add-question-search]").Input("capital");
        Started("capital").SetResult();
        picker.WaitForAssertion(() => Assert.Equal(3, Rows(picker).Count));

        Assert.NotNull(Row(picker, _questions["France"]).QuerySelector("[data-testid=picker-in-quiz]"));
        Assert.True(Row(picker, _questions["France"]).QuerySelector("input[type=checkbox]")!.HasAttribute("disabled"));
        Row(picker, _questions["Spain"]).QuerySelector("input[type=checkbox]")!.Change(true);
        Row(picker, _questions["Italy"]).QuerySelector("input[type=checkbox]")!.Change(true);
        picker.Find("[data-testid=add-checked]").Click();

        Assert.Equal([[_questions["Spain"], _questions["Italy"]]], _added.Select(rows => rows.Select(r => r.Id).ToList()));
        picker.WaitForAssertion(() => Assert.True(picker.Find("[data-testid=add-checked]").HasAttribute("disabled")));
    }
}
