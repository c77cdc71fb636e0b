using System.Diagnostics;

namespace Filare.Perf.Bisect;

/// <summary>
/// --metric wall (where Valgrind is missing): each commit is a same-runner interleaved A/B against
/// good (a nested PerfRun, adaptive pairs), and its value per scenario is the wall-time ratio to
/// good (good itself is 1). Costlier and noisier than instructions; the threshold is the A/B's minimum effect.
/// </summary>
public sealed class WallMeasurer(BisectTarget target, CommitCounter checkouts, string good, int maxRuns, double timeBudgetSeconds,
    Func<IReadOnlyList<string>, IReadOnlyDictionary<string, string>, CancellationToken, Task<int>> runBuild) : ICommitMeasurer
{
    private readonly PerfRunConfirmer _ab = new(target, checkouts, maxRuns, timeBudgetSeconds, runBuild);

    public async Task<CommitMeasurement> MeasureAsync(string commit, int order, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var goodSha = await new CommitRange(target.Reference.Root).ResolveAsync(good, "--good", cancellation).ConfigureAwait(false);
        if (commit == goodSha)
        {
            return new CommitMeasurement(commit, CommitStatus.Measured, target.Scenarios.ToDictionary(s => s.Name, _ => 1.0), null, order, 0, 0);
        }
        var ab = await _ab.ConfirmAsync(new BisectStep(goodSha, commit, [], new Dictionary<string, double>()), new Dictionary<string, double>(), cancellation)
            .ConfigureAwait(false);
        var values = ab.Scenarios.Where(s => s.Pairs > 0 && double.IsFinite(s.Ratio)).ToDictionary(s => s.Name, s => s.Ratio, StringComparer.Ordinal);
        var runs = ab.Scenarios.Sum(s => 2 * s.Pairs);
        return values.Count == target.Scenarios.Count
            ? new CommitMeasurement(commit, CommitStatus.Measured, values, null, order, runs, clock.Elapsed.TotalSeconds)
            : CommitMeasurement.Skip(commit,
                "wall-time A/B against good: " + (ab.Message ?? string.Join("; ", ab.Scenarios.Where(s => s.Pairs == 0).Select(s => $"{s.Name}: {s.Why}"))),
                order, runs, clock.Elapsed.TotalSeconds);
    }
}
