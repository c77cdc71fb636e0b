using System.Text.Json;
using Filare.Perf.Actions;
using Filare.Perf.Bisect;
using Filare.Perf.Checkout;
using Filare.Perf.Git;
using Filare.Perf.Instructions;
using Filare.Perf.Results;
using Filare.Perf.Scenarios;
using Filare.Perf.Storage;
using Spectre.Console;

namespace Filare.Perf.BisectReport;

/// <summary>The PerfBisect target's inputs, as the build resolved them.</summary>
/// <param name="RunBuild">Runs a nested build (the confirmation's PerfRun) with extra variables.</param>
public sealed record BisectSessionOptions(
    string BuildRoot,
    string? FilareRoot,
    string? Python,
    IReadOnlyList<string> Scenarios,
    IReadOnlyList<string> Tags,
    string OutputDir,
    BisectOptions Bisect,
    CompareEnvironment Mode,
    IReadOnlyList<string> Groups,
    int Jobs,
    int MaxRuns,
    double TimeBudgetSeconds,
    string? Repository,
    IReadOnlyDictionary<string, string> Environment,
    Func<IReadOnlyList<string>, IReadOnlyDictionary<string, string>, CancellationToken, Task<int>> RunBuild);

/// <summary>
/// PerfBisect end to end: the reference checkout and its interpreter, the scenarios, the run folder
/// (&lt;output-dir&gt;/bisect-&lt;good&gt;-&lt;bad&gt;), the bisection, then bisect.json, bisect.md and the job summary.
/// </summary>
public static class BisectSession
{
    public static async Task<BisectResult> RunAsync(BisectSessionOptions options, IAnsiConsole console, CancellationToken cancellation)
    {
        using var commands = WorkflowCommands.Suspend(console, options.Environment);
        var reference = FilareCheckout.Locate(options.FilareRoot, options.BuildRoot);
        var catalog = ScenarioCatalog.Load(Path.Combine(options.BuildRoot, "scenarios"), options.BuildRoot);
        var scenarios = catalog.Select(options.Scenarios, options.Tags);
        var interpreter = PythonEnvironment.Choose(options.Python, reference.Root, options.BuildRoot, options.Environment);
        var python = await PythonEnvironment.ProbeAsync(interpreter, scenarios.SelectMany(s => s.Requires).Distinct(), reference.Root, cancellation)
            .ConfigureAwait(false);
        var git = new CommitRange((await ToolProcess("rev-parse", "--show-toplevel")).Trim());
        async Task<string> ToolProcess(params string[] arguments)
        {
            var result = await Processes.ToolProcess.RunAsync("git", ["-C", reference.Root, .. arguments], reference.Root, TimeSpan.FromMinutes(1),
                cancellation).ConfigureAwait(false);
            return result.Succeeded
                ? result.StandardOutput
                : throw new FilareException($"{reference.Root} is not in a git repository: there is no history to bisect.");
        }
        if (options.Bisect.Metric == BisectMetric.Instructions)
        {
            var valgrind = await Valgrind.ProbeAsync(options.Environment, options.BuildRoot, cancellation).ConfigureAwait(false);
            if (!valgrind.Installed)
            {
                throw new FilareException($"--metric instructions needs Valgrind ({valgrind.Problem}; {Valgrind.InstallHint}); or bisect by --metric wall.");
            }
        }
        var folder = Path.Combine(Path.GetFullPath(options.OutputDir, options.BuildRoot), RunLabel.Safe($"bisect-{options.Bisect.Good}-{options.Bisect.Bad}"));
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        Directory.CreateDirectory(folder);
        var target = new BisectTarget(reference, python, scenarios, options.BuildRoot, folder, options.Mode, options.Groups, options.Environment);
        await using var counter = new CommitCounter(target, options.Jobs);
        var confirmer = new PerfRunConfirmer(target, counter, options.MaxRuns, options.TimeBudgetSeconds, options.RunBuild);
        ICommitMeasurer measurer = options.Bisect.Metric == BisectMetric.Instructions
            ? counter
            : new WallMeasurer(target, counter, options.Bisect.Good, options.MaxRuns, options.TimeBudgetSeconds, options.RunBuild);
        var bisector = new Bisector(git, options.Bisect, measurer, options.Bisect.Metric == BisectMetric.Instructions ? confirmer : null,
            line => console.MarkupLine(Markup.Escape(line)));
        var result = await bisector.RunAsync([.. scenarios.Select(s => s.Name)], options.Repository, cancellation).ConfigureAwait(false);
        var markdown = BisectMarkdown.Render(result);
        AtomicFile.WriteAllText(Path.Combine(folder, BisectResult.JsonFile), JsonSerializer.Serialize(result, MetricsStore.JsonOptions));
        AtomicFile.WriteAllText(Path.Combine(folder, BisectResult.MarkdownFile), markdown);
        if (options.Environment.GetValueOrDefault("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary)
        {
            File.AppendAllText(summary, JobSummary.Truncate(markdown, JobSummary.StepSummaryLimit));
        }
        foreach (var culprit in result.Culprits)
        {
            console.MarkupLine($"[bold]Culprit[/]: {Markup.Escape(ShortSha.Of(culprit.Culprit.Sha, ShortSha.InReport))} " +
                $"{Markup.Escape(culprit.Culprit.Subject)}: " +
                Markup.Escape(string.Join(", ", culprit.Step.Change.Select(c => $"{c.Key} {c.Value:+0.00%;-0.00%}"))) + $" ({culprit.Confirmation.Status})");
        }
        console.MarkupLine($"Bisection: {Markup.Escape(Path.Combine(folder, BisectResult.MarkdownFile))}; " +
            $"{result.Cost.CountedRuns} counted runs (bound {result.Cost.Bound})");
        return result;
    }

    public static BisectResult Read(string file) =>
        JsonSerializer.Deserialize<BisectResult>(File.ReadAllText(file),
            MetricsStore.JsonOptions) is { Schema: BisectResult.SchemaName, Version: BisectResult.CurrentVersion } result
            ? result
            : throw new FilareException($"{file} is not a {BisectResult.SchemaName} v{BisectResult.CurrentVersion} file.");
}
