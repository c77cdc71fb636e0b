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
                text.AppendLine($"| `{parameter.EnvironmentVariable}` | `{parameter.CommandLine}` | {type} | {defaultText} | {parameter.Description.Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)} |");
            }
        }
        return text.ToString();
    }

    private static string Range(ParameterAttribute attribute) => (double.IsNaN(attribute.Minimum), double.IsNaN(attribute.Maximum)) switch
    {
        (false, false) => FormattableString.Invariant($" {attribute.Minimum}–{attribute.Maximum}"),
        (false, true) => FormattableString.Invariant($" ≥ {attribute.Minimum}"),
        _ => "",
    };
}
