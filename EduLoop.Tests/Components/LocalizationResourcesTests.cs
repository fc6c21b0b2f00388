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
            .SelectMany(file => LocalizerKey().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Key: m.Groups[1].Value)))
            .ToList();

        Assert.True(used.Count > 100, "the UI uses the localizer");
        Assert.Empty(used.Where(u => !english.ContainsKey(u.Key)).Select(u => $"{u.File}: {u.Key}"));
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

    [GeneratedRegex("""\b(?:L|localizer)\["([^"]+)"[\],]""")]
    private static partial Regex LocalizerKey();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
