using Filare.Perf.Engine;
using Filare.Perf.History;
using Filare.Perf.Trend;
using Filare.Perf.TrendReport;
using Filare.Perf.Workflows;
using Filare.Perf.Comparison;

namespace Filare.Perf;

/// <summary>The nightly history of beta and master, and its trends: see docs/performance/history.md.</summary>
public sealed partial class Build
{
    [Parameter("Folder of <branch>/history.jsonl files: PerfHistory appends to it (with --history-remote " +
        "it receives the history branch after the push); PerfTrend reads it.", Group = "History")]
    public string HistoryDir { get; init; } = "outputs/perf-history";

    [Parameter("Git remote (a name or URL) whose --history-branch PerfHistory commits to and pushes, retrying when " +
        "another run pushed first; the workflow sets origin. Unset: append to --history-dir only.", Group = "History")]
    public string? HistoryRemote { get; init; }

    [Parameter("The git branch that holds the history (created as an orphan branch when missing).", Group = "History")]
    public string HistoryBranch { get; init; } = "perf-history";

    [Parameter("The Filare branch the recorded runs belong to (default: each run's own git branch); the workflow sets it.", Group = "History")]
    public string? FilareBranch { get; init; }

    [Parameter("PerfTrend: the last N nights per branch and scenario that are charted and searched for change points.", Minimum = 4, Maximum = 1000,
        Group = "History")]
    public int TrendPoints { get; init; } = 60;

    [Parameter("PerfTrend: the smallest step reported (0.02 = 2%; default: max(2%, the branch's median A/A noise floor)).", Minimum = 0, Maximum = 1,
        Group = "History")]
    public double? TrendMinMagnitude { get; init; }

    [Parameter("PerfTrend: how change points are found: edpelt (Perfolizer's ED-PELT) or ttest (binary segmentation " +
        "with a t-test); both are kept only at p <= 0.001 and the smallest magnitude.", Group = "History")]
    public ChangePointMethod TrendMethod { get; init; } = ChangePointMethod.EdPelt;

    [Parameter("PerfTrend: owner/name of the GitHub repository for compare links (default: GITHUB_REPOSITORY, else the one the records name).",
        Group = "History")]
    public string? TrendRepository { get; init; }

    Target PerfHistory => _ => _
        .Description("Append the runs under --report-input to the history: one record " +
            "per run, branch and scenario, in --history-dir or pushed to --history-branch")
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

    Target PerfTrend => _ => _
        .Description("Trends of the history (--history-dir, or the runs under an explicit --report-input): change points " +
            "with commit ranges, drifts, runner changes and Mermaid charts, as trend.md, a console table and the job summary")
        .After(PerfHistory)
        .Executes(() =>
        {
            try
            {
                new TrendReporter(TrendOptions, Console).Publish();
            }
            catch (Exception e) when (e is HistoryFormatException or HistoryInputException)
            {
                throw new BuildFailedException(e.Message);
            }
        });

    private TrendOptions TrendOptions
    {
        get
        {
            if (TrendRepository is not null && !HistoryRecorder.IsRepositoryName(TrendRepository))
            {
                throw new BuildFailedException($"--trend-repository / FIL_PERF_TREND_REPOSITORY: '{TrendRepository}' is not owner/name.");
            }
            var history = HistoryOptions;
            var settings = new TrendSettings(TrendPoints, TrendMinMagnitude, TrendMethod, Repository: TrendRepository ?? history.Source.Repository);
            return new TrendOptions(history.HistoryDir, ReportInput is null ? null : history.Input, history.Source with { AllowedBranches = [] }, settings,
                EnvironmentVariables);
        }
    }

    /// <summary>The trend page committed beside a branch's history file, so a PR report can link to it.</summary>
    private string TrendPage(string branch, string history)
    {
        var records = HistoryFile.Parse(history, branch).Records.Where(r => r.Branch == branch);
        return TrendMarkdown.Render(TrendAnalyzer.Analyze(records, BaseTrendSource.Settings));
    }

    /// <summary>The report's view of its base branch's history (a line and a link; docs/performance/history.md).</summary>
    private BaseTrendSource BaseTrendSource => new(
        Path.GetFullPath(HistoryDir, RootDirectory),
        HistoryBranch,
        new TrendSettings(TrendPoints, TrendMinMagnitude, TrendMethod,
            Repository: TrendRepository ?? HistoryRecorder.FromEnvironment(EnvironmentVariables).Repository),
        HistoryRemote,
        RootDirectory);

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
                new HistorySource(FilareBranch, allowed, runUrl, repository),
                Companion: (branch, text) => (BaseTrendSource.TrendPage, TrendPage(branch, text)),
                Environment: EnvironmentVariables);
        }
    }
}
