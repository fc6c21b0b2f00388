using System.Globalization;

using EduLoop.App.Hosting;
using EduLoop.Domain;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Querying;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;

using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

using MudBlazor;

namespace EduLoop.App.Components.Pages.Quizzes;

/// <summary>
/// Builds a quiz: settings, slots, classes, extra time and co-teachers. A teacher who may not change
/// the quiz (docs/decisions/0005-who-may-change-what.md) sees it read-only, with Duplicate.
/// </summary>
public sealed partial class QuizBuilder
{
    [Parameter]
    public int? QuizId { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    /// <summary>The school's settings: a new quiz starts with their review policy.</summary>
    [CascadingParameter]
    private Domain.Settings.SchoolSettings? School { get; set; }

    [Inject]
    private QuizService Quizzes { get; set; } = default!;

    [Inject]
    private BankService Bank { get; set; } = default!;

    [Inject]
    private ClassService Classes { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private QuizForm form = new();
    private Actor actor = new("", false);
    private QuizOwnership ownership = new(null, []);
    private IReadOnlyList<QuizTeacher>? teachers;
    private IReadOnlyList<ClassSummary> classes = [];

    /// <summary>The picker's search as one list: its matches read window by window, each continuing from the last one's key.</summary>
    private BankScroll? pickerScroll;
    private IReadOnlyList<QuizStudent> students = [];
    private QuizStudent? extraStudent;
    private bool loading = true;
    private bool missing;
    private bool saving;
    private DomainValidationException? error;

    /// <summary>The quiz's author, co-teachers and admins change it; every other teacher sees it read-only.</summary>
    private bool canChange = true;

    /// <summary>The author and admins choose the co-teachers.</summary>
    private bool canChooseCoTeachers = true;

    private bool ReadOnly => !canChange;

    private string Heading => QuizId is null ? L["New quiz"] : ReadOnly ? L["Quiz"] : L["Edit quiz"];

    protected override void OnInitialized()
    {
        if (QuizId is null && School?.DefaultReview is { } review)
        {
            (form.Review, form.ReviewShowsScore, form.ReviewShowsRightWrong, form.ReviewShowsCorrectAnswers, form.ReviewShowsFeedback) =
                (review.Review, review.ShowsScore, review.ShowsRightWrong, review.ShowsCorrectAnswers, review.ShowsFeedback);
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        actor = (await AuthenticationState).User.Actor();
        classes = await Classes.ListAsync();
        if (QuizId is { } id)
        {
            try
            {
                var quiz = await Quizzes.GetAsync(id);
                (canChange, canChooseCoTeachers) = (quiz.CanChange(actor), quiz.CanChooseCoTeachers(actor));
                ownership = await Quizzes.OwnershipAsync(id);
                form = await QuizForm.LoadAsync(quiz, Bank, Quizzes);
                form.CoTeachers = ownership.CoTeachers;
            }
            catch (NotFoundException)
            {
                missing = true;
            }
        }

        loading = false;
    }

    /// <summary>Teachers by name or email, without the author and those chosen already.</summary>
    private async Task<IEnumerable<QuizTeacher>> FindTeachersAsync(string search, CancellationToken cancellationToken)
    {
        teachers ??= await Quizzes.TeachersAsync(cancellationToken);
        var author = ownership.Author?.Id ?? (QuizId is null ? actor.UserId : null);
        return teachers.Where(t => t.Id != author && form.CoTeachers.All(c => c.Id != t.Id)
            && (string.IsNullOrWhiteSpace(search) || t.Name.Contains(search.Trim(), StringComparison.CurrentCultureIgnoreCase)
                || t.Email.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase)));
    }

    private async Task DuplicateAsync()
    {
        try
        {
            var copy = await Quizzes.DuplicateAsync(QuizId!.Value, actor);
            Snackbar.Add(L["Copied \"{0}\"; the copy is yours to change.", form.Title], Severity.Success);
            Navigation.NavigateTo($"quizzes/{copy}/edit");
        }
        catch (NotFoundException e)
        {
            Snackbar.Add(e.Message, Severity.Warning);
        }
    }

    private string? Failed(string field) => error?.Field == field ? error.Message : null;

    private async Task<IEnumerable<BankPlace>> FindPlacesAsync(string search, CancellationToken cancellationToken) =>
        await Bank.FindPlacesAsync(search, 20, cancellationToken);

    private async Task<BankWindow> FindQuestionsAsync(string search, int start, int count, CancellationToken cancellationToken)
    {
        // "#123" or "123" finds the question with that number; archived questions cannot go into a quiz.
        if (int.TryParse(search.TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            try
            {
                var one = await Bank.GetAsync(id, cancellationToken);
                return one.IsArchived ? new BankWindow(0, [])
                    : new BankWindow(1, start > 0 ? [] : [new BankRow(one.Id, one.Title.Length > 0 ? one.Title : one.Stem, one.Type, one.Level, one.Place, default, one.UpdatedAt, null, one.Version, false)]);
            }
            catch (NotFoundException)
            {
                return new BankWindow(0, []);
            }
        }

        if (pickerScroll?.View.Text != search)
        {
            pickerScroll = new BankScroll(new BankQuery(Text: search));
        }

        return await Bank.WindowAsync(pickerScroll, start, count, cancellationToken);
    }

    /// <summary>The questions the quiz has as fixed slots.</summary>
    private IReadOnlySet<int> QuestionsInQuiz => form.Slots.Where(s => s.QuestionId is not null).Select(s => s.QuestionId!.Value).ToHashSet();

    /// <summary>Adds the questions the picker showed, each by its id, after the quiz's slots; one the quiz has already is left out.</summary>
    private void AddQuestions(IReadOnlyList<BankRow> rows)
    {
        var inQuiz = QuestionsInQuiz;
        var fresh = rows.Where(r => !inQuiz.Contains(r.Id)).DistinctBy(r => r.Id).ToList();
        form.Slots.AddRange(fresh.Select(r => new SlotForm { QuestionId = r.Id, QuestionTitle = $"#{r.Id} {r.Title}" }));
        if (fresh.Count < rows.Count)
        {
            Snackbar.Add(L["This question is in the quiz already."], Severity.Info);
        }
    }

    private void AddDraw() => form.Slots.Add(new SlotForm { IsDraw = true });

    private void Move(int index, int by)
    {
        var slot = form.Slots[index];
        form.Slots.RemoveAt(index);
        form.Slots.Insert(index + by, slot);
    }

    private async Task PlaceChangedAsync(SlotForm slot, BankPlace? place)
    {
        slot.Place = place;
        await CountAvailableAsync(slot);
    }

    private async Task CountChangedAsync(SlotForm slot, int count)
    {
        slot.Count = count;
        await CountAvailableAsync(slot);
    }

    private async Task LevelChangedAsync(SlotForm slot, QuestionLevel? level)
    {
        slot.Level = level;
        await CountAvailableAsync(slot);
    }

    private async Task TagChangedAsync(SlotForm slot, string? tag)
    {
        slot.Tag = tag;
        await CountAvailableAsync(slot);
    }

    private async Task CountAvailableAsync(SlotForm slot) =>
        slot.Available = slot.Place is null ? null : await Quizzes.AvailableAsync(slot.ToDraft());

    private async Task LoadStudentsAsync() => students = await Quizzes.StudentsOfAsync(form.ClassIds.ToList());

    private void AddExtra()
    {
        if (extraStudent is not null)
        {
            form.Extra.Add(new ExtraForm { StudentId = extraStudent.Id, Name = extraStudent.Name, Minutes = 10 });
            extraStudent = null;
        }
    }

    private string GradingName(GradingMethod method) => method switch
    {
        GradingMethod.Highest => L["the highest attempt"],
        GradingMethod.Average => L["the average of attempts"],
        GradingMethod.First => L["the first attempt"],
        _ => L["the last attempt"],
    };

    private async Task SaveAsync()
    {
        saving = true;
        error = null;
        try
        {
            var draft = form.ToDraft() with { CoTeacherIds = canChooseCoTeachers ? form.CoTeachers.Select(t => t.Id).ToList() : null };
            if (QuizId is { } id)
            {
                await Quizzes.UpdateAsync(id, draft, actor);
            }
            else
            {
                QuizId = await Quizzes.CreateAsync(draft, (await AuthenticationState).User.UserId());
            }

            Snackbar.Add(L["Saved \"{0}\".", form.Title], Severity.Success);
            Navigation.NavigateTo($"quizzes/{QuizId}/results");
        }
        catch (DomainValidationException e)
        {
            error = e;
            Snackbar.Add(e.Message, Severity.Error);
        }
        catch (ForbiddenException e)
        {
            Snackbar.Add(e.Message, Severity.Error);
        }
        finally
        {
            saving = false;
        }
    }

    /// <summary>Why students would never see anything of their attempts with the chosen review; null when they will.</summary>
    private string? ReviewWarning
    {
        get
        {
            var draft = form.ToDraft();
            if (ReviewRules.CanEverShow(draft.Review, draft.ClosesAt, draft.ReviewShowsScore, draft.ReviewShowsRightWrong, draft.ReviewShowsCorrectAnswers, draft.ReviewShowsFeedback))
            {
                return null;
            }

            return draft.Review switch
            {
                ReviewTime.Never => L["Students will never see their score or answers: the review is set to never."],
                ReviewTime.AfterClose when draft.ClosesAt is null => L["Students will never see their results: the review opens after the quiz closes, and the quiz has no close time."],
                _ => L["Students will see nothing in the review: tick what it shows."],
            };
        }
    }

    /// <summary>The builder's form: the quiz's settings as the inputs hold them.</summary>
    private sealed class QuizForm
    {
        private const string LocalFormat = "yyyy-MM-ddTHH:mm";

        public string Title { get; set; } = "";
        public string Instructions { get; set; } = "";
        public string? OpensAt { get; set; }
        public string? ClosesAt { get; set; }
        public int? TimeLimitMinutes { get; set; }
        public int AttemptsAllowed { get; set; } = 1;
        public GradingMethod Grading { get; set; }
        public bool ShuffleQuestions { get; set; }
        public bool ShuffleChoices { get; set; } = true;
        public bool OneQuestionPerPage { get; set; }
        public bool SequentialNavigation { get; set; }
        public decimal? PassPercent { get; set; }
        public ReviewTime Review { get; set; } = ReviewTime.ScoreNowAnswersAfterClose;
        public bool ReviewShowsScore { get; set; } = true;
        public bool ReviewShowsRightWrong { get; set; } = true;
        public bool ReviewShowsCorrectAnswers { get; set; } = true;
        public bool ReviewShowsFeedback { get; set; } = true;
        public List<SlotForm> Slots { get; } = [];
        public IReadOnlyCollection<int> ClassIds { get; set; } = [];
        public List<ExtraForm> Extra { get; } = [];
        public IReadOnlyList<QuizTeacher> CoTeachers { get; set; } = [];

        public static async Task<QuizForm> LoadAsync(Quiz quiz, BankService bank, QuizService quizzes)
        {
            var form = new QuizForm
            {
                Title = quiz.Title,
                Instructions = quiz.Instructions,
                OpensAt = Local(quiz.OpensAt),
                ClosesAt = Local(quiz.ClosesAt),
                TimeLimitMinutes = quiz.TimeLimitMinutes,
                AttemptsAllowed = quiz.AttemptsAllowed,
                Grading = quiz.Grading,
                ShuffleQuestions = quiz.ShuffleQuestions,
                ShuffleChoices = quiz.ShuffleChoices,
                OneQuestionPerPage = quiz.OneQuestionPerPage,
                SequentialNavigation = quiz.SequentialNavigation,
                PassPercent = quiz.PassPercent,
                Review = quiz.Review,
                ReviewShowsScore = quiz.ReviewShowsScore,
                ReviewShowsRightWrong = quiz.ReviewShowsRightWrong,
                ReviewShowsCorrectAnswers = quiz.ReviewShowsCorrectAnswers,
                ReviewShowsFeedback = quiz.ReviewShowsFeedback,
                ClassIds = quiz.Assignments.Select(a => a.SchoolClassId).ToHashSet(),
            };
            foreach (var slot in quiz.Slots)
            {
                if (slot.QuestionId is { } questionId)
                {
                    var question = await bank.GetAsync(questionId);
                    form.Slots.Add(new SlotForm { QuestionId = questionId, QuestionTitle = $"#{questionId} {(question.Title.Length > 0 ? question.Title : QuestionText.TitleOf(question.Stem))}", Points = slot.Points });
                }
                else
                {
                    var place = slot.DrawCategoryId is { } categoryId ? await bank.FindPlaceAsync(categoryId, slot.DrawSubCategoryId) : null;
                    var draw = new SlotForm { IsDraw = true, Place = place, Count = slot.DrawCount, Level = slot.DrawLevel, Tag = slot.DrawTag, Points = slot.Points };
                    draw.Available = place is null ? null : await quizzes.AvailableAsync(draw.ToDraft());
                    form.Slots.Add(draw);
                }
            }

            var names = (await quizzes.StudentsOfAsync([.. form.ClassIds])).ToDictionary(s => s.Id, s => s.Name);
            form.Extra.AddRange(quiz.ExtraTimes.Select(e => new ExtraForm { StudentId = e.StudentId, Name = names.GetValueOrDefault(e.StudentId, e.StudentId), Minutes = e.Minutes }));
            return form;
        }

        private static string? Local(DateTime? utc) => utc?.ToLocalTime().ToString(LocalFormat, CultureInfo.InvariantCulture);

        private static DateTime? Utc(string? local) =>
            DateTime.TryParse(local, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var value) ? value.ToUniversalTime() : null;

        public QuizDraft ToDraft() => new(Title, Slots.Select(s => s.ToDraft()).ToList())
        {
            Instructions = Instructions ?? "",
            OpensAt = Utc(OpensAt),
            ClosesAt = Utc(ClosesAt),
            TimeLimitMinutes = TimeLimitMinutes,
            AttemptsAllowed = AttemptsAllowed,
            Grading = Grading,
            ShuffleQuestions = ShuffleQuestions,
            ShuffleChoices = ShuffleChoices,
            OneQuestionPerPage = OneQuestionPerPage,
            SequentialNavigation = OneQuestionPerPage && SequentialNavigation,
            PassPercent = PassPercent,
            Review = Review,
            ReviewShowsScore = ReviewShowsScore,
            ReviewShowsRightWrong = ReviewShowsRightWrong,
            ReviewShowsCorrectAnswers = ReviewShowsCorrectAnswers,
            ReviewShowsFeedback = ReviewShowsFeedback,
            ClassIds = ClassIds.ToList(),
            ExtraMinutes = Extra.GroupBy(e => e.StudentId).ToDictionary(g => g.Key, g => g.Last().Minutes),
        };
    }

    private sealed class SlotForm
    {
        public bool IsDraw { get; init; }
        public int? QuestionId { get; init; }
        public string QuestionTitle { get; init; } = "";
        public BankPlace? Place { get; set; }
        public int Count { get; set; } = 1;
        public QuestionLevel? Level { get; set; }
        public string? Tag { get; set; }
        public int? Available { get; set; }
        public decimal Points { get; set; } = 1m;

        public SlotDraft ToDraft() => IsDraw
            ? new SlotDraft(null, Count, Place?.SubCategoryId is null ? Place?.CategoryId : null, Place?.SubCategoryId, Level, Tag, Points)
            : new SlotDraft(QuestionId, 1, Points: Points);
    }

    private sealed class ExtraForm
    {
        public required string StudentId { get; init; }
        public required string Name { get; init; }
        public int Minutes { get; set; }
    }
}
