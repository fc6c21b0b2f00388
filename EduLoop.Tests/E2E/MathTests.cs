using System.Text;
using System.Text.Json;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Identity;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EduLoop.Tests.E2E;

/// <summary>
/// Questions with math in their text, choices, answers and feedback, and a student who answered with math:
/// every page that shows them shows the typesetter's output (KaTeX), never TeX between dollars.
/// </summary>
[Collection(PageWalkCollection.Name)]
public sealed class MathTests(BrowserFixture browser)
{
    private const string Password = "student passphrase for math tests";

    /// <summary>TeX source as it would show if a page left it to the reader.</summary>
    private const string RawTeX = @"$\frac";

    private sealed record MathSchool(string Group, int Category, int Quiz, int Attempt, string Email);

    private async Task<MathSchool> SetUpAsync()
    {
        var id = $"{Guid.NewGuid():N}"[..8];
        var group = $"Maths {id}";
        await using var scope = browser.App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var gift = $"$CATEGORY: {group}/Fractions/Halves\n\n::Seed::A seed. {{T}}\n\n$CATEGORY: {group}/Practice/Sums\n\n::Sum seed::A seed. {{T}}\n";
        await services.GetRequiredService<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(gift)),
            new ImportOptions { Duplicates = DuplicateHandling.Import }, null);
        await using var db = browser.App.CreateDbContext();
        var seeds = await db.Questions.Where(q => q.Category!.Group!.Name == group).ToDictionaryAsync(q => q.Title, q => q.Id);
        var teacher = await db.Users.Where(u => u.Email == TestAccounts.TeacherEmail).Select(u => u.Id).SingleAsync();
        var bank = services.GetRequiredService<BankService>();

        async Task<int> AddAsync(string seed, QuestionType type, string stem, QuestionBody body)
        {
            var place = await bank.GetAsync(seeds[seed]);
            return (await bank.SaveAsync(place with { Id = 0, Title = "", Type = type, Stem = stem, Body = body, Tags = [] }, teacher)).Id;
        }

        var fill = await AddAsync("Seed", QuestionType.FillBlank, @"Solve $\frac{1}{2}x = 3$ for $x$.", new QuestionBody
        {
            AcceptedAnswers = [new("$x = 6$", 1m, @"Yes: $2 \cdot 3 = 6$.")],
            GeneralFeedback = @"Multiply both sides by $2$: $x = 2 \cdot 3$.",
        });
        var mcq = await AddAsync("Seed", QuestionType.Mcq, @"Which fraction is $\frac{2}{4}$ in lowest terms?", new QuestionBody
        {
            Choices = [new(@"$\frac{1}{2}$", 1m, "Divide both by $2$."), new(@"$\frac{2}{3}$", 0m, @"$\frac{2}{3} > \frac{2}{4}$.")],
        });
        var essay = await AddAsync("Seed", QuestionType.Writing, @"Explain why $\sqrt{2}$ is not a fraction $\frac{p}{q}$.", new QuestionBody
        {
            GeneralFeedback = @"Assume $\frac{p}{q}$ in lowest terms and square it.",
        });
        var train = await AddAsync("Seed", QuestionType.Math,
            @"A train covers $\frac{3}{4}$ of its way in the first hour and the rest, $\frac{1}{4}$ of the way, in twenty more minutes; what is its speed?",
            new QuestionBody { NumericAnswers = [new(90, 1)] });
        await AddAsync("Sum seed", QuestionType.FillBlank, @"What is $\frac{1}{2} + \frac{1}{4}$?", new QuestionBody { AcceptedAnswers = [new(@"$\frac{3}{4}$")] });
        await db.Questions.Where(q => seeds.Values.Contains(q.Id)).ExecuteUpdateAsync(s => s.SetProperty(q => q.IsArchived, true));
        var category = await db.Questions.Where(q => q.Id == fill).Select(q => q.CategoryId).SingleAsync();

        var accounts = services.GetRequiredService<UserAdminService>();
        var email = $"{Guid.NewGuid():N}"[..10] + "@school.test";
        var student = await accounts.CreateAsync(new NewUser(email, "Mia Maths", Roles.Student, Password));
        var schoolClass = await services.GetRequiredService<ClassService>().CreateAsync($"Class {group}", "");
        db.ClassMemberships.Add(new ClassMembership { SchoolClassId = schoolClass.Id, UserId = student.Id, JoinedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();

        var quiz = await services.GetRequiredService<QuizService>().CreateAsync(
            new QuizDraft($"Fractions {id}", [new SlotDraft(QuestionId: fill), new SlotDraft(QuestionId: mcq), new SlotDraft(QuestionId: essay), new SlotDraft(QuestionId: train)])
            {
                ClassIds = [schoolClass.Id],
                ShuffleChoices = false,
            }, teacher);
        var attempts = services.GetRequiredService<AttemptService>();
        var attempt = await attempts.StartAsync(quiz, student.Id);
        foreach (var (position, answer) in new[]
                 {
                     (1, "$x = 5$"), (2, @"$\frac{2}{3}$"), (3, @"Suppose $\sqrt{2} = \frac{p}{q}$ with $p$ and $q$ coprime; then $p^2 = 2q^2$."), (4, "90"),
                 })
        {
            await attempts.SaveAnswerAsync(attempt.Id, student.Id, position, JsonDocument.Parse(JsonSerializer.Serialize(answer)).RootElement, 1);
        }

        await attempts.SubmitAsync(attempt.Id, student.Id);
        return new MathSchool(group, category, quiz, attempt.Id, email);
    }

    private async Task<IPage> PageAsync(bool dark, bool phone, string email, string password)
    {
        var page = await browser.NewPageAsync(phone);
        if (dark)
        {
            await page.Context.AddCookiesAsync([new Cookie { Name = "eduloop-theme", Value = "dark", Url = browser.App.RootUrl }]);
        }

        await page.LoginAsync(email, password);
        return page;
    }

    /// <summary>Waits until the typesetter has set every formula of the page, then checks that no TeX source is left to read.</summary>
    private static async Task AssertTypesetAsync(IPage page, string ready)
    {
        await Expect(page.Locator(ready).First).ToBeVisibleAsync();
        await Expect(page.Locator(".math").First).ToBeAttachedAsync();
        await Expect(page.Locator(".math:not([data-typeset])")).ToHaveCountAsync(0);
        var text = await page.Locator("body").InnerTextAsync();
        Assert.False(text.Contains(RawTeX, StringComparison.Ordinal), $"{page.Url} shows TeX source: {text}");
    }

    [Fact]
    public async Task ReviewAndBankList_ShowTypesetMath_AndNoTeXSource()
    {
        var school = await SetUpAsync();

        var student = await PageAsync(dark: false, phone: false, school.Email, Password);
        await student.GotoAsync($"attempts/{school.Attempt}/review");
        await AssertTypesetAsync(student, "[data-testid=review-answer] .katex");
        await Expect(student.Locator("[data-testid=review-answer]:has(.katex)")).ToHaveCountAsync(3);
        await Expect(student.Locator("[data-testid=review-key] .katex").First).ToBeVisibleAsync();
        await Expect(student.Locator("[data-testid=review-1] [data-testid=review-answer]")).Not.ToContainTextAsync("$");
        await student.Context.CloseAsync();

        var teacher = await PageAsync(dark: false, phone: false, TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
        await teacher.GotoAsync($"bank?node=c{school.Category}");
        await Expect(teacher.Locator("[data-testid=bank-row]")).ToHaveCountAsync(4);
        await AssertTypesetAsync(teacher, "[data-testid=bank-row] .katex");
        await Expect(teacher.Locator("[data-testid=bank-row]:has(.katex)")).ToHaveCountAsync(4);
        await teacher.Context.CloseAsync();
    }

    [Fact]
    public async Task EveryViewOfMath_LightDarkAndPhone_IsTypesetAndFits()
    {
        var school = await SetUpAsync();
        foreach (var (dark, phone, look) in new[] { (false, false, "light"), (true, false, "dark"), (false, true, "light-phone") })
        {
            var teacher = await PageAsync(dark, phone, TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
            foreach (var (path, ready, name) in new[]
            {
                ("", "[data-testid=recently-edited] .katex", "teacher-home"),
                ($"bank?node=c{school.Category}", "[data-testid=bank-row] .katex", "bank"),
                ($"quizzes/{school.Quiz}/edit", "[data-testid=slot-4] .katex", "builder"),
                ($"quizzes/{school.Quiz}/results", "[data-testid=facility] .katex", "results"),
                ($"grading?quiz={school.Quiz}", "[data-testid=essay-answer] .katex", "grading"),
                ($"attempts/{school.Attempt}/review", "[data-testid=review-answer] .katex", "review-teacher"),
            })
            {
                await teacher.GotoAsync(path);
                await teacher.WaitForInteractiveAsync();
                await AssertTypesetAsync(teacher, ready);
                Assert.False(await teacher.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), $"{name} scrolls sideways");
                await teacher.ScreenshotAsync($"math-{name}-{look}");
            }

            await teacher.Context.CloseAsync();

            var student = await PageAsync(dark, phone, school.Email, Password);
            await student.GotoAsync($"attempts/{school.Attempt}/review");
            await AssertTypesetAsync(student, "[data-testid=review-answer] .katex");
            await student.ScreenshotAsync($"math-review-{look}");

            await student.GotoAsync("practice");
            await student.WaitForInteractiveAsync();
            await student.ClickAsync("[data-testid=practice-group]");
            await student.Locator(".mud-popover-open .mud-list-item", new() { HasText = school.Group }).First.ClickAsync();
            await student.ClickAsync("[data-testid=practice-subject]");
            await student.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Practice" }).First.ClickAsync();
            await Expect(student.Locator("[data-testid=practice-start]")).ToBeEnabledAsync();
            await student.ClickAsync("[data-testid=practice-start]");
            var question = student.Locator("[data-testid=practice-question]");
            await question.Locator("[data-testid=answer-text]").FillAsync("1");
            await student.ClickAsync("[data-testid=practice-check]");
            await AssertTypesetAsync(student, "[data-testid=practice-right-answer] .katex");
            Assert.False(await student.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "practice scrolls sideways");
            await student.ScreenshotAsync($"math-practice-{look}");
            // The session would resume on the next look's first visit: end it.
            await student.ClickAsync("[data-testid=practice-choose-again]");
            await Expect(student.Locator("[data-testid=practice-group]")).ToBeVisibleAsync();
            await student.Context.CloseAsync();
        }
    }
}
