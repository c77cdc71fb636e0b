using Filare.Perf.Comparison;
using Filare.Perf.Engine;
using Filare.Perf.Publishing;
using Filare.Perf.Results;

namespace Filare.Perf;

/// <summary>The report: metrics.json files in, a job summary and PR feedback out. Informational: it never fails the job.</summary>
public sealed partial class Build
{
    [Parameter("Folder (searched recursively) or metrics.json file to report on (default: the output dir).", Group = "Report")]
    public string? ReportInput { get; init; }

    [Parameter("What to compare against: none, previous (the last successful perf run on GitHub), or a run folder / metrics.json.", Group = "Report")]
    public string Baseline { get; init; } = Baselines.None;

    [Parameter("Branch whose last successful run is the 'previous' baseline (default: the run's own branch, else master).", Group = "Report")]
    public string? BaselineBranch { get; init; }

    [Parameter("Largest p-value that counts as a change: of the Mann–Whitney U test against a stored baseline, " +
        "of the paired trimmed t-test under --compare-ref.", Minimum = 0.0001, Maximum = 0.5, Group = "Report")]
    public double CompareAlpha { get; init; } = 0.01;

    [Parameter("Smallest relative change (0.05 = 5%) that earns a slower/faster verdict.", Minimum = 0, Maximum = 1, Group = "Report")]
    public double CompareMinEffect { get; init; } = 0.05;

    [Parameter("Pull request the report is about: its sticky comment is created or updated (set by the workflow).", Minimum = 1, Group = "Report")]
    public int? Pr { get; init; }

    [Parameter("The /run-perf comment that started the run: it gets a 🚀 or 😕 reaction (set by the workflow).", Minimum = 1, Group = "Report")]
    public long? CommentId { get; init; }

    [Parameter("Workflow run whose artifacts are reported, when it is not this one (set by the feedback workflow).", Minimum = 1, Group = "Report")]
    public long? SourceRun { get; init; }

    Target PerfReport => _ => _
        .Description("Compare with the baseline and publish the report: job summary, or report.md and the console; PR comment on GitHub")
        .After(PerfRun)
        .AssuredAfterFailure()
        .Executes(cancellation =>
            new PerfReporter(ReportOptions, Console, GitHubReport.TryCreate(EnvironmentVariables, HttpHandler)).PublishAsync(cancellation));

    /// <summary>The one set of comparison rules: PerfRun's paired verdicts and PerfReport's use the same.</summary>
    private ComparisonSettings Comparison => new(CompareAlpha, CompareMinEffect, InstructionThreshold: InstructionsThreshold, HeapThreshold: HeapThreshold);

    private ReportOptions ReportOptions => new(
        Path.GetFullPath(ReportInput ?? OutputDir, RootDirectory),
        BaselineChoice.Parse(Baseline, RootDirectory),
        BaselineBranch,
        Pr,
        CommentId,
        SourceRun,
        PerfWorkflowSettings?.Name is { } name ? name + ".yml" : "perf.yml",
        Comparison,
        EnvironmentVariables,
        BaseTrendSource,
        PerfWorkflowSettings?.Label ?? "run-perf");

    private static Workflows.PerfWorkflowAttribute? PerfWorkflowSettings =>
        typeof(Build).GetCustomAttributes(typeof(Workflows.PerfWorkflowAttribute), false) is [Workflows.PerfWorkflowAttribute perf, ..] ? perf : null;
}
