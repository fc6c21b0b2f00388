using Microsoft.AspNetCore.Components;

namespace EduLoop.App.Components.Shared;

/// <summary>
/// What the browser sends when a student changes an answer (<c>eduloop.js</c> registers the event for
/// the <c>input</c> event): the question's key, the value of each of its fields in page order (a
/// radio button or check box gives its value when checked, else null) and whether the student is typing.
/// </summary>
public sealed class AnswerInputEventArgs : EventArgs
{
    public int Key { get; set; }

    public string?[] Values { get; set; } = [];

    public bool Typing { get; set; }
}

/// <summary>
/// The event one element of <see cref="AnswerInput"/> handles for all of a page's fields, so that the
/// fields themselves are plain markup: no handler, closure or render-tree frame per field on the server.
/// </summary>
[EventHandler("onanswerinput", typeof(AnswerInputEventArgs), enableStopPropagation: true, enablePreventDefault: false)]
public static class EventHandlers
{
}
