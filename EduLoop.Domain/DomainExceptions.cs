namespace EduLoop.Domain;

/// <summary>A request the domain refuses; <see cref="Field"/> names the input at fault, if one is.</summary>
public sealed class DomainValidationException(string? field, string message) : Exception(message)
{
    public string? Field { get; } = field;
}

public sealed class NotFoundException(string message) : Exception(message);

/// <summary>
/// A request from someone the rule does not allow to make it (a teacher changing another teacher's
/// quiz); nothing was changed. The message says who may.
/// </summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>An access key chosen by hand is already taken.</summary>
public sealed class DuplicateKeyException() : Exception("An access key with this key already exists.");
