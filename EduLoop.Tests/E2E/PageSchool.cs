using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.E2E;

/// <summary>
/// The school the tests that walk every page use: accounts of each role, with something on every page
/// for them, and a real value for each route parameter, so that every routable page has an address.
/// Built once per app.
/// </summary>
public sealed record PageSchool(
    IReadOnlyDictionary<string, string> Emails, int QuizId, int OpenAttemptId, int SubmittedAttemptId, int QuestionId, int ClassId, int GameId)
{
    /// <summary>The password of every account in <see cref="Emails"/> (by role).</summary>
    public const string Password = "passphrase for the page tests";

    private static readonly ConditionalWeakTable<KestrelAppFactory, Task<PageSchool>> Schools = [];

    /// <summary>
    /// A real value for each route parameter, from the school <see cref="SetUpAsync"/> builds: a page whose
    /// parameter is missing here fails the tests that walk the pages rather than go unchecked. The second argument is the
    /// route's template, for a name that means different things on different pages.
    /// </summary>
    public static readonly Dictionary<string, Func<PageSchool, string, string>> RouteValues = new(StringComparer.OrdinalIgnoreCase)
    {
        // The bank's question editor.
        ["Id"] = (school, _) => school.QuestionId.ToString(),
        ["QuestionId"] = (school, _) => school.QuestionId.ToString(),
        ["QuizId"] = (school, _) => school.QuizId.ToString(),
        ["ClassId"] = (school, _) => school.ClassId.ToString(),
        ["GameId"] = (school, _) => school.GameId.ToString(),
        // A review needs a submitted attempt; the quiz page an attempt still in progress.
        ["AttemptId"] = (school, template) =>
            (template.EndsWith("/review", StringComparison.OrdinalIgnoreCase) ? school.SubmittedAttemptId : school.OpenAttemptId).ToString(),
    };


    /// <summary>The school of this app, built on first use.</summary>
    public static Task<PageSchool> OfAsync(KestrelAppFactory app) =>
        Schools.GetValue(app, SetUpAsync).WaitAsync(TimeSpan.FromMinutes(2));

    /// <summary>The route parameters no value is known for, as "template: {name}".</summary>
    public static IReadOnlyList<string> Unfilled() =>
        AppPage.All.SelectMany(p => p.Parameters.Where(n => !RouteValues.ContainsKey(n)).Select(n => $"{p.Template}: {{{n}}}")).ToList();

    /// <summary>The page's address in this school (relative, without a leading slash); null when a parameter has no value.</summary>
    public string? PathOf(AppPage page) =>
        page.PathWith(name => RouteValues.TryGetValue(name, out var value) ? value(this, page.Template) : null);

    /// <summary>
    /// A school with something on every page: a class with a student, a teacher's quiz of every question
    /// type (choices that are only math among them) assigned to it, one attempt submitted with answers
    /// and an essay to grade, and a second attempt in progress; and an account per role.
    /// </summary>
    private static async Task<PageSchool> SetUpAsync(KestrelAppFactory app)
    {
        var run = $"{Guid.NewGuid():N}"[..8];
        var category = $"Every page {run}";
        var gift = $$"""
            $CATEGORY: Pages/Everyone/{{category}}

            ::Reading::Read each question carefully; the essay is graded by hand.

            ::Power::Which number is $2^3$? {=$8$ ~$6$ ~$9$ ~$5$#Count the factors.}

            ::Sky::The sky is green. {F}

            ::Boiling::Water boils at how many °C at sea level? {#100:1}

            ::Capital::The capital of France is {=Paris =paris}.

            ::Primes::Which of these are prime numbers? {~%50%$2$ ~%50%$3$ ~%-100%$4$}

            ::Pairs::Match each country with its capital. {=France -> Paris =Italy -> Rome =Spain -> Madrid}

            ::Essay::Describe a river you know. {}
            """;
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await services.GetRequiredService<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(gift)),
            new ImportOptions { Duplicates = DuplicateHandling.Import }, null);
        await using var db = app.CreateDbContext();
        var questions = await db.Questions.Where(q => q.Category!.Name == category).OrderBy(q => q.Id).ToDictionaryAsync(q => q.Title, q => q.Id);

        var users = services.GetRequiredService<UserAdminService>();
        var emails = new Dictionary<string, string>();
        var ids = new Dictionary<string, string>();
        foreach (var role in new[] { Roles.Student, Roles.Teacher, Roles.Admin })
        {
            var email = $"{role.ToLowerInvariant()}-{run}@school.test";
            ids[role] = (await users.CreateAsync(new NewUser(email, $"Page {role}", role, Password))).Id;
            emails[role] = email;
        }

        var schoolClass = await services.GetRequiredService<ClassService>().CreateAsync($"Class {run}", "Everyone who checks the pages.");
        db.ClassMemberships.Add(new ClassMembership { SchoolClassId = schoolClass.Id, UserId = ids[Roles.Student], JoinedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();

        var quiz = await services.GetRequiredService<QuizService>().CreateAsync(
            new QuizDraft($"Quiz {run}", questions.Values.Select(id => new SlotDraft(QuestionId: id)).ToList())
            {
                Instructions = "Answer every question.",
                ClassIds = [schoolClass.Id],
                TimeLimitMinutes = 120,
                AttemptsAllowed = 2,
                ShuffleChoices = false,
                Review = ReviewTime.Immediately,
            },
            ids[Roles.Teacher]);

        var attempts = services.GetRequiredService<AttemptService>();
        var submitted = await attempts.StartAsync(quiz, ids[Roles.Student]);
        var sequence = 0;
        foreach (var question in submitted.Questions)
        {
            var response = question.QuestionId == questions["Power"] ? "\"$8$\""
                : question.QuestionId == questions["Sky"] ? "true"
                : question.QuestionId == questions["Boiling"] ? "\"99\""
                : question.QuestionId == questions["Capital"] ? "\"Paris\""
                : question.QuestionId == questions["Essay"] ? "\"The Rhine runs from the Alps to the North Sea.\""
                : null;
            if (response is not null)
            {
                await attempts.SaveAnswerAsync(submitted.Id, ids[Roles.Student], question.Position, JsonDocument.Parse(response).RootElement, ++sequence);
            }
        }

        await attempts.SubmitAsync(submitted.Id, ids[Roles.Student]);
        var open = await attempts.StartAsync(quiz, ids[Roles.Student]);

        // A live game of the quiz, its first question on screen, with the student and a guest in it.
        var live = services.GetRequiredService<EduLoop.Domain.Live.LiveGameService>();
        var host = EduLoop.Domain.Actor.Teacher(ids[Roles.Teacher]);
        var game = await live.CreateFromQuizAsync(host, quiz, new EduLoop.Domain.Live.LiveOptions(AllowGuests: true));
        await live.JoinAsStudentAsync(game.Id, ids[Roles.Student]);
        await live.JoinAsGuestAsync(game.Id, "Page guest");
        var room = (await services.GetRequiredService<EduLoop.Domain.Live.LiveRooms>().RoomAsync(game.Id))!;
        await room.PlayersMovedAsync();
        await room.StepAsync(host, EduLoop.Domain.Live.LiveStep.Next);
        return new PageSchool(emails, quiz, open.Id, submitted.Id, questions["Power"], schoolClass.Id, game.Id);
    }
}
