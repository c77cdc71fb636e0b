using System.Text.RegularExpressions;
using Filare.Perf.Actions;
using Filare.Perf.Git;
using Filare.Perf.Results;

namespace Filare.Perf.History;

/// <summary>
/// Where the runs come from and what may be believed about them. <paramref name="Branch"/> (trusted,
/// from the workflow) overrides the branch a run names for itself; <paramref name="AllowedBranches"/>
/// (on GitHub: the workflow's nightly branches) is the only set a record may be filed under;
/// <paramref name="RunUrl"/> is the URL of the run doing the appending, built from its own environment.
/// </summary>
public sealed record HistorySource(string? Branch, IReadOnlyCollection<string> AllowedBranches, string? RunUrl, string? Repository);

/// <summary>
/// metrics.json files in, history records out. The files come out of an artifact, so they are data
/// to check, never to trust: every field that lands in a record is validated or reduced here, and a
/// file or scenario that fails is left out with a reason that names it.
/// </summary>
public static partial class HistoryIntake
{
    /// <summary>Larger than any real metrics.json by two orders of magnitude.</summary>
    public const long MaxFileBytes = 32L * 1024 * 1024;
    private const int MaxText = 200;

    public static (IReadOnlyList<HistoryRecord> Records, IReadOnlyList<string> Problems) Read(IEnumerable<string> files, HistorySource source)
    {
        var records = new List<HistoryRecord>();
        var problems = new List<string>();
        foreach (var file in files)
        {
            RunMetrics metrics;
            try
            {
                if (new FileInfo(file).Length > MaxFileBytes)
                {
                    problems.Add($"{file}: larger than {MaxFileBytes / (1024 * 1024)} MiB, not read");
                    continue;
                }
                metrics = MetricsStore.Read(file);
            }
            catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidDataException or NotSupportedException or ArgumentException)
            {
                problems.Add($"{file}: not a readable metrics.json ({e.Message})");
                continue;
            }
            var (fromRun, runProblems) = FromRun(metrics, file, source);
            records.AddRange(fromRun);
            problems.AddRange(runProblems);
        }
        return (records, problems);
    }

    public static (IReadOnlyList<HistoryRecord> Records, IReadOnlyList<string> Problems) FromRun(RunMetrics metrics, string file, HistorySource source)
    {
        if (metrics.Schema != RunMetrics.SchemaName || metrics.SchemaVersion != RunMetrics.CurrentVersion)
        {
            return ([], [$"{file}: schema '{Text(metrics.Schema)}' version {metrics.SchemaVersion}; " +
                $"this build reads {RunMetrics.SchemaName} version {RunMetrics.CurrentVersion}"]);
        }
        var environment = metrics.Environment;
        if (environment is null || metrics.Scenarios is null)
        {
            return ([], [$"{file}: no environment or scenarios"]);
        }
        if (environment.FilareCommit is not { } commit || !CommitSha.IsFull(commit))
        {
            return ([],
                [$"{file}: environment.filareCommit is {(environment.FilareCommit is null ? "missing" : $"'{Untrusted.Shown(environment.FilareCommit)}'")}, " +
                    $"not a 40-hex commit: a run outside git has no place in a history"]);
        }
        if (environment.FilareDirty == true)
        {
            return ([], [$"{file}: measured a checkout with uncommitted changes, so no commit stands for it"]);
        }
        var named = source.Branch ?? environment.FilareBranch;
        if (BranchProblem(named, source.AllowedBranches) is { } problem)
        {
            return ([], [$"{file}: {problem}{(source.Branch is null ? " (from environment.filareBranch; --filare-branch sets it)" : " (--filare-branch)")}"]);
        }
        var floors = Calibrated(metrics);
        var records = new List<HistoryRecord>();
        var problems = new List<string>();
        foreach (var scenario in metrics.Scenarios)
        {
            if (scenario?.Status == ScenarioStatus.Skipped)
            {
                // Not selected or not runnable here: nothing was measured, so there is nothing to keep.
                continue;
            }
            if (scenario?.Name is not { } name || !ScenarioName().IsMatch(name))
            {
                problems.Add($"{file}: a scenario named '{Untrusted.Shown(scenario?.Name)}' " +
                    $"is left out: names are letters, digits, '.', '_' and '-', at most 64");
                continue;
            }
            var ok = (scenario.Samples ?? []).Where(s => s is { Status: RunStatus.Ok, UserSeconds: not null, SystemSeconds: not null, PeakRssBytes: not null })
                .ToList();
            var wall = HistoryMetrics.Of(ok.Select(s => s.WallSeconds));
            var cpu = HistoryMetrics.Of(ok.Select(s => s.CpuPercent ?? double.NaN));
            var rss = HistoryMetrics.Of(ok.Select(s => (double)s.PeakRssBytes!.Value));
            if (scenario.Status == ScenarioStatus.Ok && (wall is null || cpu is null || rss is null))
            {
                problems.Add($"{file}: scenario {name} says ok but has no valid clean samples (non-negative, finite); recorded as error");
            }
            var status = scenario.Status == ScenarioStatus.Ok && (wall is null || cpu is null || rss is null) ? ScenarioStatus.Error : scenario.Status;
            records.Add(new HistoryRecord(
                HistoryRecord.SchemaName, HistoryRecord.CurrentVersion, named!, name, commit.ToLowerInvariant(), metrics.StartedAt.ToUniversalTime(),
                Text(metrics.RunLabel), source.RunUrl, source.Repository,
                new HistoryRunner(Text(environment.CpuModel), Math.Max(0, environment.LogicalCpus), Text(environment.Os), Text(environment.Architecture)),
                new HistoryPython(Text(environment.PythonImplementation), Text(environment.PythonVersion)),
                status, ok.Count, status == ScenarioStatus.Ok ? wall : null, status == ScenarioStatus.Ok ? cpu : null, status == ScenarioStatus.Ok ? rss : null,
                status == ScenarioStatus.Ok ? Instructions(scenario) : null,
                floors.GetValueOrDefault(name))
            {
                CostSeconds = RunCost.Of(scenario),
            });
        }
        return (records, problems);
    }

    /// <summary>Why a branch cannot name a history file, or null: it becomes a folder, so git's ref rules and no way out of the history.</summary>
    public static string? BranchProblem(string? branch, IReadOnlyCollection<string> allowed)
    {
        if (branch is null or "" or CompareRef.Head || !CompareRef.TryValidate(branch, out _) || branch.EndsWith('.') || branch.Length > 100)
        {
            return $"branch '{Untrusted.Shown(branch)}' cannot be filed: a branch name is letters, digits " +
                $"and . _ / - (git's rules, at most 100 characters, not HEAD or a detached checkout)";
        }
        if (allowed.Count > 0 && !allowed.Contains(branch, StringComparer.Ordinal))
        {
            return $"branch '{Untrusted.Shown(branch)}' is not one the history keeps ({string.Join(", ", allowed)})";
        }
        return null;
    }

    /// <summary>valgrind's count of the scenario's one counted run (deterministic: the interval is the count itself).</summary>
    private static HistoryMetric? Instructions(ScenarioResult scenario) =>
        scenario.Instructions is { Status: InstructionStatus.Ok, Total: { } total } && total > 0
            ? new HistoryMetric(total, total, total, 1)
            : null;

    /// <summary>An A/A run's pairs are the runner's noise; another kind of run says nothing about it.</summary>
    private static Dictionary<string, HistoryNoise> Calibrated(RunMetrics metrics)
    {
        var floors = new Dictionary<string, HistoryNoise>(StringComparer.Ordinal);
        if (metrics.Compare is not { Mode: CompareMode.AA, Status: CompareStatus.Ok })
        {
            return floors;
        }
        foreach (var scenario in metrics.Scenarios)
        {
            if (scenario?.Name is { } name && scenario.Paired?.NoiseFloor is { } floor)
            {
                floors[name] = new HistoryNoise(Fraction(floor.WallSeconds), Fraction(floor.CpuPercent), Fraction(floor.PeakRssBytes));
            }
        }
        return floors;
    }

    private static double? Fraction(double value) => double.IsFinite(value) && value is >= 0 and < 10 ? value : null;

    /// <summary>Free text kept as data: no control characters, bounded length. It is escaped wherever it is rendered.</summary>
    public static string Text(string? text)
    {
        var clean = new string((text ?? "").Where(c => !char.IsControl(c)).ToArray()).Trim();
        return clean.Length <= MaxText ? clean : clean[..MaxText];
    }

    public static bool IsScenarioName(string? name) => name is not null && ScenarioName().IsMatch(name);

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z")]
    private static partial Regex ScenarioName();
}

