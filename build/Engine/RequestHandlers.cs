using Spectre.Console;

namespace Filare.Perf.Engine;

/// <summary>The targets a command line asks for, in order, and those of them to skip.</summary>
internal sealed record ExecutionPlan(IReadOnlyList<TargetInfo> Targets, IReadOnlySet<string> Skipped)
{
    public static ExecutionPlan From(TargetGraph graph, CommandLineArguments commandLine, string defaultTarget)
    {
        var requested = commandLine.Targets.Concat(commandLine.Values("target")).ToList();
        if (requested.Count == 0)
        {
            requested.Add(defaultTarget);
        }
        var plan = graph.Plan(requested);
        var requestedNames = requested.Select(graph.Canonical).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var skipped = commandLine.Has("skip")
            ? commandLine.Values("skip").Count == 0
                // A bare --skip runs only what was asked for, as in NUKE.
                ? plan.Select(t => t.Name).Where(n => !requestedNames.Contains(n)).ToHashSet(StringComparer.OrdinalIgnoreCase)
                : commandLine.Values("skip").Select(graph.Canonical).ToHashSet(StringComparer.OrdinalIgnoreCase)
            : new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        return new ExecutionPlan(plan, skipped);
    }
}

/// <summary>
/// Requests answered without running a target, as NUKE's HandleHelpRequests is: each returns true
/// when it handled the command line, and the build then ends successfully.
/// </summary>
internal static class RequestHandlers
{
    public static bool HandleHelp(CommandLineArguments commandLine, IAnsiConsole console, TargetGraph graph, IReadOnlyList<ParameterDefinition> definitions,
        string defaultTarget)
    {
        if (!commandLine.Has("help"))
        {
            return false;
        }
        HelpText.Write(console, graph, definitions, defaultTarget);
        return true;
    }

    public static bool HandleGenerateConfiguration(CommandLineArguments commandLine, IAnsiConsole console, string root,
        Func<IReadOnlyDictionary<string, string>> generate)
    {
        if (!commandLine.Has("generate-configuration"))
        {
            return false;
        }
        foreach (var (path, contents) in generate())
        {
            var changed = Storage.AtomicFile.WriteIfChanged(Path.Combine(root, path), contents);
            console.MarkupLine($"  {(changed ? "[green]written[/]  " : "[grey]unchanged[/]")} {Markup.Escape(path)}");
        }
        return true;
    }

    public static bool HandlePlan(CommandLineArguments commandLine, IAnsiConsole console, ExecutionPlan plan)
    {
        if (!commandLine.Has("plan"))
        {
            return false;
        }
        console.MarkupLine("[bold]Execution plan[/]");
        var step = 1;
        foreach (var target in plan.Targets)
        {
            var note = plan.Skipped.Contains(target.Name) ? " [grey](skipped)[/]" : "";
            console.MarkupLine($"  {step++}. {Markup.Escape(target.Name)}{note}");
        }
        return true;
    }
}
