using EduLoop.App.Api.Compatible;

namespace EduLoop.Tests.Compatibility;

/// <summary>Malformed JSON is described in Python's words, as the original's "JSON parse error - …" answers quoted them.</summary>
public sealed class PythonJsonErrorsTests
{
    [Theory]
    [InlineData("{\"name\": ", "Expecting value: line 1 column 10 (char 9)")]
    [InlineData("{", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)")]
    [InlineData("{not json", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)")]
    [InlineData("{\"group_id\": 1,", "Expecting property name enclosed in double quotes: line 1 column 16 (char 15)")]
    [InlineData("{\"a\" 1}", "Expecting ':' delimiter: line 1 column 6 (char 5)")]
    [InlineData("[1 2]", "Expecting ',' delimiter: line 1 column 4 (char 3)")]
    [InlineData("{\"a\": 1} x", "Extra data: line 1 column 10 (char 9)")]
    [InlineData("{\"a\": \"b", "Unterminated string starting at: line 1 column 7 (char 6)")]
    [InlineData("{\n  \"a\": tru\n}", "Expecting value: line 2 column 8 (char 9)")]
    [InlineData("\"\\q\"", "Invalid \\escape: line 1 column 2 (char 1)")]
    [InlineData("", "Expecting value: line 1 column 1 (char 0)")]
    public void Describe_MalformedJson_SaysWhatPythonSays(string text, string expected) =>
        Assert.Equal(expected, PythonJsonErrors.Describe(text));

    [Theory]
    [InlineData("{\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\\n\"]}")]
    [InlineData("  [ ]  ")]
    [InlineData("NaN")]
    public void Describe_JsonPythonReads_IsNull(string text) => Assert.Null(PythonJsonErrors.Describe(text));
}
