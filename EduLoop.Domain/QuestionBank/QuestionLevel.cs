namespace EduLoop.Domain.QuestionBank;

/// <summary>Difficulty, with the original service's names (<c>easy</c>, <c>medium</c>, <c>advance</c>).</summary>
public enum QuestionLevel
{
    Easy = 0,
    Medium = 1,
    Advance = 2,
}
