namespace Filare.Perf.Trend;

/// <summary>
/// A branch's trends, as a PR report sees its base branch: where the trend page is (the history
/// branch's <c>&lt;branch&gt;/trend.md</c> on GitHub, when the repository is known) and each scenario's series.
/// </summary>
public sealed record BranchTrend(string Branch, string? TrendUrl, int Points, IReadOnlyList<SeriesTrend> Series)
{
    /// <summary>What the base branch's history says about one scenario: its nights and the changes among them.</summary>
    public TrendContext For(string scenario) =>
        Series.FirstOrDefault(s => s.Scenario == scenario) is { } series
            ? new TrendContext(Branch, TrendUrl, Points, series.Points.Count, series.ChangePoints, series.Drifts, series.Points)
            : new TrendContext(Branch, TrendUrl, Points, 0, [], [], []);
}

/// <summary>One scenario's base-branch context: a PR measured on a base that regressed should say so.</summary>
public sealed record TrendContext(
    string Branch,
    string? TrendUrl,
    int Window,
    int Nights,
    IReadOnlyList<ChangePoint> ChangePoints,
    IReadOnlyList<Drift> Drifts,
    IReadOnlyList<History.HistoryRecord> Points)
{
    public bool Moved => ChangePoints.Count > 0 || Drifts.Count > 0;
}

/// <summary>
/// Where a report finds its base branch's history: a folder of <c>&lt;branch&gt;/history.jsonl</c>
/// (a checkout of the history branch, or PerfHistory's --history-dir), and the history branch's name
/// for the link to the trend page PerfHistory commits beside each history file.
/// </summary>
/// <param name="Remote">When set, the history branch is fetched from this remote of
/// <paramref name="Repository"/> (read-only) instead of read from <paramref name="HistoryDir"/>.</param>
public sealed record BaseTrendSource(string HistoryDir, string HistoryBranch, TrendSettings Settings, string? Remote = null, string? Repository = null)
{
    /// <summary>The source with its history on disk: fetched once from the remote when one is set; null (and a note) when there is none to read.</summary>
    public async Task<BaseTrendSource?> ResolveAsync(ICollection<string> notes, CancellationToken cancellation)
    {
        if (Remote is null || Repository is null)
        {
            return this;
        }
        var folder = Path.Combine(Path.GetTempPath(), $"filare-perf-history-{Guid.NewGuid():N}");
        try
        {
            var branch = new History.HistoryBranch(new History.HistoryBranchOptions(Repository, Remote, HistoryBranch));
            if (!await branch.DownloadAsync(folder, cancellation).ConfigureAwait(false))
            {
                notes.Add($"no base branch trend: the history branch {HistoryBranch} does not exist yet (the nightly history job creates it)");
                return null;
            }
            return this with { HistoryDir = folder, Remote = null };
        }
        catch (History.HistoryPushException e)
        {
            notes.Add($"no base branch trend: {e.Message}");
            return null;
        }
    }

    /// <summary>The branch's trend, or null when there is no history of it here; a history that cannot be read is a note, not a failure.</summary>
    public BranchTrend? Load(string branch, ICollection<string> notes)
    {
        if (History.HistoryIntake.BranchProblem(branch, []) is not null)
        {
            return null;
        }
        var folder = new History.HistoryFolder(HistoryDir);
        if (!File.Exists(folder.FileOf(branch)))
        {
            return null;
        }
        try
        {
            var content = folder.Read(branch);
            foreach (var warning in content.Warnings)
            {
                notes.Add(warning);
            }
            var result = TrendAnalyzer.Analyze(content.Records.Where(r => r.Branch == branch), Settings);
            var url = Settings.Repository is { } repository && History.HistoryRecorder.IsRepositoryName(repository)
                && History.HistoryIntake.BranchProblem(HistoryBranch, []) is null
                ? $"https://github.com/{repository}/blob/{HistoryBranch}/{branch}/{TrendPage}"
                : null;
            return new BranchTrend(branch, url, Settings.Points, result.Series);
        }
        catch (History.HistoryFormatException e)
        {
            notes.Add($"no base branch trend: {e.Message}");
            return null;
        }
    }

    /// <summary>The trend page PerfHistory writes beside each branch's history file on the history branch.</summary>
    public const string TrendPage = "trend.md";
}
