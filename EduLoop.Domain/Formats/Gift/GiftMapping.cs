using EduLoop.Domain.QuestionBank;

namespace EduLoop.Domain.Formats.Gift;

/// <summary>A GIFT question as an EduLoop question: its type, title, stem and body.</summary>
public sealed record ImportedQuestion(QuestionType Type, string Title, string Stem, QuestionBody Body, IReadOnlyList<string> Tags);

/// <summary>Maps parsed GIFT questions onto EduLoop's question types.</summary>
public static class GiftMapping
{
    /// <summary>
    /// Multiple choice with one full-credit answer and no partial credit is <c>mcq</c>; with several
    /// or partial credit, <c>mcq_multi</c>. Short answers are <c>fill_blank</c>, numerical <c>math</c>,
    /// essays <c>writing</c>. A <c>%n%</c> weight is the credit (to seven decimals, as Moodle keeps it);
    /// without one, '=' is full and '~' none. Matching pairs with an empty left side are distractors.
    /// </summary>
    public static ImportedQuestion ToQuestion(GiftQuestion question)
    {
        var body = new QuestionBody { GeneralFeedback = question.GeneralFeedback?.Text };
        QuestionType type;
        switch (question.Kind)
        {
            case GiftQuestionKind.MultipleChoice:
                body.Choices = question.Choices.Select(c => new Choice(c.Text?.Text ?? "", Fraction(c), c.Feedback?.Text)).ToList();
                type = body.Choices.Count(c => c.Fraction == 1m) == 1 && body.Choices.All(c => c.Fraction is 1m or <= 0m)
                    ? QuestionType.Mcq
                    : QuestionType.McqMulti;
                break;
            case GiftQuestionKind.TrueFalse:
                type = QuestionType.TrueFalse;
                body.TrueFalseAnswer = question.IsTrue;
                // GIFT writes {T#shown if wrong#shown if right}; EduLoop keeps the feedback by the answer chosen.
                var (wrong, right) = (question.TrueFeedback?.Text, question.FalseFeedback?.Text);
                body.TrueFeedback = question.IsTrue == true ? right : wrong;
                body.FalseFeedback = question.IsTrue == true ? wrong : right;
                break;
            case GiftQuestionKind.ShortAnswer:
                type = QuestionType.FillBlank;
                body.AcceptedAnswers = question.Choices.Select(c => new AcceptedAnswer(c.Text?.Text ?? "", Fraction(c), c.Feedback?.Text)).ToList();
                break;
            case GiftQuestionKind.Numerical:
                type = QuestionType.Math;
                body.NumericAnswers = question.Choices.Select(c => new NumericAnswer(
                    c.Number!.Value, c.Number.Tolerance ?? 0, c.Number.Low, c.Number.High, Fraction(c), c.Feedback?.Text)).ToList();
                break;
            case GiftQuestionKind.Matching:
                type = QuestionType.Matching;
                body.Pairs = question.Matches.Where(m => m.Prompt.Text.Length > 0).Select(m => new MatchPair(m.Prompt.Text, m.Answer)).ToList();
                body.Distractors = question.Matches.Where(m => m.Prompt.Text.Length == 0).Select(m => m.Answer).ToList();
                break;
            case GiftQuestionKind.Essay:
                type = QuestionType.Writing;
                break;
            default:
                type = QuestionType.Description;
                break;
        }

        return new ImportedQuestion(type, question.Title ?? QuestionText.TitleOf(question.Stem.Text), question.Stem.Text, body, question.Tags);
    }

    private static decimal Fraction(GiftChoice choice) =>
        choice.Weight is { } weight ? Math.Round(weight / 100m, 7) : choice.IsCorrect ? 1m : 0m;
}
