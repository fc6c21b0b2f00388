using System.Text.RegularExpressions;
using System.Xml.Linq;

using EduLoop.Tests.Infrastructure;

namespace EduLoop.Tests.Components;

/// <summary>Every text the UI asks the localizer for exists in English and in German.</summary>
public sealed partial class LocalizationResourcesTests
{
    private static readonly string _resources = RepositoryPaths.Combine("EduLoop.App", "Resources");

    [Fact]
    public void Resources_EnglishAndGerman_HaveTheSameKeys()
    {
        var english = Load("SharedResource.resx");
        var german = Load("SharedResource.de.resx");

        Assert.Empty(english.Keys.Except(german.Keys));
        Assert.Empty(german.Keys.Except(english.Keys));
        Assert.All(german, entry => Assert.False(string.IsNullOrWhiteSpace(entry.Value), entry.Key));
    }

    [Fact]
    public void App_EveryLiteralKey_IsInTheResources()
    {
        var english = Load("SharedResource.resx");
        var used = Directory.EnumerateFiles(RepositoryPaths.Combine("EduLoop.App"), "*.*", SearchOption.AllDirectories)
            .Where(file => file.EndsWith(".razor", StringComparison.Ordinal) || file.EndsWith(".cs", StringComparison.Ordinal))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => UsedKeys(File.ReadAllText(file)).Select(key => (File: Path.GetFileName(file), Key: key)))
            .ToList();

        Assert.True(used.Count > 100, "the UI uses the localizer");
        Assert.Empty(used.Where(u => !english.ContainsKey(u.Key)).Select(u => $"{u.File}: {u.Key}"));
    }

    [Theory]
    [InlineData("SharedResource.resx")]
    [InlineData("SharedResource.de.resx")]
    public void Resources_HaveNoBracketedPlurals(string file)
    {
        // "answer(s)", "Frage(n)", "Versuch(en)", "Punkt(e)": counts take the localizer's one/other forms instead.
        var bracketed = Load(file).Where(entry => BracketedPlural().IsMatch(entry.Key) || BracketedPlural().IsMatch(entry.Value))
            .Select(entry => entry.Value);

        Assert.Empty(bracketed);
    }

    [Fact]
    public void BracketedPlural_FindsEveryForm_AndNothingElse()
    {
        Assert.All(["2 answer(s)", "{0} Frage(n)", "Versuch(en)", "Punkt(e)", "class(es)"], text => Assert.Matches(BracketedPlural(), text));
        Assert.All(["(no answer)", "Grades ({0})", "History ({0} earlier versions)", "(unreadable answer)"], text => Assert.DoesNotMatch(BracketedPlural(), text));
    }

    [Fact]
    public void App_NeverChoosesAPluralByHand()
    {
        // One way to count: L.Plural(count, one, other). A hand-made "count == 1 ? L[…] : L[…]" or
        // a number glued to a translated word is what gave "1 minutes".
        var handMade = Directory.EnumerateFiles(RepositoryPaths.Combine("EduLoop.App"), "*.*", SearchOption.AllDirectories)
            .Where(file => (file.EndsWith(".razor", StringComparison.Ordinal) || file.EndsWith(".cs", StringComparison.Ordinal))
                && !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => HandMadePlural().Matches(File.ReadAllText(file)).Select(m => $"{Path.GetFileName(file)}: {m.Value}"));

        Assert.Empty(handMade);
    }

    [Fact]
    public void Resources_Placeholders_MatchBetweenLanguages()
    {
        var english = Load("SharedResource.resx");
        var german = Load("SharedResource.de.resx");

        foreach (var (key, value) in english)
        {
            Assert.Equal(Placeholders(value), Placeholders(german[key]));
        }
    }

    private static string Placeholders(string text) => string.Join(",", Placeholder().Matches(text).Select(m => m.Value).Order());

    private static Dictionary<string, string> Load(string file) =>
        XDocument.Load(Path.Combine(_resources, file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);

    /// <summary>The literal keys of <c>L["…"]</c> and both keys of <c>L.Plural(count, "one", "other", …)</c>.</summary>
    private static IEnumerable<string> UsedKeys(string source) =>
        LocalizerKey().Matches(source).Select(m => m.Groups[1].Value)
            .Concat(PluralKeys().Matches(source).SelectMany(m => new[] { m.Groups[1].Value, m.Groups[2].Value }).Select(key => key.Replace("\\\"", "\"", StringComparison.Ordinal)));

    [GeneratedRegex("""\b(?:L|localizer)\["([^"]+)"[\],]""")]
    private static partial Regex LocalizerKey();

    [GeneratedRegex("""\b(?:L|localizer)\.Plural\([^"\n]*?"((?:[^"\\]|\\.)+)",\s*"((?:[^"\\]|\\.)+)"[,)]""")]
    private static partial Regex PluralKeys();

    [GeneratedRegex(@"\p{L}\((?:s|n|en|e|es)\)")]
    private static partial Regex BracketedPlural();

    [GeneratedRegex(@"==\s*1\s*\?\s*L\[")]
    private static partial Regex HandMadePlural();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
