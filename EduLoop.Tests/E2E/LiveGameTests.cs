using System.Text;
using System.Text.RegularExpressions;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Live;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EduLoop.Tests.E2E;

/// <summary>
/// A live game in the browser: a teacher hosts on a projector-sized screen in dark theme, a signed-in
/// student and two guests play on phones and a laptop; joining by PIN, a refused nickname, a reload
/// mid-question, a late answer refused, the reveal, the board and the podium.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class LiveGameTests(BrowserFixture browser) : IAsyncLifetime
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static (int Quiz, string Title)? made;
    private int _quiz;
    private string _title = null!;

    /// <summary>The questions and their quiz, made once for the shared app (a second import of the same questions would be skipped as duplicates).</summary>
    public async Task InitializeAsync()
    {
        await Once.WaitAsync();
        try
        {
            made ??= await MakeQuizAsync();
            (_quiz, _title) = made.Value;
        }
        finally
        {
            Once.Release();
        }
    }

    private async Task<(int Quiz, string Title)> MakeQuizAsync()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var title = $"Live warm-up {run}";
        await using var scope = browser.App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var gift = $$"""
            $CATEGORY: Live {{run}}/Geography/Capitals

            ::Capital {{run}}::What is the capital of France? {=Paris ~Lyon ~Nice ~Lille}

            ::Round {{run}}::The earth is round. {T}
            """;
        await services.GetRequiredService<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(gift)), new ImportOptions(), null);
        await using var db = browser.App.CreateDbContext();
        var teacher = await db.Users.Where(u => u.Email == TestAccounts.TeacherEmail).Select(u => u.Id).SingleAsync();
        var questions = await db.Questions.Where(q => q.Title.EndsWith(run)).OrderBy(q => q.Id).Select(q => q.Id).ToListAsync();
        return (await services.GetRequiredService<QuizService>().CreateAsync(new QuizDraft(title, questions.Select(id => new SlotDraft(QuestionId: id)).ToList()), teacher), title);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<IPage> PageAsync(bool phone, bool dark)
    {
        var page = await browser.NewPageAsync(phone);
        await page.Context.AddCookiesAsync([new Cookie { Name = "eduloop-theme", Value = dark ? "dark" : "light", Url = browser.App.RootUrl }]);
        return page;
    }

    [Fact]
    public async Task AHostAndThreePlayers_PlayAWholeGame_ByPin_ThroughAReloadAndALateAnswer_ToThePodium()
    {
        var host = await PageAsync(phone: false, dark: true);
        await host.LoginAsync(TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
        await host.GotoAsync($"live?quiz={_quiz}");
        await host.WaitForInteractiveAsync();
        await Expect(host.Locator("[data-testid=live-quiz]")).ToBeVisibleAsync();
        Assert.Contains(_title, await host.Locator(".mud-select").First.InnerTextAsync(), StringComparison.Ordinal);
        await host.GetByText("Guests may join with a nickname").ClickAsync();
        await host.ClickAsync("[data-testid=live-create]");
        await Expect(host.Locator("[data-testid=live-pin]")).ToBeVisibleAsync();
        await Expect(host.Locator("[data-testid=live-no-players]")).ToBeVisibleAsync();
        var pin = (await host.Locator("[data-testid=live-pin]").TextContentAsync())!.Replace(" ", "", StringComparison.Ordinal);
        Assert.Matches("^[0-9]{6}$", pin);
        var gameId = int.Parse(Regex.Match(host.Url, "live/([0-9]+)/host").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        // A signed-in student types the PIN and plays under her name.
        var ana = await PageAsync(phone: true, dark: false);
        await ana.LoginAsync(TestAccounts.StudentEmail, TestAccounts.StudentPassword);
        await ana.GotoAsync("play");
        await ana.FillAsync("[data-testid=join-pin]", "000000");
        await ana.ClickAsync("[data-testid=join-submit]");
        await Expect(ana.Locator(".field-error")).ToContainTextAsync("No game has this PIN");
        await ana.FillAsync("[data-testid=join-pin]", $"{pin[..3]} {pin[3..]}");
        await ana.ClickAsync("[data-testid=join-submit]");
        await Expect(ana.Locator("[data-testid=live-player][data-phase=Lobby]")).ToBeVisibleAsync();

        // A guest from the QR code's address: the PIN is filled in; a nickname with a blocked word is refused.
        var ben = await PageAsync(phone: true, dark: true);
        await ben.GotoAsync($"play?pin={pin}");
        await ben.ClickAsync("[data-testid=join-submit]");
        await ben.FillAsync("[data-testid=join-nickname]", "Sh1t");
        await ben.ClickAsync("[data-testid=join-submit]");
        await Expect(ben.Locator(".field-error")).ToHaveTextAsync("Choose another nickname.");
        await ben.FillAsync("[data-testid=join-nickname]", "Ben");
        await ben.ClickAsync("[data-testid=join-submit]");
        await Expect(ben.Locator("[data-testid=live-player][data-phase=Lobby]")).ToBeVisibleAsync();
        await ben.ScreenshotAsync("live-player-lobby-dark-phone");

        // A third player whose messages from the server the test can hold back, to answer on a stale screen.
        var cem = await PageAsync(phone: false, dark: false);
        var hold = new HeldMessages();
        await cem.RouteWebSocketAsync(new Regex("/_blazor"), hold.Route);
        await cem.GotoAsync("play");
        await cem.FillAsync("[data-testid=join-pin]", pin);
        await cem.ClickAsync("[data-testid=join-submit]");
        await cem.FillAsync("[data-testid=join-nickname]", "Cem");
        await cem.ClickAsync("[data-testid=join-submit]");
        await Expect(cem.Locator("[data-testid=live-player][data-phase=Lobby]")).ToBeVisibleAsync();

        await Expect(host.Locator("[data-testid=live-player]")).ToHaveCountAsync(3);
        await Expect(host.Locator("[data-testid=live-players]")).ToContainTextAsync("Ben");
        await host.ScreenshotAsync("live-host-lobby-dark");
        host.AssertNoPolicyViolations();

        await host.ClickAsync("[data-testid=live-start]");
        await Expect(ana.Locator("[data-testid=live-player][data-phase=Question]")).ToBeVisibleAsync();
        await host.ClickAsync("[data-testid=live-open]");
        await Expect(host.Locator("[data-testid=live-countdown]")).ToBeVisibleAsync();

        // The options reach the phones without their key.
        await Expect(ana.Locator("[data-testid=live-option]")).ToHaveCountAsync(4);
        Assert.DoesNotContain("fraction", await ana.ContentAsync(), StringComparison.OrdinalIgnoreCase);
        await ana.ScreenshotAsync("live-player-question-light-phone");
        await ana.Locator("[data-testid=live-option]").First.ClickAsync();
        await Expect(ana.Locator("[data-testid=live-ack]")).ToContainTextAsync("Answer received");
        await Expect(host.Locator("[data-testid=live-answered]")).ToContainTextAsync("1 of 3 answered");

        // Ben reloads in the middle of the question: the same player, the question still open.
        await ben.ReloadAsync();
        await Expect(ben.Locator("[data-testid=live-player][data-phase=Open]")).ToBeVisibleAsync();
        await Expect(ben.Locator("[data-testid=live-nickname]")).ToHaveTextAsync("Ben");
        await ben.Locator("[data-testid=live-option]").Nth(1).ClickAsync();
        await Expect(ben.Locator("[data-testid=live-ack]")).ToBeVisibleAsync();
        await host.ScreenshotAsync("live-host-question-dark");

        // Cem's screen stops hearing from the server; the host closes; Cem answers on the stale screen.
        hold.Holding = true;
        await host.ClickAsync("[data-testid=live-close]");
        await Expect(host.Locator("[data-testid=live-distribution]")).ToBeVisibleAsync();
        await cem.Locator("[data-testid=live-option]").First.ClickAsync();
        await Task.Delay(500);
        hold.Release();
        await Expect(cem.Locator("[data-testid=live-result]")).ToContainTextAsync("No answer");
        var stored = await AnswersAsync(gameId);
        Assert.Equal(2, stored.Count);
        Assert.DoesNotContain("Cem", stored);

        await Expect(ana.Locator("[data-testid=live-result]")).ToContainTextAsync("Right!");
        await Expect(ana.Locator("[data-testid=live-rank]")).ToHaveTextAsync("Place 1 of 3");
        await Expect(ben.Locator("[data-testid=live-result]")).ToContainTextAsync("Not this time");
        await Expect(host.Locator("[data-testid=live-distribution]")).ToHaveAttributeAsync("aria-label", "Paris: 1, Lyon: 1, Nice: 0, Lille: 0");
        await host.ScreenshotAsync("live-host-reveal-dark");
        await ana.ScreenshotAsync("live-player-result-light-phone");

        await host.ClickAsync("[data-testid=live-board]");
        await Expect(host.Locator("[data-testid=live-leaderboard] li")).ToHaveCountAsync(3);
        await Expect(host.Locator("[data-testid=live-leaderboard] li").First).ToContainTextAsync("Demo Student");

        // The second question, then the podium.
        await host.ClickAsync("[data-testid=live-next]");
        await host.ClickAsync("[data-testid=live-open]");
        await Expect(ben.Locator("[data-testid=live-option]")).ToHaveCountAsync(2);
        await ben.ScreenshotAsync("live-player-question-dark-phone");
        await ben.Locator("[data-testid=live-option]").First.ClickAsync();
        await ana.Locator("[data-testid=live-option]").First.ClickAsync();
        await cem.Locator("[data-testid=live-option]").Nth(1).ClickAsync();
        // Everyone has answered: the question closes without the host.
        await Expect(host.Locator("[data-testid=live-distribution]")).ToBeVisibleAsync();
        await host.ClickAsync("[data-testid=live-next]");
        await Expect(host.Locator("[data-testid=live-podium]")).ToBeVisibleAsync();
        await Expect(host.Locator(".podium-step.place-1")).ToContainTextAsync("Demo Student");
        await Expect(ana.Locator("[data-testid=live-final-rank]")).ToHaveTextAsync("Place 1 of 3");
        await Expect(cem.Locator("[data-testid=live-final]")).ToBeVisibleAsync();
        await host.ScreenshotAsync("live-host-podium-dark");
        await ben.ScreenshotAsync("live-player-final-dark-phone");

        await host.ClickAsync("[data-testid=live-results]");
        await Expect(host.Locator("[data-testid=live-results-players] tbody tr")).ToHaveCountAsync(3);
        await host.ScreenshotAsync("live-results-dark");
        // The quiz's results page lists its live games.
        await host.GotoAsync($"quizzes/{_quiz}/results");
        await Expect(host.Locator($"[data-testid=quiz-live-games] a[href='live/{gameId}/results']")).ToBeVisibleAsync();
        var csv = await host.APIRequest.GetAsync($"live/{gameId}/results.csv");
        Assert.Equal(200, csv.Status);
        Assert.StartsWith("rank,nickname,guest,total,correct,q1,q2", (await csv.TextAsync()).TrimStart('\uFEFF'), StringComparison.Ordinal);
        foreach (var page in new[] { host, ana, ben, cem })
        {
            page.AssertNoPolicyViolations();
        }
    }

    [Fact]
    public async Task TheHostsScreenClosing_PausesTheGame_AndItGoesOnWithTheTimeLeftWhenTheHostIsBack()
    {
        await using var db = browser.App.CreateDbContext();
        var teacher = await db.Users.Where(u => u.Email == TestAccounts.TeacherEmail).Select(u => u.Id).SingleAsync();
        var game = await browser.App.Services.GetRequiredService<LiveGameService>()
            .CreateFromQuizAsync(EduLoop.Domain.Actor.Teacher(teacher), _quiz, new LiveOptions(AllowGuests: true, Seconds: 60));

        var host = await PageAsync(phone: false, dark: false);
        await host.LoginAsync(TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
        await host.GotoAsync($"live/{game.Id}/host");
        await host.WaitForInteractiveAsync();
        var player = await PageAsync(phone: true, dark: false);
        await player.GotoAsync($"play?pin={game.Pin}");
        await player.ClickAsync("[data-testid=join-submit]");
        await player.FillAsync("[data-testid=join-nickname]", "Dora");
        await player.ClickAsync("[data-testid=join-submit]");
        await Expect(host.Locator("[data-testid=live-player]")).ToHaveCountAsync(1);
        await host.ClickAsync("[data-testid=live-start]");
        await host.ClickAsync("[data-testid=live-open]");
        await Expect(player.Locator("[data-testid=live-option]")).ToHaveCountAsync(4);

        // The projector's laptop is shut: after a moment the phones say the game is paused, and answers wait.
        await host.Context.CloseAsync();
        await Expect(player.Locator("[data-testid=live-paused]")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await player.ScreenshotAsync("live-player-paused-light-phone");
        await player.Locator("[data-testid=live-option]").First.ClickAsync();
        await Expect(player.Locator("[data-testid=live-refused]")).ToContainTextAsync("paused");

        // The host opens the game again: it goes on, and the answer is taken.
        var back = await PageAsync(phone: false, dark: false);
        await back.LoginAsync(TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
        await back.GotoAsync($"live/{game.Id}/host");
        await Expect(back.Locator("[data-testid=live-close]")).ToBeVisibleAsync();
        await Expect(player.Locator("[data-testid=live-paused]")).ToBeHiddenAsync();
        await player.Locator("[data-testid=live-option]").First.ClickAsync();
        // The only player has answered: the question closes at once, and the answer counts.
        await Expect(player.Locator("[data-testid=live-result]")).ToContainTextAsync("Right!");
        await Expect(back.Locator("[data-testid=live-distribution]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ABankSelection_OpensALiveGamesLobby_WithTheSelectedQuestionsInTheirOrder()
    {
        await using var db = browser.App.CreateDbContext();
        var category = await db.Questions.Where(q => q.Title.StartsWith("Capital ") && q.Category!.Name == "Capitals")
            .OrderByDescending(q => q.Id).Select(q => q.CategoryId).FirstAsync();
        var host = await PageAsync(phone: false, dark: false);
        await host.LoginAsync(TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
        await host.GotoAsync($"bank?node=c{category}");
        await host.WaitForInteractiveAsync();
        await host.Locator("tr", new() { Has = host.Locator("[data-testid=bank-row]", new() { HasText = "Capital" }) }).Locator("input[type=checkbox]").First.CheckAsync();
        await host.ClickAsync("[data-testid=bulk-play-live]");

        await Expect(host.Locator("[data-testid=live-pin]")).ToBeVisibleAsync();
        var gameId = int.Parse(Regex.Match(host.Url, "live/([0-9]+)/host").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var game = await db.LiveGames.Include(g => g.Questions).SingleAsync(g => g.Id == gameId);
        Assert.Equal("Questions from the bank", game.Title);
        Assert.Single(game.Questions);
        Assert.StartsWith("What is the capital of France?", game.Questions[0].Stem, StringComparison.Ordinal);
        await host.ScreenshotAsync("live-host-lobby-light");
    }

    private async Task<List<string>> AnswersAsync(int gameId)
    {
        await using var db = browser.App.CreateDbContext();
        return await db.LiveAnswers.Where(a => a.GameId == gameId && a.QuestionIndex == 0)
            .Join(db.LivePlayers, a => a.PlayerId, p => p.Id, (a, p) => p.Nickname).ToListAsync();
    }

    /// <summary>Passes a page's live connection through, holding the server's messages back while <see cref="Holding"/>, then sending them on in order.</summary>
    private sealed class HeldMessages
    {
        private readonly List<IWebSocketFrame> held = [];
        private IWebSocketRoute? page;

        public bool Holding { get; set; }

        public void Route(IWebSocketRoute route)
        {
            page = route;
            var server = route.ConnectToServer();
            route.OnMessage(frame => Send(server, frame));
            server.OnMessage(frame =>
            {
                lock (held)
                {
                    if (Holding)
                    {
                        held.Add(frame);
                        return;
                    }
                }

                Send(route, frame);
            });
        }

        public void Release()
        {
            lock (held)
            {
                Holding = false;
                foreach (var frame in held)
                {
                    Send(page!, frame);
                }

                held.Clear();
            }
        }

        private static void Send(IWebSocketRoute to, IWebSocketFrame frame)
        {
            if (frame.Binary is { } binary)
            {
                to.Send(binary);
            }
            else
            {
                to.Send(frame.Text ?? "");
            }
        }
    }
}
