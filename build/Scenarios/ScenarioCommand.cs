using YamlDotNet.RepresentationModel;

namespace Filare.Perf.Scenarios;

/// <summary>A scenario's <c>command:</c> list: text items (with placeholders) and <c>{glob: pattern}</c> items.</summary>
internal static class ScenarioCommand
{
    public static IReadOnlyList<CommandPart> Read(YamlMapping file)
    {
        if (file.Node("command") is not YamlSequenceNode { Children.Count: > 0 } sequence)
        {
            file.Error("command", "'command' must be a non-empty list: [program, argument, ...] (no shell is used).");
            return [];
        }
        var parts = new List<CommandPart>();
        foreach (var part in sequence.Children)
        {
            switch (part)
            {
                case YamlScalarNode { Value: { } text }:
                    CheckPlaceholders(file, part, text);
                    parts.Add(new LiteralPart(text));
                    break;
                case YamlMappingNode glob when Glob(glob) is { } pattern:
                    parts.Add(new GlobPart(pattern));
                    break;
                default:
                    file.Error(part, "a command item is text or {glob: pattern}.");
                    break;
            }
        }
        return parts;
    }

    public static void CheckPlaceholders(YamlMapping file, YamlNode node, string text)
    {
        foreach (var problem in Placeholders.Problems(text))
        {
            file.Error(node, problem + ".");
        }
    }

    private static string? Glob(YamlMappingNode node) =>
        node.Children.Count == 1 && node.Children.First() is { Key: YamlScalarNode { Value: "glob" }, Value: YamlScalarNode { Value: { Length: > 0 } pattern } }
            ? pattern
            : null;
}

/// <summary>
/// <c>kind: pytest</c>: <c>python -m pytest -q -o addopts= -p no:cacheprovider PATHS [-m MARKERS] [-k SELECT] [ARGS]</c>.
/// The project's own <c>addopts</c> (Filare's holds --cov and --maxfail) are neutralised so that
/// coverage is not measured and no report is written into the checkout, unless the scenario keeps them.
/// </summary>
internal static class PytestCommand
{
    /// <summary>pytest's exit code when it collected nothing (pytest.ExitCode.NO_TESTS_COLLECTED).</summary>
    public const int NoTestsCollected = 5;

    private static readonly string[] s_keys = ["paths", "markers", "select", "args", "project_addopts"];

    public static (IReadOnlyList<CommandPart> Command, IReadOnlyDictionary<int, string> ExitMeanings, IReadOnlyList<string> Paths) Read(YamlMapping pytest)
    {
        pytest.AllowOnly(s_keys);
        var parts = new List<string> { "python", "-m", "pytest", "-q" };
        if (!pytest.Boolean("project_addopts", false))
        {
            parts.AddRange(["-o", "addopts="]);
        }
        parts.AddRange(["-p", "no:cacheprovider"]);
        var paths = pytest.StringList("paths");
        if (!pytest.Has("paths"))
        {
            pytest.Missing("'pytest' needs 'paths' (tests/render/, tests/flows/, ...).");
        }
        else if (paths.Count == 0)
        {
            pytest.Error("paths", "'pytest.paths' needs at least one test path.");
        }
        foreach (var path in paths)
        {
            ScenarioCommand.CheckPlaceholders(pytest, pytest.Node("paths")!, path);
        }
        parts.AddRange(paths);
        var selection = new List<string>();
        foreach (var (key, option) in new[] { ("markers", "-m"), ("select", "-k") })
        {
            if (!pytest.Has(key))
            {
                continue;
            }
            if (pytest.Scalar(key) is { Length: > 0 } expression)
            {
                parts.AddRange([option, expression]);
                selection.Add($"{option} \"{expression}\"");
            }
            else
            {
                pytest.Error(key, $"'pytest.{key}' is a pytest {option} expression.");
            }
        }
        parts.AddRange(pytest.StringList("args"));
        var collected = "collected no tests: " + string.Join(" ", paths) + (selection.Count > 0 ? " with " + string.Join(" ", selection) : "");
        return (parts.Select(p => (CommandPart)new LiteralPart(p)).ToList(), new Dictionary<int, string> { [NoTestsCollected] = collected }, paths);
    }
}
