namespace EduLoop.Domain;

/// <summary>A request the domain refuses; <see cref="Field"/> names the input at fault, if one is.</summary>
public sealed class DomainValidationException(string? field, string message) : Exception(message)
{
    public string? Field { get; } = field;
}

public sealed class NotFoundException(string message) : Exception(message);
