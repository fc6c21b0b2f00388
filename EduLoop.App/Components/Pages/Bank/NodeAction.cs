namespace EduLoop.App.Components.Pages.Bank;

/// <summary>What the tree's menu asks for on a node.</summary>
public enum NodeAction
{
    AddChild,
    Rename,
    Move,
    Archive,
    Delete,
}
