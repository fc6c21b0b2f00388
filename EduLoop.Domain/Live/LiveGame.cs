namespace EduLoop.Domain.Live;

/// <summary>
/// Where a live game is. The host moves it on, one step at a time:
/// <c>Lobby → Question → Open → Revealed → Leaderboard → Question …</c>, and from the last question's
/// reveal or leaderboard to <c>Podium</c>, where it ends. Closing the answers reveals the key in the
/// same step: the distribution and the right answer are shown the moment nobody can answer any more.
/// </summary>
public enum LivePhase
{
    /// <summary>Players join; nothing is asked yet.</summary>
    Lobby,

    /// <summary>A question is shown, answers are not open yet (the room reads it).</summary>
    Question,

    /// <summary>Answers are taken until <see cref="LiveGame.ClosesAt"/> by the server's clock.</summary>
    Open,

    /// <summary>Answers are closed: the right answer and how the room answered are shown.</summary>
    Revealed,

    /// <summary>The scores so far.</summary>
    Leaderboard,

    /// <summary>The game is over: the three best and everyone's place.</summary>
    Podium,
}

/// <summary>
/// One live game: a quiz asked of a room in real time. Its row is the game's whole state, so any
/// server can take it up after a restart or a move; every change of phase is one conditional update
/// on <see cref="Version"/>, so two servers never both move it.
/// </summary>
public sealed class LiveGame
{
    public int Id { get; set; }

    /// <summary>The six digits players type to join; unique among games not yet over.</summary>
    public required string Pin { get; set; }

    public required string Title { get; set; }

    /// <summary>The quiz the questions came from; null for a bank selection, or once the quiz is deleted.</summary>
    public int? QuizId { get; set; }

    public required string HostId { get; set; }

    /// <summary>Whether people without an account may join under a nickname.</summary>
    public bool AllowGuests { get; set; }

    /// <summary>Whether right answers in a row earn a bonus (<see cref="LiveScoring.StreakBonus"/>).</summary>
    public bool StreakBonus { get; set; }

    public LivePhase Phase { get; set; }

    /// <summary>The question on screen, from 0; -1 in the lobby.</summary>
    public int QuestionIndex { get; set; } = -1;

    /// <summary>When the current question's answers opened (moved on by a pause, so a pause takes no one's time).</summary>
    public DateTime? OpenedAt { get; set; }

    /// <summary>When they close; an answer the server receives after it is refused.</summary>
    public DateTime? ClosesAt { get; set; }

    /// <summary>Set while the host is away: the countdown stands still and the host's steps wait.</summary>
    public DateTime? PausedAt { get; set; }

    /// <summary>Moved on by every change, which is made only where it still has the value read.</summary>
    public int Version { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public List<LiveGameQuestion> Questions { get; } = [];
}

/// <summary>
/// One question of a game, in its order, with its time to answer. The question is copied as it was at
/// the start: an edit in the bank during the game cannot change a key already in play, and the results
/// keep the wording that was asked even after the question is deleted.
/// </summary>
public sealed class LiveGameQuestion
{
    public int GameId { get; set; }
    public int Index { get; set; }

    /// <summary>The bank's question (no foreign key: the game outlives it).</summary>
    public int QuestionId { get; set; }

    public QuestionBank.QuestionType Type { get; set; }
    public required string Stem { get; set; }
    public QuestionBank.QuestionBody Body { get; set; } = new();
    public int Seconds { get; set; }
}

/// <summary>Someone in the room: a signed-in student under their name, or a guest under a nickname.</summary>
public sealed class LivePlayer
{
    public int Id { get; set; }
    public int GameId { get; set; }

    /// <summary>The student's account; null for a guest.</summary>
    public string? UserId { get; set; }

    public required string Nickname { get; set; }

    /// <summary>The nickname as names are compared (<see cref="LiveRules.NicknameKey"/>): unique within a game.</summary>
    public required string NicknameKey { get; set; }

    /// <summary>For a guest, the hash of the secret the guest's browser keeps to come back as the same player.</summary>
    public string? TokenHash { get; set; }

    public DateTime JoinedAt { get; set; }

    /// <summary>Removed by the host: off the board, and answers are refused.</summary>
    public bool Removed { get; set; }
}

/// <summary>
/// A player's answer to one question of a game; one per player and question, the first one counts.
/// Its points are the time-scaled mark (<see cref="LiveScoring.Points"/>); a streak's bonus is worked
/// out from the answers in order, so no answer has to read the ones before it.
/// </summary>
public sealed class LiveAnswer
{
    public int GameId { get; set; }
    public int PlayerId { get; set; }
    public int QuestionIndex { get; set; }
    public required string Response { get; set; }

    /// <summary>When the server received it, by its own clock.</summary>
    public DateTime ReceivedAt { get; set; }

    /// <summary>Time from the opening of answers to <see cref="ReceivedAt"/>, pauses left out.</summary>
    public int ElapsedMs { get; set; }

    /// <summary>The mark as a fraction of full marks, partial credit included.</summary>
    public double Score { get; set; }

    /// <summary>Full marks.</summary>
    public bool Correct { get; set; }

    public int Points { get; set; }
}
