using EduLoop.Domain.QuestionBank;

namespace EduLoop.Domain.Quizzes;

/// <summary>How the grades of several attempts make the quiz's grade.</summary>
public enum GradingMethod
{
    Highest,
    Average,
    First,
    Last,
}

/// <summary>When a student may review an attempt. Stored as its number: new times go at the end.</summary>
public enum ReviewTime
{
    Immediately,
    AfterClose,
    Never,

    /// <summary>
    /// Score and right/wrong right after the attempt; correct answers and feedback after the close time,
    /// or at once when the quiz has no close time.
    /// </summary>
    ScoreNowAnswersAfterClose,
}

/// <summary>A quiz a teacher builds from the bank and assigns to classes.</summary>
public sealed class Quiz
{
    public int Id { get; set; }
    public required string Title { get; set; }
    public string Instructions { get; set; } = "";
    public DateTime? OpensAt { get; set; }
    public DateTime? ClosesAt { get; set; }

    /// <summary>Minutes from an attempt's start; null for no limit.</summary>
    public int? TimeLimitMinutes { get; set; }

    /// <summary>0 for as many as the student likes.</summary>
    public int AttemptsAllowed { get; set; } = 1;

    public GradingMethod Grading { get; set; } = GradingMethod.Highest;
    public bool ShuffleQuestions { get; set; }
    public bool ShuffleChoices { get; set; } = true;
    public bool OneQuestionPerPage { get; set; }
    public bool SequentialNavigation { get; set; }

    /// <summary>The share of the points that passes, from 0 to 100; null for no pass mark.</summary>
    public decimal? PassPercent { get; set; }

    public ReviewTime Review { get; set; } = ReviewTime.ScoreNowAnswersAfterClose;
    public bool ReviewShowsScore { get; set; } = true;
    public bool ReviewShowsRightWrong { get; set; } = true;
    public bool ReviewShowsCorrectAnswers { get; set; } = true;
    public bool ReviewShowsFeedback { get; set; } = true;

    /// <summary>
    /// When the teacher gave the quiz's questions back to practice before the close time; until the
    /// quiz closes or this passes, its students cannot practise or check them.
    /// </summary>
    public DateTime? QuestionsReleasedAt { get; set; }

    public string? CreatedById { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<QuizSlot> Slots { get; } = [];
    public List<QuizAssignment> Assignments { get; } = [];
    public List<QuizExtraTime> ExtraTimes { get; } = [];

    /// <summary>Teachers the author lets change the quiz as the author may (but not choose co-teachers).</summary>
    public List<QuizCoTeacher> CoTeachers { get; } = [];
}

/// <summary>
/// A place in a quiz: one fixed question, or a random draw of <see cref="DrawCount"/> questions from
/// a category or subcategory, optionally of one level and with one tag.
/// </summary>
public sealed class QuizSlot
{
    public int Id { get; set; }
    public int QuizId { get; set; }
    public int Position { get; set; }
    public decimal Points { get; set; } = 1m;

    public int? QuestionId { get; set; }
    public Question? Question { get; set; }

    public int DrawCount { get; set; } = 1;
    public int? DrawCategoryId { get; set; }
    public int? DrawSubCategoryId { get; set; }
    public QuestionLevel? DrawLevel { get; set; }
    public string? DrawTag { get; set; }
}

/// <summary>A quiz given to a class.</summary>
public sealed class QuizAssignment
{
    public int QuizId { get; set; }
    public int SchoolClassId { get; set; }
}

/// <summary>Extra minutes a student gets on the quiz's time limit (an accommodation); the close time still ends every attempt.</summary>
public sealed class QuizExtraTime
{
    public int QuizId { get; set; }
    public required string StudentId { get; set; }
    public int Minutes { get; set; }
}

/// <summary>A teacher who may change a quiz besides its author.</summary>
public sealed class QuizCoTeacher
{
    public int QuizId { get; set; }
    public required string TeacherId { get; set; }
}
