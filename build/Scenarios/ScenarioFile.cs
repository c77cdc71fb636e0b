using System.Globalization;
using System.Text.RegularExpressions;
using Filare.Perf.Engine;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Filare.Perf.Scenarios;

/// <summary>
/// Reads and validates one scenario file (format version 1, see docs/performance/scenarios.md).
/// Walks the YAML node tree rather than deserializing, so every error can name its line.
/// </summary>
public static partial class ScenarioFile
{
    public const int FormatVersion = 1;

    private static readonly string[] s_keys =
        ["version", "name", "description", "tags", "kind", "command", "pytest", "workdir", "env", "timeout", "runs", "warmups", "requires", "instructions"];

    private static readonly string[] s_pytestKeys = ["paths", "select", "args"];

    public static Scenario Load(string path, string displayPath)
    {
        var errors = new List<string>();
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(path))
            {
                stream.Load(reader);
            }
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                throw new ScenarioException([$"{displayPath}:1: expected one YAML mapping (name:, command:, ...) per file"]);
            }
            root = mapping;
        }
        catch (YamlException e)
        {
            throw new ScenarioException([$"{displayPath}:{e.Start.Line}: not valid YAML: {e.Message}"]);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet reports some unclosed flow collections this way, without a position.
            throw new ScenarioException([$"{displayPath}: not valid YAML: {e.Message}"]);
        }

        string Where(YamlNode node) => $"{displayPath}:{node.Start.Line}";

        var values = new Dictionary<string, (YamlNode Key, YamlNode Value)>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!s_keys.Contains(key))
            {
                errors.Add($"{Where(keyNode)}: unknown key '{key}'." + Suggestions.DidYouMean(key, s_keys) + " Allowed: " + string.Join(", ", s_keys) + ".");
                continue;
            }
            values[key] = (keyNode, valueNode);
        }

        string? Scalar(string key)
        {
            if (!values.TryGetValue(key, out var entry))
            {
                return null;
            }
            if (entry.Value is YamlScalarNode scalar)
            {
                return scalar.Value;
            }
            errors.Add($"{Where(entry.Value)}: '{key}' must be a single value.");
            return null;
        }

        int Integer(string key, int fallback, int minimum)
        {
            var text = Scalar(key);
            if (text is null)
            {
                return fallback;
            }
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum)
            {
                return value;
            }
            errors.Add($"{Where(values[key].Value)}: '{key}' must be a whole number ≥ {minimum}, not '{text}'.");
            return fallback;
        }

        IReadOnlyList<string> StringList(string key, YamlNode node)
        {
            if (node is YamlScalarNode single && single.Value is { Length: > 0 } text)
            {
                return [text];
            }
            if (node is YamlSequenceNode sequence && sequence.Children.All(c => c is YamlScalarNode))
            {
                return sequence.Children.Cast<YamlScalarNode>().Select(c => c.Value ?? "").ToList();
            }
            errors.Add($"{Where(node)}: '{key}' must be a list of text values.");
            return [];
        }

        var version = Scalar("version");
        if (version is not null && version != FormatVersion.ToString(CultureInfo.InvariantCulture))
        {
            errors.Add($"{Where(values["version"].Value)}: unsupported version '{version}'; this harness reads version {FormatVersion}.");
        }

        var name = Scalar("name");
        if (name is null)
        {
            errors.Add($"{displayPath}:{root.Start.Line}: missing 'name'.");
        }
        else if (!ValidName().IsMatch(name))
        {
            errors.Add($"{Where(values["name"].Value)}: name '{name}' must start with a letter or digit and use only letters, digits, '.', '_' and '-' (it names folders and files).");
        }

        var kind = Scalar("kind") ?? "command";
        var command = new List<CommandPart>();
        var requires = values.TryGetValue("requires", out var requiresEntry) ? StringList("requires", requiresEntry.Value).ToList() : [];
        switch (kind)
        {
            case "command":
                if (values.ContainsKey("pytest"))
                {
                    errors.Add($"{Where(values["pytest"].Key)}: 'pytest' goes with 'kind: pytest'.");
                }
                if (!values.TryGetValue("command", out var commandEntry))
                {
                    errors.Add($"{displayPath}:{root.Start.Line}: missing 'command' (a list: program and arguments).");
                    break;
                }
                command.AddRange(ReadCommand(commandEntry.Value));
                break;
            case "pytest":
                if (values.TryGetValue("command", out var extra))
                {
                    errors.Add($"{Where(extra.Key)}: 'kind: pytest' builds its own command; use 'pytest: {{paths, select, args}}' instead of 'command'.");
                }
                if (!values.TryGetValue("pytest", out var pytestEntry) || pytestEntry.Value is not YamlMappingNode pytest)
                {
                    errors.Add($"{displayPath}:{root.Start.Line}: 'kind: pytest' needs a 'pytest' mapping with 'paths'.");
                    break;
                }
                command.AddRange(ReadPytest(pytest));
                if (!requires.Contains("pytest"))
                {
                    requires.Add("pytest");
                }
                break;
            default:
                errors.Add($"{Where(values["kind"].Value)}: unknown kind '{kind}'; allowed: command, pytest.");
                break;
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (values.TryGetValue("env", out var envEntry))
        {
            if (envEntry.Value is YamlMappingNode envMapping)
            {
                foreach (var (k, v) in envMapping.Children)
                {
                    var variable = (k as YamlScalarNode)?.Value ?? "";
                    if (v is not YamlScalarNode { Value: var text } || text is null)
                    {
                        errors.Add($"{Where(v)}: env '{variable}' must be a single value.");
                        continue;
                    }
                    CheckPlaceholders(v, text);
                    environment[variable] = text;
                }
            }
            else
            {
                errors.Add($"{Where(envEntry.Value)}: 'env' must be a mapping of VARIABLE: value.");
            }
        }

        var tags = values.TryGetValue("tags", out var tagsEntry) ? StringList("tags", tagsEntry.Value) : [];
        var workdir = Scalar("workdir") ?? ".";
        if (Path.IsPathRooted(workdir))
        {
            errors.Add($"{Where(values["workdir"].Value)}: 'workdir' is relative to the Filare root; '{workdir}' is absolute.");
        }

        var timeoutText = Scalar("timeout");
        var timeout = Scenario.DefaultTimeout;
        if (timeoutText is not null)
        {
            if (double.TryParse(timeoutText.TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && double.IsFinite(seconds))
            {
                timeout = TimeSpan.FromSeconds(seconds);
            }
            else
            {
                errors.Add($"{Where(values["timeout"].Value)}: 'timeout' must be a number of seconds > 0, not '{timeoutText}'.");
            }
        }

        var runs = Integer("runs", Scenario.DefaultRuns, 1);
        var warmups = Integer("warmups", Scenario.DefaultWarmups, 0);
        // A test suite under Valgrind can take many minutes: pytest scenarios count only when they ask.
        var instructions = Scalar("instructions") switch
        {
            null => kind != "pytest",
            "true" => true,
            "false" => false,
            var other => Invalid(other),
        };

        bool Invalid(string text)
        {
            errors.Add($"{Where(values["instructions"].Value)}: 'instructions' must be true or false, not '{text}'.");
            return false;
        }

        if (errors.Count > 0)
        {
            throw new ScenarioException(errors);
        }
        return new Scenario(name!, Scalar("description") ?? "", tags, command, workdir, environment, timeout, runs, warmups, requires, displayPath, (int)values["name"].Value.Start.Line, instructions);

        IEnumerable<CommandPart> ReadCommand(YamlNode node)
        {
            if (node is not YamlSequenceNode sequence || sequence.Children.Count == 0)
            {
                errors.Add($"{Where(node)}: 'command' must be a non-empty list: [program, argument, ...] (no shell is used).");
                yield break;
            }
            foreach (var part in sequence.Children)
            {
                switch (part)
                {
                    case YamlScalarNode { Value: { } text }:
                        CheckPlaceholders(part, text);
                        yield return new LiteralPart(text);
                        break;
                    case YamlMappingNode glob when glob.Children.Count == 1 && glob.Children.First().Key is YamlScalarNode { Value: "glob" } && glob.Children.First().Value is YamlScalarNode { Value: { Length: > 0 } pattern }:
                        yield return new GlobPart(pattern);
                        break;
                    default:
                        errors.Add($"{Where(part)}: a command item is text or {{glob: pattern}}.");
                        break;
                }
            }
        }

        IEnumerable<CommandPart> ReadPytest(YamlMappingNode pytest)
        {
            var parts = new List<CommandPart> { new LiteralPart("python"), new LiteralPart("-m"), new LiteralPart("pytest"), new LiteralPart("-q") };
            var seen = new HashSet<string>();
            foreach (var (k, v) in pytest.Children)
            {
                var key = (k as YamlScalarNode)?.Value ?? "";
                seen.Add(key);
                switch (key)
                {
                    case "paths":
                        var paths = StringList("pytest.paths", v);
                        if (paths.Count == 0)
                        {
                            errors.Add($"{Where(v)}: 'pytest.paths' needs at least one test path.");
                        }
                        parts.AddRange(paths.Select(p => new LiteralPart(p)));
                        break;
                    case "args":
                        parts.AddRange(StringList("pytest.args", v).Select(a => new LiteralPart(a)));
                        break;
                    case "select":
                        if (v is YamlScalarNode { Value: { Length: > 0 } expression })
                        {
                            parts.Add(new LiteralPart("-k"));
                            parts.Add(new LiteralPart(expression));
                        }
                        else
                        {
                            errors.Add($"{Where(v)}: 'pytest.select' is a pytest -k expression.");
                        }
                        break;
                    default:
                        errors.Add($"{Where(k)}: unknown key 'pytest.{key}'." + Suggestions.DidYouMean(key, s_pytestKeys) + " Allowed: " + string.Join(", ", s_pytestKeys) + ".");
                        break;
                }
            }
            if (!seen.Contains("paths"))
            {
                errors.Add($"{Where(pytest)}: 'pytest' needs 'paths' (tests/rendering/, tests/bom/, ...).");
            }
            return parts;
        }

        void CheckPlaceholders(YamlNode node, string text)
        {
            foreach (var problem in Placeholders.Problems(text))
            {
                errors.Add($"{Where(node)}: {problem}.");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex ValidName();
}
