using EduLoop.Domain.Live;

namespace EduLoop.Tests.Domain.Live;

/// <summary>The scoring, the phases and the clock of a live game, and the nickname check: pure rules, read against a fixed clock.</summary>
public sealed class LiveRulesTests
{
    private static readonly DateTime T0 = new(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Twenty = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(1.0, 0, 1000)]
    [InlineData(1.0, 20_000, 500)]
    [InlineData(1.0, 10_000, 750)]
    [InlineData(1.0, 5_000, 875)]
    [InlineData(1.0, 60_000, 500)]
    [InlineData(0.5, 0, 500)]
    [InlineData(0.5, 10_000, 375)]
    [InlineData(0.0, 0, 0)]
    [InlineData(1.0, 1, 1000)]
    [InlineData(1.0, 19_999, 500)]
    [InlineData(1.0, 3_333, 917)]
    public void Points_FallLinearlyToHalfAtTheClose_ScaledByTheMark(double mark, int takenMs, int expected) =>
        Assert.Equal(expected, LiveScoring.Points((decimal)mark, TimeSpan.FromMilliseconds(takenMs), Twenty));

    [Fact]
    public void Points_OfAMarkAboveFullOrBelowZero_AreClamped()
    {
        Assert.Equal(1000, LiveScoring.Points(1.5m, TimeSpan.Zero, Twenty));
        Assert.Equal(0, LiveScoring.Points(-0.5m, TimeSpan.Zero, Twenty));
        Assert.Equal(1000, LiveScoring.Points(1m, TimeSpan.FromSeconds(-3), Twenty));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(2, 100)]
    [InlineData(3, 200)]
    [InlineData(6, 500)]
    [InlineData(40, 500)]
    public void StreakBonus_GrowsByAHundredPerRightAnswerInARow_UpToFiveHundred(int run, int bonus) => Assert.Equal(bonus, LiveScoring.StreakBonus(run));

    [Fact]
    public void Board_AddsTheBonusOfEachRun_AndAWrongOrMissingAnswerEndsIt()
    {
        // Player 1: right, right, right (bonus 0, 100, 200). Player 2: right, missing, right (no bonus). Player 3: right, wrong, right.
        ScoredAnswer[] answers =
        [
            new(1, 0, 900, true), new(1, 1, 800, true), new(1, 2, 700, true),
            new(2, 0, 900, true), new(2, 2, 700, true),
            new(3, 0, 900, true), new(3, 1, 0, false), new(3, 2, 700, true),
        ];
        var board = LiveScoring.Board([(1, "Ana"), (2, "Ben"), (3, "Cem")], answers, 2, streakBonus: true);

        Assert.Equal([(1, 2700, 1, 3), (2, 1600, 2, 1), (3, 1600, 2, 1)], board.Select(s => (s.PlayerId, s.Total, s.Rank, s.Streak)));
        Assert.Equal(3, board[0].Correct);
        var withBonus = LiveScoring.WithBonus(answers, 2, streakBonus: true);
        Assert.Equal(900, withBonus[(1, 2)]);
        Assert.Equal(700, withBonus[(2, 2)]);

        var plain = LiveScoring.Board([(1, "Ana"), (2, "Ben"), (3, "Cem")], answers, 2, streakBonus: false);
        Assert.Equal(2400, plain[0].Total);
    }

    [Fact]
    public void Board_SharesAPlaceBetweenEqualTotals_SkipsTheNext_AndOrdersTiesByName()
    {
        ScoredAnswer[] answers = [new(1, 0, 800, true), new(2, 0, 500, true), new(3, 0, 500, true), new(4, 0, 100, true)];
        var board = LiveScoring.Board([(1, "Zoe"), (3, "bea"), (2, "Ali"), (4, "Max"), (5, "Nobody")], answers, 0, false);

        Assert.Equal(["Zoe", "Ali", "bea", "Max", "Nobody"], board.Select(s => s.Nickname));
        Assert.Equal([1, 2, 2, 4, 5], board.Select(s => s.Rank));
        Assert.Equal(0, board[4].Total);
    }

    [Fact]
    public void Board_LeavesOutAnswersAfterTheQuestionAskedLast_AndPlayersNotListed()
    {
        ScoredAnswer[] answers = [new(1, 0, 800, true), new(1, 1, 800, true), new(9, 0, 1000, true)];
        var board = LiveScoring.Board([(1, "Ana")], answers, 0, true);
        Assert.Equal((800, 1), (board.Single().Total, board.Single().Streak));
    }

    private static LiveState Lobby(int questions = 2) => new(LivePhase.Lobby, -1, questions, null, null, null, 0);

