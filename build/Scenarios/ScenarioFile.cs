using System.Globalization;
using System.Text.RegularExpressions;

namespace Filare.Perf.Scenarios;

/// <summary>
/// Reads and validates one scenario file (format version 1, see docs/performance/scenarios.md):
/// field reads over <see cref="YamlMapping"/>, so every error names its file and line and all of a
/// file's errors are reported together.
/// </summary>
public static partial class ScenarioFile
{
    public const int FormatVersion = 1;

    private static readonly string[] s_keys =
        ["version", "name", "description", "tags", "kind", "command", "pytest", "workdir", "env", "timeout", "runs", "warmups", "requires", "filare",
        "instructions", "heap", "cost"];

    public static Scenario Load(string path, string displayPath)
    {
        var file = YamlMapping.Load(path, displayPath);
        file.AllowOnly(s_keys);

        var version = file.Scalar("version");
        if (version is not null && version != FormatVersion.ToString(CultureInfo.InvariantCulture))
        {
            file.Error("version", $"unsupported version '{version}'; this harness reads version {FormatVersion}.");
        }
        var name = Name(file);
        var requires = file.StringList("requires").ToList();
        var (kind, command, exitMeanings, testPaths) = Command(file, requires);
        var environment = Environment(file);
        var tags = file.StringList("tags");
        var workdir = file.Scalar("workdir") ?? ".";
        if (Path.IsPathRooted(workdir))
        {
            file.Error("workdir", $"'workdir' is relative to the Filare root; '{workdir}' is absolute.");
        }
        var timeout = file.Seconds("timeout", Scenario.DefaultTimeout);
        var runs = file.Integer("runs", Scenario.DefaultRuns, 1);
        var warmups = file.Integer("warmups", Scenario.DefaultWarmups, 0);
        var filare = Versions(file);
        // A test suite under Valgrind can take many minutes: pytest scenarios count only when they ask.
        var instructions = file.Boolean("instructions", kind != ScenarioKind.Pytest);
        var cost = Cost(file);
        // So can a test suite under tracemalloc (about 10x): the same rule.
        var heap = file.Boolean("heap", kind != ScenarioKind.Pytest);

        if (file.Errors.Count > 0)
        {
            throw new ScenarioException(file.Errors);
        }
        return new Scenario(name!, file.Scalar("description") ?? "", tags, command, workdir, environment, timeout, runs, warmups, requires, displayPath,
            file.Line("name"), instructions)
        {
            Kind = kind,
            Filare = filare,
            ExitMeanings = exitMeanings,
            TestPaths = testPaths,
            Cost = cost,
            TracesHeap = heap,
        };
    }

    private static string? Name(YamlMapping file)
    {
        var name = file.Scalar("name");
        if (name is null)
        {
            file.Missing("missing 'name'.");
        }
        else if (!ValidName().IsMatch(name))
        {
            file.Error("name", $"name '{name}' must start with a letter or digit and use only letters, digits, '.', '_' and '-' (it names folders and files).");
        }
        return name;
    }

    private static (ScenarioKind Kind, IReadOnlyList<CommandPart> Command, IReadOnlyDictionary<int, string> ExitMeanings,
        IReadOnlyList<string> TestPaths) Command(YamlMapping file, List<string> requires)
    {
        var kindText = file.Scalar("kind") ?? "command";
        switch (kindText)
        {
            case "command":
                if (file.KeyNode("pytest") is { } stray)
                {
                    file.Error(stray, "'pytest' goes with 'kind: pytest'.");
                }
                if (!file.Has("command"))
                {
                    file.Missing("missing 'command' (a list: program and arguments).");
                    return (ScenarioKind.Command, [], Empty, []);
                }
                return (ScenarioKind.Command, ScenarioCommand.Read(file), Empty, []);
            case "pytest":
                if (file.KeyNode("command") is { } extra)
                {
                    file.Error(extra, "'kind: pytest' builds its own command; use 'pytest: {paths, markers, select, args}' instead of 'command'.");
                }
                if (!requires.Contains("pytest"))
                {
                    requires.Add("pytest");
                }
                if (file.Mapping("pytest", "a mapping with 'paths'") is not { } pytest)
                {
                    file.Missing("'kind: pytest' needs a 'pytest' mapping with 'paths'.");
                    return (ScenarioKind.Pytest, [], Empty, []);
                }
                var (command, meanings, paths) = PytestCommand.Read(pytest);
                return (ScenarioKind.Pytest, command, meanings, paths);
            default:
                file.Error("kind", $"unknown kind '{kindText}'; allowed: command, pytest.");
                return (ScenarioKind.Command, [], Empty, []);
        }
    }

    private static Dictionary<string, string> Environment(YamlMapping file)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (file.Mapping("env", "a mapping of VARIABLE: value") is not { } env)
        {
            return environment;
        }
        foreach (var (variable, value) in env.Entries)
        {
            if (value is not YamlDotNet.RepresentationModel.YamlScalarNode { Value: { } text })
            {
                env.Error(value, $"env '{variable}' must be a single value.");
                continue;
            }
            ScenarioCommand.CheckPlaceholders(env, value, text);
            environment[variable] = text;
        }
        return environment;
    }

    /// <summary>An estimate for the shard split: seconds, at most a day (a larger figure is a unit mistake, not an estimate).</summary>
    private static TimeSpan? Cost(YamlMapping file)
    {
        if (file.Scalar("cost") is not { } text)
        {
            return null;
        }
        if (double.TryParse(text.TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= 86_400)
        {
            return TimeSpan.FromSeconds(seconds);
        }
        file.Error("cost", $"'cost' is the seconds the scenario's whole run is expected to take (both sides, counted and profiled runs), " +
            $"a number > 0 and <= 86400 such as 120 or 120s, not '{text}'.");
        return null;
    }

    private static VersionRange? Versions(YamlMapping file)
    {
        if (file.Scalar("filare") is not { } text)
        {
            return null;
        }
        var range = VersionRange.TryParse(text, out var problem);
        if (range is null)
        {
            file.Error("filare", $"'filare': {problem}.");
        }
        return range;
    }

    private static readonly IReadOnlyDictionary<int, string> Empty = new Dictionary<int, string>();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex ValidName();
}
