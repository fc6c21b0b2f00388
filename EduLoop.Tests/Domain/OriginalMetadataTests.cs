using System.Text.Json;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.Tests.Domain;

public sealed class OriginalMetadataTests
{
    [Fact]
    public void MatchingDistractors_GoThroughTheMetadata_AndAreAmongTheStudentsOptions()
    {
        var body = new QuestionBody { Pairs = [new("cat", "animal"), new("rose", "plant")], Distractors = ["mineral"] };

        var metadata = OriginalMetadata.ToMetadata(QuestionType.Matching, "Match them", body);
        var errors = new ErrorBag();
        var (_, back) = OriginalMetadata.FromMetadata(QuestionType.Matching, JsonDocument.Parse(metadata.ToJsonString()).RootElement, errors);
        var student = OriginalMetadata.ToStudentMetadata(QuestionType.Matching, "Match them", body);

        Assert.True(errors.IsEmpty);
        Assert.Equal(body.Pairs, back.Pairs);
        Assert.Equal(["mineral"], back.Distractors);
        Assert.Empty(back.Extra);
        Assert.Equal(["animal", "mineral", "plant"], student["options"]!.AsArray().Select(o => (string?)o));
    }
}
