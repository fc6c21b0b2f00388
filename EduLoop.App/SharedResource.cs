namespace EduLoop.App;

/// <summary>
/// Marker for the UI text resources (Resources/SharedResource.resx and its German sibling).
/// Keys are the English text.
/// </summary>
public sealed class SharedResource;
