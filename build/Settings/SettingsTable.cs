using Filare.Perf.Engine;
using Spectre.Console;

namespace Filare.Perf.Settings;

public static class SettingsTable
{
    public static void Write(IAnsiConsole console, IReadOnlyList<ResolvedParameter> parameters)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Setting").AddColumn("Value").AddColumn("Source");
        foreach (var parameter in parameters)
        {
            var value = ValueText(parameter.Value);
            var source = parameter.Origin.Source == ParameterResolver.EnvironmentSource
                ? $"environment ({parameter.Origin.Spelling})"
                : parameter.Origin.Source == ParameterResolver.CommandLineSource
                    ? $"command line ({parameter.Origin.Spelling})"
                    : parameter.Origin.Source;
            table.AddRow(
                Markup.Escape(parameter.Definition.EnvironmentVariable),
                Markup.Escape(value.Length == 0 ? "(unset)" : value),
                Markup.Escape(source));
        }
        console.Write(table);
    }

    public static string ValueText(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        string[] list => string.Join(' ', list),
        Enum e => ParameterNames.ChoiceName(e),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        var other => other.ToString() ?? "",
    };
}
