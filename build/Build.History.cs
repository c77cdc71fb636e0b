using Filare.Perf.Engine;
using Filare.Perf.History;
using Filare.Perf.Workflows;

namespace Filare.Perf;

/// <summary>The nightly history of beta and master, and its trends: see docs/performance/history.md.</summary>
public sealed partial class Build
{
    [Parameter("Folder of <branch>/history.jsonl files: PerfHistory appends to it (with --history-remote it receives the history branch after the push); PerfTrend reads it.", Group = "History")]
    public string HistoryDir { get; init; } = "outputs/perf-history";

    [Parameter("Git remote (a name or URL) whose --history-branch PerfHistory commits to and pushes, retrying when another run pushed first; the workflow sets origin. Unset: append to --history-dir only.", Group = "History")]
    public string? HistoryRemote { get; init; }

    [Parameter("The git branch that holds the history (created as an orphan branch when missing).", Group = "History")]
    public string HistoryBranch { get; init; } = "perf-history";

    [Parameter("The Filare branch the recorded runs belong to (default: each run's own git branch); the workflow sets it.", Group = "History")]
    public string? FilareBranch { get; init; }

    Target PerfHistory => _ => _
        .Description("Append the runs under --report-input to the history: one record per run, branch and scenario, in --history-dir or pushed to --history-branch")
        .After(PerfRun)
        .Executes(async cancellation =>
        {
            try
            {
                await new HistoryRecorder(HistoryOptions, Console).RecordAsync(cancellation);
            }
            catch (Exception e) when (e is HistoryPushException or HistoryFormatException or HistoryInputException)
            {
                throw new BuildFailedException(e.Message);
            }
        });

    private HistoryOptions HistoryOptions
    {
        get
        {
            var (runUrl, repository) = HistoryRecorder.FromEnvironment(EnvironmentVariables);
            // On GitHub only the workflow's nightly branches have a history: a run that names another is refused.
            IReadOnlyCollection<string> allowed = EnvironmentVariables.GetValueOrDefault("GITHUB_ACTIONS") == "true"
                && typeof(Build).GetCustomAttributes(typeof(PerfWorkflowAttribute), false) is [PerfWorkflowAttribute perf, ..] ? perf.Branches : [];
            return new HistoryOptions(
                Path.GetFullPath(ReportInput ?? OutputDir, RootDirectory),
                Path.GetFullPath(HistoryDir, RootDirectory),
                HistoryRemote,
                RootDirectory,
                HistoryBranch,
                new HistorySource(FilareBranch, allowed, runUrl, repository));
        }
    }
}
