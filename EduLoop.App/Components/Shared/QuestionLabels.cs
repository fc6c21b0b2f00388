using EduLoop.Domain.QuestionBank;
using Microsoft.Extensions.Localization;

namespace EduLoop.App.Components.Shared;

/// <summary>The names of question types and levels in the user's language.</summary>
public static class QuestionLabels
{
    public static string TypeName(this IStringLocalizer localizer, QuestionType type) => localizer[$"type:{type.ToName()}"];

    public static string LevelName(this IStringLocalizer localizer, QuestionLevel level) => localizer[$"level:{level.ToName()}"];
}
