using System.Diagnostics;
using Spectre.Console;

namespace Filare.Perf.Engine;

/// <summary>
/// The small engine in NUKE's shape: a build class declares Target properties and [Parameter]
/// properties; this class parses the command line, resolves parameters, plans and runs targets
/// and prints the summary. Exit codes: 0 success, 1 a target failed, 2 bad command line or settings.
/// </summary>
public abstract class BuildHost
{
    public const int ExitSuccess = 0;
    public const int ExitTargetFailed = 1;
    public const int ExitUsage = 2;

    public string RootDirectory { get; private set; } = "";

    public IAnsiConsole Console { get; private set; } = AnsiConsole.Console;

    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyList<ResolvedParameter> Parameters { get; private set; } = [];

    /// <summary>How HTTP calls (GitHub's API) leave the process: null is the network; tests serve recorded responses.</summary>
    public Func<HttpMessageHandler>? HttpHandler { get; private set; }

    public bool IsServerBuild =>
        EnvironmentVariables.TryGetValue("CI", out var ci) && (ci == "1" || string.Equals(ci, "true", StringComparison.OrdinalIgnoreCase));

    /// <summary>Cross-parameter checks that must pass before any target starts.</summary>
    protected virtual void OnParametersResolved()
    {
    }

    /// <summary>Runs after the plan is known and before the first target; e.g. regenerating committed files.</summary>
    protected virtual void OnBuildStarting(IReadOnlyList<TargetInfo> plan)
    {
    }

    /// <summary>Files generated from the build's declarations (schema, workflows), by path relative to the root.</summary>
    protected virtual IReadOnlyDictionary<string, string> GenerateFiles() => new Dictionary<string, string>();

    /// <summary>Runs after the last target, whatever happened: release processes and files.</summary>
    protected virtual ValueTask OnBuildFinishedAsync() => ValueTask.CompletedTask;

    /// <summary>Entry point for Main: wires Ctrl+C to cancellation, which kills running process trees.</summary>
    public static int Execute<T>(string[] args, Func<T, Target> defaultTarget)
        where T : BuildHost, new()
    {
        using var cancellation = new CancellationTokenSource();
        System.Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        return ExecuteAsync(args, defaultTarget, BuildContext.FromProcess(cancellation.Token)).GetAwaiter().GetResult();
    }

    public static async Task<int> ExecuteAsync<T>(IReadOnlyList<string> args, Func<T, Target> defaultTarget, BuildContext context)
        where T : BuildHost, new()
    {
        var console = context.Console;
        var commandLine = CommandLineArguments.Parse(args);
        var build = new T
        {
            Console = console,
            EnvironmentVariables = context.Environment,
            HttpHandler = context.HttpHandler,
        };
        build.RootDirectory = FindRoot(commandLine, context);
        var definitions = ParameterCatalog.For(typeof(T), new T());

        TargetGraph graph;
        try
        {
            graph = TargetGraph.Read(build);
        }
        catch (BuildConfigurationException e)
        {
            return Fail(console, [e.Message]);
        }

        if (RequestHandlers.HandleHelp(commandLine, console, graph, definitions, graph.NameOf(defaultTarget(build))))
        {
            return ExitSuccess;
        }
        if (ResolveParameters(build, definitions, commandLine, context) is { } errors)
        {
            return Fail(console, errors);
        }

        ExecutionPlan plan;
        try
        {
            plan = ExecutionPlan.From(graph, commandLine, graph.NameOf(defaultTarget(build)));
        }
        catch (BuildConfigurationException e)
        {
            return Fail(console, [e.Message]);
        }
        if (RequestHandlers.HandleGenerateConfiguration(commandLine, console, build.RootDirectory, build.GenerateFiles)
            || RequestHandlers.HandlePlan(commandLine, console, plan))
        {
            return ExitSuccess;
        }

        try
        {
            build.OnParametersResolved();
            build.OnBuildStarting(plan.Targets);
        }
        catch (BuildConfigurationException e)
        {
            return Fail(console, [e.Message]);
        }

        var stopwatch = Stopwatch.StartNew();
        var executor = new TargetExecutor(console);
        IReadOnlyList<TargetResult> results;
        try
        {
            results = await executor.RunAsync(plan.Targets, plan.Skipped, context.Cancellation).ConfigureAwait(false);
        }
        finally
        {
            await build.OnBuildFinishedAsync().ConfigureAwait(false);
        }
        executor.WriteSummary(results, stopwatch.Elapsed);
        return results.Any(r => r.Status == TargetStatus.Failed) ? ExitTargetFailed : ExitSuccess;
    }

    /// <summary>Sets every [Parameter] property from its sources; the errors when any value is bad.</summary>
    private static IReadOnlyList<string>? ResolveParameters(BuildHost build, IReadOnlyList<ParameterDefinition> definitions, CommandLineArguments commandLine,
        BuildContext context)
    {
        var resolver = new ParameterResolver(definitions);
        try
        {
            build.Parameters = resolver.Resolve(
                Path.Combine(build.RootDirectory, ".nuke", "parameters.json"),
                ".nuke/parameters.json",
                context.Environment,
                commandLine);
        }
        catch (ParameterException e)
        {
            return e.Errors;
        }
        foreach (var warning in resolver.Warnings)
        {
            build.Console.MarkupLine($"[yellow]{Markup.Escape(warning)}[/]");
        }
        foreach (var parameter in build.Parameters)
        {
            parameter.Definition.Property.SetValue(build, parameter.Value);
        }
        return null;
    }

    private static string FindRoot(CommandLineArguments commandLine, BuildContext context)
    {
        var explicitRoot = commandLine.Values("root").FirstOrDefault();
        if (explicitRoot is not null)
        {
            return Path.GetFullPath(explicitRoot, context.WorkingDirectory);
        }
        // NUKE's rule: the root is the nearest folder above the working directory holding .nuke/.
        for (var directory = new DirectoryInfo(context.WorkingDirectory); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, ".nuke")))
            {
                return directory.FullName;
            }
        }
        return context.WorkingDirectory;
    }

    private static int Fail(IAnsiConsole console, IEnumerable<string> errors)
    {
        foreach (var error in errors)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(error)}");
        }
        return ExitUsage;
    }
}