public static class HistoryMetrics
{
    /// <summary>Null without a finite, non-negative sample: a record never carries a made-up figure.</summary>
    public static HistoryMetric? Of(IEnumerable<double> values)
    {
        var sorted = values.ToArray();
        if (sorted.Length == 0 || sorted.Any(v => !double.IsFinite(v) || v < 0))
        {
            return null;
        }
        Array.Sort(sorted);
        var (low, high) = MedianInterval(sorted.Length);
        return new HistoryMetric(Comparison.Quantile.Of(sorted, 0.5), sorted[low], sorted[high], sorted.Length);
    }

    /// <summary>
    /// Order statistics (0-based) around the median covering it with ≥ 95% for any distribution:
    /// P(X(k) ≤ median ≤ X(n−1−k)) = 1 − 2·P(Binomial(n, ½) ≤ k). Below n = 6 no pair reaches 95%: the range.
    /// </summary>
    public static (int Low, int High) MedianInterval(int n)
    {
        var best = 0;
        for (var k = 1; k < n / 2; k++)
        {
            if (1 - 2 * BinomialCdf(n, k) < 0.95)
            {
                break;
            }
            best = k;
        }
        return (best, n - 1 - best);
    }

    private static double BinomialCdf(int n, int k)
    {
        var sum = 0.0;
        var term = Math.Pow(0.5, n);
        for (var i = 0; i <= k; i++)
        {
            sum += term;
            term *= (double)(n - i) / (i + 1);
        }
        return sum;
    }
}
