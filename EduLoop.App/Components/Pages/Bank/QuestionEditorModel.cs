using System.Text.Json;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.App.Components.Pages.Bank;

/// <summary>
/// The editor's working copy of a question: one list per kind of answer, so that switching the type
/// keeps what was typed, and credits in percent as teachers think of them.
/// </summary>
public sealed class QuestionEditorModel
{
    public int Id { get; set; }
    public BankPlace? Place { get; set; }
    public QuestionType Type { get; set; } = QuestionType.Mcq;
    public QuestionLevel Level { get; set; } = QuestionLevel.Medium;
    public string Title { get; set; } = "";
    public string Stem { get; set; } = "";
    public List<ChoiceRow> Choices { get; set; } = [new(), new()];
    public bool TrueFalseAnswer { get; set; } = true;
    public string? TrueFeedback { get; set; }
    public string? FalseFeedback { get; set; }
    public List<AnswerRow> Answers { get; set; } = [new()];
    public bool CaseSensitive { get; set; }
    public List<NumericRow> Numbers { get; set; } = [new()];
    public List<PairRow> Pairs { get; set; } = [new(), new()];
    public List<DistractorRow> Distractors { get; set; } = [];
    public string? GeneralFeedback { get; set; }
    public List<string> Tags { get; set; } = [];
    public bool IsArchived { get; set; }
    public int Version { get; set; } = 1;
    public Guid ConcurrencyStamp { get; set; }
    public DateTime UpdatedAt { get; set; }
    private Dictionary<string, JsonElement> _extra = [];

    /// <summary>The one right choice of a single-answer question, by index.</summary>
    public int RightChoice
    {
        get => Math.Max(0, Choices.FindIndex(c => c.Percent == 100m));
        set
        {
            for (var i = 0; i < Choices.Count; i++)
            {
                Choices[i].Percent = i == value ? 100m : Math.Min(Choices[i].Percent, 0m);
            }
        }
    }

    public static QuestionEditorModel New(BankPlace? place) => new() { Place = place, Choices = [new() { Percent = 100m }, new()] };

    public static QuestionEditorModel From(EditableQuestion question)
    {
        var body = question.Body;
        var model = new QuestionEditorModel
        {
            Id = question.Id,
            Place = new BankPlace(question.CategoryId, question.SubCategoryId, question.Place),
            Type = question.Type,
            Level = question.Level,
            Title = question.Title,
            Stem = question.Stem,
            TrueFalseAnswer = body.TrueFalseAnswer ?? true,
            TrueFeedback = body.TrueFeedback,
            FalseFeedback = body.FalseFeedback,
            CaseSensitive = body.CaseSensitive,
            GeneralFeedback = body.GeneralFeedback,
            Tags = [.. question.Tags],
            IsArchived = question.IsArchived,
            Version = question.Version,
            ConcurrencyStamp = question.ConcurrencyStamp,
            UpdatedAt = question.UpdatedAt,
            _extra = new Dictionary<string, JsonElement>(body.Extra),
        };
        if (body.Choices.Count > 0)
        {
            model.Choices = body.Choices.Select(c => new ChoiceRow { Text = c.Text, Percent = c.Fraction * 100m, Feedback = c.Feedback }).ToList();
        }

        if (body.AcceptedAnswers.Count > 0)
        {
            model.Answers = body.AcceptedAnswers.Select(a => new AnswerRow { Text = a.Text, Percent = a.Fraction * 100m, Feedback = a.Feedback }).ToList();
        }

        if (body.NumericAnswers.Count > 0)
        {
            model.Numbers = body.NumericAnswers.Select(a => new NumericRow
            {
                IsRange = a.Value is null,
                Value = a.Value,
                Tolerance = a.Tolerance,
                Min = a.Min,
                Max = a.Max,
                Percent = a.Fraction * 100m,
                Feedback = a.Feedback,
            }).ToList();
        }

        if (body.Pairs.Count > 0)
        {
            model.Pairs = body.Pairs.Select(p => new PairRow { Prompt = p.Prompt, Answer = p.Answer }).ToList();
        }

        model.Distractors = body.Distractors.Select(d => new DistractorRow { Text = d }).ToList();

        return model;
    }

    /// <summary>The body for the current type: only the parts that type uses.</summary>
    public QuestionBody ToBody()
    {
        var body = new QuestionBody { GeneralFeedback = Blank(GeneralFeedback), Extra = new Dictionary<string, JsonElement>(_extra) };
        switch (Type)
        {
            case QuestionType.Mcq or QuestionType.McqMulti:
                body.Choices = Choices.Select(c => new Choice(c.Text.Trim(), Math.Round(c.Percent / 100m, 7), Blank(c.Feedback))).ToList();
                break;
            case QuestionType.TrueFalse:
                (body.TrueFalseAnswer, body.TrueFeedback, body.FalseFeedback) = (TrueFalseAnswer, Blank(TrueFeedback), Blank(FalseFeedback));
                break;
            case QuestionType.FillBlank:
                body.AcceptedAnswers = Answers.Select(a => new AcceptedAnswer(a.Text.Trim(), Math.Round(a.Percent / 100m, 7), Blank(a.Feedback))).ToList();
                body.CaseSensitive = CaseSensitive;
                break;
            case QuestionType.Math:
                body.NumericAnswers = Numbers.Select(n => n.IsRange
                    ? new NumericAnswer(null, 0, n.Min, n.Max, Math.Round(n.Percent / 100m, 7), Blank(n.Feedback))
                    : new NumericAnswer(n.Value, Math.Abs(n.Tolerance), null, null, Math.Round(n.Percent / 100m, 7), Blank(n.Feedback))).ToList();
                break;
            case QuestionType.Matching:
                body.Pairs = Pairs.Select(p => new MatchPair(p.Prompt.Trim(), p.Answer.Trim())).ToList();
                body.Distractors = Distractors.Select(d => d.Text.Trim()).ToList();
                break;
        }

        return body;
    }

    /// <summary>What is wrong, as the save would say it; null when the question can be saved.</summary>
    public string? Problem => Place is null ? "Choose where the question goes." : QuestionRules.Check(Type, Stem, ToBody());

    public EditableQuestion ToEditable() => new(
        Id, Place!.CategoryId, Place.SubCategoryId, Place.Path, Type, Level, Title, Stem, ToBody(), Tags, Version, ConcurrencyStamp, UpdatedAt, IsArchived);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

public sealed class ChoiceRow
{
    public string Text { get; set; } = "";
    public decimal Percent { get; set; }
    public string? Feedback { get; set; }
}

public sealed class AnswerRow
{
    public string Text { get; set; } = "";
    public decimal Percent { get; set; } = 100m;
    public string? Feedback { get; set; }
}

public sealed class NumericRow
{
    public bool IsRange { get; set; }
    public double? Value { get; set; }
    public double Tolerance { get; set; }
    public double? Min { get; set; }
    public double? Max { get; set; }
    public decimal Percent { get; set; } = 100m;
    public string? Feedback { get; set; }
}

public sealed class PairRow
{
    public string Prompt { get; set; } = "";
    public string Answer { get; set; } = "";
}

/// <summary>A wrong answer a matching question offers among its right sides.</summary>
public sealed class DistractorRow
{
    public string Text { get; set; } = "";
}