    [Fact]
    public void Steps_TakeAGameFromTheLobbyThroughEachQuestionToThePodium()
    {
        var state = Lobby();
        var steps = new[] { LiveStep.Next, LiveStep.Open, LiveStep.Close, LiveStep.Leaderboard, LiveStep.Next, LiveStep.Open, LiveStep.Close, LiveStep.Next };
        var phases = new List<(LivePhase, int)>();
        foreach (var step in steps)
        {
            state = LiveMachine.Apply(state, step, T0, Twenty);
            phases.Add((state.Phase, state.QuestionIndex));
        }

        Assert.Equal(
            [(LivePhase.Question, 0), (LivePhase.Open, 0), (LivePhase.Revealed, 0), (LivePhase.Leaderboard, 0),
             (LivePhase.Question, 1), (LivePhase.Open, 1), (LivePhase.Revealed, 1), (LivePhase.Podium, 1)],
            phases);
        Assert.Equal(steps.Length, state.Version);
        Assert.True(state.IsOver);
        Assert.Equal("The game is over.", Assert.Throws<LiveRefusedException>(() => LiveMachine.Apply(state, LiveStep.Next, T0, Twenty)).Message);
    }

    [Theory]
    [InlineData(LivePhase.Lobby, LiveStep.Open)]
    [InlineData(LivePhase.Lobby, LiveStep.Close)]
    [InlineData(LivePhase.Lobby, LiveStep.Leaderboard)]
    [InlineData(LivePhase.Question, LiveStep.Next)]
    [InlineData(LivePhase.Question, LiveStep.Close)]
    [InlineData(LivePhase.Open, LiveStep.Next)]
    [InlineData(LivePhase.Open, LiveStep.Open)]
    [InlineData(LivePhase.Open, LiveStep.Leaderboard)]
    [InlineData(LivePhase.Revealed, LiveStep.Open)]
    [InlineData(LivePhase.Revealed, LiveStep.Close)]
    [InlineData(LivePhase.Leaderboard, LiveStep.Leaderboard)]
    [InlineData(LivePhase.Leaderboard, LiveStep.Resume)]
    public void Steps_OutOfOrder_AreRefused(LivePhase phase, LiveStep step)
    {
        var state = new LiveState(phase, phase == LivePhase.Lobby ? -1 : 0, 2, T0, T0 + Twenty, null, 5);
        Assert.Throws<LiveRefusedException>(() => LiveMachine.Apply(state, step, T0, Twenty));
    }

    [Fact]
    public void Next_InAGameWithoutQuestions_IsRefused() =>
        Assert.Throws<LiveRefusedException>(() => LiveMachine.Apply(Lobby(0), LiveStep.Next, T0, Twenty));

    [Fact]
    public void Answers_AreTakenUpToTheCloseByTheServersClock_ThenRefused()
    {
        var open = LiveMachine.Apply(LiveMachine.Apply(Lobby(), LiveStep.Next, T0, Twenty), LiveStep.Open, T0, Twenty);

        Assert.Equal(T0 + Twenty, open.ClosesAt);
        Assert.Null(LiveMachine.RefuseAnswer(open, 0, T0));
        Assert.Null(LiveMachine.RefuseAnswer(open, 0, T0 + Twenty));
        Assert.Equal("Time is up: the answer came after the close.", LiveMachine.RefuseAnswer(open, 0, T0 + Twenty + TimeSpan.FromTicks(1)));
        Assert.NotNull(LiveMachine.RefuseAnswer(open, 1, T0));
        Assert.Equal(TimeSpan.FromSeconds(7), LiveMachine.Taken(open, T0.AddSeconds(7)));
        Assert.False(LiveMachine.CloseIsDue(open, T0.AddSeconds(19.999)));
        Assert.True(LiveMachine.CloseIsDue(open, T0 + Twenty));
        Assert.Equal(TimeSpan.FromSeconds(5), open.Remaining(T0.AddSeconds(15)));
        Assert.Equal(TimeSpan.Zero, open.Remaining(T0.AddSeconds(25)));

        var shown = LiveMachine.Apply(Lobby(), LiveStep.Next, T0, Twenty);
        Assert.Equal("This question is not open for answers.", LiveMachine.RefuseAnswer(shown, 0, T0));
    }

    [Fact]
    public void ClosingEarly_BringsTheCloseForward_SoALaterAnswerIsRefused()
    {
        var open = LiveMachine.Apply(LiveMachine.Apply(Lobby(), LiveStep.Next, T0, Twenty), LiveStep.Open, T0, Twenty);
        var closed = LiveMachine.Apply(open, LiveStep.Close, T0.AddSeconds(8), Twenty);

        Assert.Equal((LivePhase.Revealed, T0.AddSeconds(8)), (closed.Phase, closed.ClosesAt));
        Assert.NotNull(LiveMachine.RefuseAnswer(closed, 0, T0.AddSeconds(9)));
        // The countdown's own close, late on a busy server, keeps the time it had.
        var late = LiveMachine.Apply(open, LiveStep.Close, T0.AddSeconds(21), Twenty);
        Assert.Equal(T0 + Twenty, late.ClosesAt);
    }

