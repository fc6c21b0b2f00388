using EduLoop.Domain.QuestionBank;

namespace EduLoop.App.Components.Shared;

/// <summary>
/// One question for <see cref="AnswerInput"/>: its key (the position in an attempt), type, choices in
/// the order this student sees them, matching prompts and answers, and the saved answer as JSON.
/// </summary>
public sealed record AnswerItem(
    int Key, string Name, QuestionType Type, IReadOnlyList<string> Options, IReadOnlyList<string> Prompts, IReadOnlyList<string> MatchAnswers,
    string? Response, bool Disabled = false);

/// <summary>A new answer to the question with <see cref="Key"/>, and whether the student is still typing.</summary>
public sealed record AnswerChange(int Key, string Json, bool Typing);
