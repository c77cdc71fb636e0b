using Filare.Perf.Engine;
using Filare.Perf.Results;

namespace Filare.Perf;

/// <summary>The report: metrics.json files in, a job summary out. Informational: it never fails the job.</summary>
public sealed partial class Build
{
    [Parameter("Folder (searched recursively) or metrics.json file to report on (default: the output dir).", Group = "Report")]
    public string? ReportInput { get; init; }

    [Parameter("What to compare against: none, previous (the last successful run on GitHub), or a folder / metrics.json.", Group = "Report")]
    public string Baseline { get; init; } = "none";

    [Parameter("Pull request number the report is about (set by the workflow).", Group = "Report")]
    public string? Pr { get; init; }

    [Parameter("Id of the workflow run whose artifacts are reported (set by the feedback workflow).", Group = "Report")]
    public string? SourceRun { get; init; }

    Target PerfReport => _ => _
        .Description("Render metrics.json into the job summary ($GITHUB_STEP_SUMMARY) or summary.md and the console")
        .After(PerfRun)
        .AssuredAfterFailure()
        .Executes(() => JobSummary.Publish(
            Path.GetFullPath(ReportInput ?? OutputDir, RootDirectory),
            EnvironmentVariables.GetValueOrDefault("GITHUB_STEP_SUMMARY"),
            Console));
}