    [Fact]
    public void APause_HoldsTheCountdown_RefusesAnswersAndSteps_AndResumingGivesBackTheTimeLeft()
    {
        var open = LiveMachine.Apply(LiveMachine.Apply(Lobby(), LiveStep.Next, T0, Twenty), LiveStep.Open, T0, Twenty);
        var paused = LiveMachine.Apply(open, LiveStep.Pause, T0.AddSeconds(5), Twenty);

        Assert.Equal(TimeSpan.FromSeconds(15), paused.Remaining(T0.AddSeconds(300)));
        Assert.Equal("The game is paused; answer when it goes on.", LiveMachine.RefuseAnswer(paused, 0, T0.AddSeconds(6)));
        Assert.False(LiveMachine.CloseIsDue(paused, T0.AddSeconds(60)));
        Assert.Throws<LiveRefusedException>(() => LiveMachine.Apply(paused, LiveStep.Close, T0.AddSeconds(6), Twenty));
        Assert.Throws<LiveRefusedException>(() => LiveMachine.Apply(paused, LiveStep.Pause, T0.AddSeconds(6), Twenty));

        var resumed = LiveMachine.Apply(paused, LiveStep.Resume, T0.AddSeconds(65), Twenty);
        Assert.Null(resumed.PausedAt);
        Assert.Equal(T0.AddSeconds(80), resumed.ClosesAt);
        Assert.Equal(TimeSpan.FromSeconds(15), resumed.Remaining(T0.AddSeconds(65)));
        // The minute away is no one's time: an answer right after resuming took the 5 seconds before the pause.
        Assert.Equal(TimeSpan.FromSeconds(5), LiveMachine.Taken(resumed, T0.AddSeconds(65)));
        Assert.Throws<LiveRefusedException>(() => LiveMachine.Apply(resumed, LiveStep.Resume, T0.AddSeconds(66), Twenty));
    }

    [Fact]
    public void Finish_EndsTheGameFromAnyPhase_EvenPaused_AndClosesOpenAnswers()
    {
        var open = LiveMachine.Apply(LiveMachine.Apply(Lobby(), LiveStep.Next, T0, Twenty), LiveStep.Open, T0, Twenty);
        var paused = LiveMachine.Apply(open, LiveStep.Pause, T0.AddSeconds(3), Twenty);
        var over = LiveMachine.Apply(paused, LiveStep.Finish, T0.AddSeconds(4), Twenty);

        Assert.Equal((LivePhase.Podium, (DateTime?)null, (DateTime?)T0.AddSeconds(4)), (over.Phase, over.PausedAt, over.ClosesAt));
        Assert.NotNull(LiveMachine.RefuseAnswer(over, 0, T0.AddSeconds(4)));
        Assert.Equal(LivePhase.Podium, LiveMachine.Apply(Lobby(), LiveStep.Finish, T0, Twenty).Phase);
    }

    [Theory]
    [InlineData("Ana", null)]
    [InlineData("Hancock", null)]
    [InlineData("Scunthorpe", null)]
    [InlineData("Max Müller", null)]
    [InlineData("a", "A nickname has 2 to 20 characters.")]
    [InlineData("   ", "A nickname has 2 to 20 characters.")]
    [InlineData("An extremely long nickname", "A nickname has 2 to 20 characters.")]
    [InlineData("Ana\u202Eevil", "A nickname has letters, digits, spaces and punctuation only.")]
    [InlineData("Bad\u0007Bell", "A nickname has letters, digits, spaces and punctuation only.")]
    [InlineData("shit happens", "Choose another nickname.")]
    [InlineData("SH1T", "Choose another nickname.")]
    [InlineData("F.U.C.K", "Choose another nickname.")]
    [InlineData("MrBastard99", "Choose another nickname.")]
    [InlineData("Scheiße", "Choose another nickname.")]
    public void Nicknames_AreCheckedForLengthAndTheBlockedWords(string nickname, string? refusal) =>
        Assert.Equal(refusal, LiveRules.RefuseNickname(nickname, LiveRules.DefaultBlockedWords));

    [Fact]
    public void Nicknames_FollowTheAdminsList_WhenThereIsOne()
    {
        Assert.Null(LiveRules.RefuseNickname("Shit Storm", ["banana"]));
        Assert.NotNull(LiveRules.RefuseNickname("Big Banana", ["  Banana  ", ""]));
        Assert.Equal(LiveRules.NicknameKey("anna "), LiveRules.NicknameKey("ANNA"));
    }
}
