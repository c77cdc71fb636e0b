using Spectre.Console;

namespace Filare.Perf.Engine;

public static class HelpText
{
    public static void Write(IAnsiConsole console, TargetGraph graph, IReadOnlyList<ParameterDefinition> parameters, string defaultTarget)
    {
        console.MarkupLine("[bold]Usage:[/] ./build.sh [[targets]] [[--parameter value...]] [[--plan]] [[--skip [[targets]]]] [[--help]]");
        console.WriteLine();
        console.MarkupLine("[bold]Targets[/] (default: " + Markup.Escape(defaultTarget) + ")");
        var targets = new Table().Border(TableBorder.None).HideHeaders().AddColumn("name").AddColumn("description");
        foreach (var target in graph.All.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var dependsOn = target.Dependencies.Count == 0 ? "" : $" [grey]-> {Markup.Escape(string.Join(", ", target.Dependencies))}[/]";
            targets.AddRow($"  [cyan]{Markup.Escape(target.Name)}[/]", Markup.Escape(target.Description ?? "") + dependsOn);
        }
        console.Write(targets);
        console.WriteLine();
        console.MarkupLine("[bold]Engine options[/]");
        console.MarkupLine("  --plan            print the execution order and exit");
        console.MarkupLine("  --skip [[targets]]  skip these targets (all dependencies when none are named)");
        console.MarkupLine("  --root <dir>      build root (default: nearest folder with .nuke/)");
        foreach (var group in parameters.GroupBy(p => p.Attribute.Group))
        {
            console.WriteLine();
            console.MarkupLine($"[bold]{Markup.Escape(group.Key)}[/]");
            var table = new Table().Border(TableBorder.None).HideHeaders().AddColumn("name").AddColumn("description");
            foreach (var parameter in group)
            {
                var defaultText = parameter.DefaultText.Length == 0 ? "" : $" [grey](default {Markup.Escape(parameter.DefaultText)})[/]";
                table.AddRow(
                    $"  [cyan]{Markup.Escape(parameter.CommandLine)}[/] <{Markup.Escape(parameter.TypeHint)}>",
                    $"{Markup.Escape(parameter.Description)}{defaultText} [grey]{Markup.Escape(parameter.EnvironmentVariable)}[/]");
            }
            console.Write(table);
        }
        console.WriteLine();
        console.MarkupLine("Parameters come from, lowest to highest: defaults, .nuke/parameters.json, FIL_PERF_* variables, the command line.");
    }
}
