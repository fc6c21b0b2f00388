using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;

namespace EduLoop.App.Components.Shared;

/// <summary>
/// One question for <see cref="AnswerInput"/>: its key (the position in an attempt), type, choices in
/// the order this student sees them, matching prompts and answers, and the saved answer as JSON.
/// </summary>
public sealed record AnswerItem(
    int Key, string Name, QuestionType Type, IReadOnlyList<string> Options, IReadOnlyList<string> Prompts, IReadOnlyList<string> MatchAnswers,
    string? Response, bool Disabled = false)
{
    /// <summary>A question of an attempt, with the choices in the order this attempt shows them.</summary>
    public static AnswerItem For(AttemptQuestion question, string prefix, string? response, bool disabled = false) => new(
        question.Position, $"{prefix}{question.Position}", question.Type, question.Options(),
        question.Body.Pairs.Select(p => p.Prompt).ToList(), question.Body.MatchingAnswers(), response, disabled);
}

/// <summary>A new answer to the question with <see cref="Key"/>, and whether the student is still typing.</summary>
public sealed record AnswerChange(int Key, string Json, bool Typing);
