namespace EduLoop.Domain.QuestionBank;

/// <summary>
/// Input the domain refuses, field by field (the original service's <c>{"field": ["message"]}</c>).
/// For a list, <see cref="Items"/> holds one error set per item, empty where the item was fine.
/// </summary>
public sealed class ValidationErrors(
    IReadOnlyDictionary<string, IReadOnlyList<string>> fields,
    IReadOnlyList<IReadOnlyDictionary<string, IReadOnlyList<string>>>? items = null)
    : Exception("The input is not valid.")
{
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Fields { get; } = fields;

    public IReadOnlyList<IReadOnlyDictionary<string, IReadOnlyList<string>>>? Items { get; } = items;

    public static ValidationErrors For(string field, string message) => new(new Dictionary<string, IReadOnlyList<string>> { [field] = [message] });
}

/// <summary>Collects field errors while checking one input.</summary>
public sealed class ErrorBag
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    /// <summary>Checks a required name: present, not blank, not too long. Returns it trimmed.</summary>
    public string Name(string field, string? value, int maxLength = Limits.NameLength)
    {
        if (value is null)
        {
            Add(field, "This field is required.");
            return "";
        }

        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            Add(field, "This field may not be blank.");
        }
        else if (trimmed.Length > maxLength)
        {
            Add(field, $"Ensure this field has no more than {maxLength} characters.");
        }

        return trimmed;
    }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value);

    public void ThrowIfAny()
    {
        if (!IsEmpty)
        {
            throw new ValidationErrors(ToDictionary());
        }
    }
}
