namespace EduLoop.App.Components.Shared;

/// <summary>One bar of a <see cref="CountBarChart"/>: its label as plain text and its count.</summary>
public sealed record ChartBar(string Label, int Count);
