using System.Text;
using Filare.Perf.Engine;

namespace Filare.Perf.Settings;

/// <summary>
/// docs/performance/settings.md, generated from the [Parameter] properties like the schema, so the
/// documented names, types and defaults are the ones the build accepts. A test fails when it is stale.
/// </summary>
public static class SettingsReference
{
    public const string RelativePath = "docs/performance/settings.md";

    public static string Generate(IReadOnlyList<ParameterDefinition> parameters)
    {
        var text = new StringBuilder();
        text.AppendLine("# Settings");
        text.AppendLine();
        text.AppendLine("<!-- Generated from build/Build*.cs by the build itself; edit the [Parameter] attributes, not this file. -->");
        text.AppendLine();
        text.AppendLine("Each setting has one name in three spellings: `FIL_PERF_SPY_RATE` in the environment, `--spy-rate` on the");
        text.AppendLine("command line, `\"SpyRate\"` in `.nuke/parameters.json`. Precedence, lowest to highest: default,");
        text.AppendLine("`.nuke/parameters.json`, environment, command line. `./build.sh PerfSettings` prints the effective values");
        text.AppendLine("and where each came from.");
        text.AppendLine();
        text.AppendLine($"Booleans accept {ValueParser.BooleanSpellings} (any case); a bare `--flag` means true. Lists take");
        text.AppendLine("several values after the option (`--scenario a b`) or, in the environment, values separated by spaces or");
        text.AppendLine("commas. An empty variable means unset. Any invalid value stops the build before a scenario starts, with");
        text.AppendLine("an error naming the variable, its value and what is allowed; paths are relative to the build root.");
        foreach (var group in parameters.GroupBy(p => p.Attribute.Group))
        {
            text.AppendLine();
            text.AppendLine($"## {group.Key}");
            text.AppendLine();
            text.AppendLine("| environment | command line | type | default | meaning |");
            text.AppendLine("|---|---|---|---|---|");
            foreach (var parameter in group)
            {
                var type = parameter.Kind switch
                {
                    ParameterKind.Boolean => "bool",
                    ParameterKind.Integer => "int" + Range(parameter.Attribute),
                    ParameterKind.Number => "number" + Range(parameter.Attribute),
                    ParameterKind.StringList => "list",
                    ParameterKind.Choice => string.Join(" \\| ", parameter.Choices),
                    _ => "text",
                };
                var defaultText = parameter.DefaultText.Length == 0 ? "" : $"`{parameter.DefaultText}`";
                text.AppendLine($"| `{parameter.EnvironmentVariable}` | `{parameter.CommandLine}` | {type} | {defaultText} | " +
                    $"{parameter.Description.Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)} |");
            }
        }
        AppendOtherNames(text, parameters);
        return text.ToString();
    }

    /// <summary>
    /// The names Filare's own design docs (docs/features/performance-tools/*-support.md) use, each
    /// with what it does here: an alias, or ignored and why. Every one of them is listed.
    /// </summary>
    private static void AppendOtherNames(StringBuilder text, IReadOnlyList<ParameterDefinition> parameters)
    {
        var rows = parameters
            .SelectMany(p =>
                p.Attribute.Aliases.Select(a => (Name: a, Status: $"alias of `{p.EnvironmentVariable}`; setting both to different values is an error")))
            .Concat(parameters
                .SelectMany(p => p.Property.GetCustomAttributes(typeof(IgnoredVariableAttribute), false).Cast<IgnoredVariableAttribute>())
                .Select(a => (a.Name, Status: "ignored, with a warning: " + a.Reason)))
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        if (rows.Count == 0)
        {
            return;
        }
        text.AppendLine();
        text.AppendLine("## Names from Filare's docs");
        text.AppendLine();
        text.AppendLine("Filare's performance-tool design docs name some settings differently. Those names are accepted as");
        text.AppendLine("aliases, or ignored with a warning that says why (any other unknown `FIL_PERF_*` variable gets a");
        text.AppendLine("warning with the closest known name). `FIL_PERF_SPY_OUTPUT`, `FIL_PERF_*_FORMAT`, `_RATE`, `_NATIVE`,");
        text.AppendLine("`_MEMORY`, `_HTML` and `_SORT` are the settings above.");
        text.AppendLine();
        text.AppendLine("| environment | status |");
        text.AppendLine("|---|---|");
        foreach (var (name, status) in rows)
        {
            text.AppendLine($"| `{name}` | {status.Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)} |");
        }
    }

    private static string Range(ParameterAttribute attribute) => (double.IsNaN(attribute.Minimum), double.IsNaN(attribute.Maximum)) switch
    {
        (false, false) => FormattableString.Invariant($" {attribute.Minimum}–{attribute.Maximum}"),
        (false, true) => FormattableString.Invariant($" ≥ {attribute.Minimum}"),
        _ => "",
    };
}
