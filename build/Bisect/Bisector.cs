using System.Diagnostics;
using Filare.Perf.Checkout;
using Filare.Perf.Git;

namespace Filare.Perf.Bisect;

/// <summary>The bisection's own settings (the commits' are in <see cref="BisectTarget"/>).</summary>
/// <param name="MaxCommits">The most commits measured; the search stops there and says which ranges it left.</param>
/// <param name="Budget">The longest the search may run before it stops starting measurements; null: no budget.</param>
/// <param name="Confirm">Measure each culprit against its parent in wall time (interleaved pairs).</param>
public sealed record BisectOptions(string Good, string Bad, BisectMetric Metric, bool FirstParent, int MaxCommits, TimeSpan? Budget, double Threshold,
    bool Confirm = true);

/// <summary>
/// One bisection: lists good..bad, searches it for every step (<see cref="StepSearch"/>), descends
/// into a merge a step was found at, confirms each culprit in wall time, and returns the result.
/// Each commit is measured once whatever asks for it; measurements are numbered in the order asked.
/// </summary>
public sealed class Bisector(CommitRange git, BisectOptions options, ICommitMeasurer measurer, IWallConfirmer? confirmer, Action<string> log)
{
    private const int MaxMergeDepth = 3;
    private readonly Dictionary<string, Task<CommitMeasurement>> _measured = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = new();
    private int _started;

    public async Task<BisectResult> RunAsync(IReadOnlyList<string> scenarios, string? repository, CancellationToken cancellation)
    {
        var started = DateTimeOffset.UtcNow;
        _clock.Start();
        var good = await git.ResolveAsync(options.Good, "--good", cancellation).ConfigureAwait(false);
        var bad = await git.ResolveAsync(options.Bad, "--bad", cancellation).ConfigureAwait(false);
        var range = await git.ListAsync(good, bad, options.FirstParent, cancellation).ConfigureAwait(false);
        if (range.Count < 2)
        {
            throw new FilareException($"--good {options.Good} and --bad {options.Bad} are the same commit: nothing to bisect.");
        }
        log($"Bisecting {range.Count - 1} commits {Short(good)}..{Short(bad)}{(options.FirstParent ? " (first parent)" : "")} " +
            $"by {options.Metric.ToString().ToLowerInvariant()}, threshold {options.Threshold:P1}");
        var commits = range.ToDictionary(c => c.Sha, StringComparer.Ordinal);
        var search = new StepSearch(options.Threshold, MeasureAsync);
        var found = await search.SearchAsync([.. range.Select(c => c.Sha)], cancellation).ConfigureAwait(false);
        var bound = StepSearch.Bound(range.Count, found.Steps.Count + found.Drifts.Count);
        var steps = new List<BisectStep>();
        foreach (var step in found.Steps)
        {
            var (descended, extra) = await DescendAsync(step, commits, search, 0, cancellation).ConfigureAwait(false);
            steps.AddRange(descended);
            bound += extra;
        }
        var searched = _clock.Elapsed.TotalSeconds;
        var measured = (await Task.WhenAll(_measured.Values).ConfigureAwait(false)).OrderBy(m => m.Order).ToList();
        var culprits = new List<CulpritReport>();
        foreach (var step in steps)
        {
            culprits.Add(await ReportAsync(step, commits, measured, cancellation).ConfigureAwait(false));
        }
        // Each skipped commit tried costs at most one run per scenario beyond the bound.
        bound += measured.Count(m => m.Status == CommitStatus.Skipped);
        var cost = new BisectCost(range.Count - 1, measured.Count(m => m.Status != CommitStatus.NotMeasured), measured.Sum(m => m.CountedRuns),
            bound * Math.Max(1, scenarios.Count),
            searched, _clock.Elapsed.TotalSeconds - searched);
        return new BisectResult(BisectResult.SchemaName, BisectResult.CurrentVersion, started, range[0], range[^1], options.Metric, options.FirstParent,
            options.Threshold,
            scenarios, repository, range, measured.Where(m => m.Status != CommitStatus.NotMeasured).ToList(), culprits, found.Drifts,
            [.. found.Unresolved.Select(u => new UnresolvedRange(u.From, u.To, u.Why))], cost);
    }

    /// <summary>A step at a merge (first-parent search) is searched again over the merged branch; what is found there replaces it.</summary>
    private async Task<(IReadOnlyList<BisectStep> Steps, int Bound)> DescendAsync(BisectStep step, Dictionary<string, BisectCommit> commits, StepSearch search,
        int depth, CancellationToken cancellation)
    {
        if (step.IsRange || !options.FirstParent || depth >= MaxMergeDepth || !commits.TryGetValue(step.After, out var merge) || !merge.IsMerge)
        {
            return ([step], 0);
        }
        var branch = await git.MergedBranchAsync(merge, cancellation).ConfigureAwait(false);
        foreach (var commit in branch)
        {
            commits.TryAdd(commit.Sha, commit);
        }
        log($"Step at merge {Short(merge.Sha)}: searching the {branch.Count - 2} commits it merged");
        var found = await search.SearchAsync([.. branch.Select(c => c.Sha)], cancellation).ConfigureAwait(false);
        var bound = StepSearch.Bound(branch.Count, found.Steps.Count + found.Drifts.Count);
        if (found.Steps.Count == 0)
        {
            return ([step], bound);
        }
        var steps = new List<BisectStep>();
        foreach (var inner in found.Steps)
        {
            var (descended, extra) = await DescendAsync(inner with { Via = merge.Sha }, commits, search, depth + 1, cancellation).ConfigureAwait(false);
            steps.AddRange(descended);
            bound += extra;
        }
        return (steps, bound);
    }

    private async Task<CulpritReport> ReportAsync(BisectStep step, Dictionary<string, BisectCommit> commits, IReadOnlyList<CommitMeasurement> measured,
        CancellationToken cancellation)
    {
        var culprit = commits[step.After];
        var before = measured.First(m => m.Sha == step.Before);
        var after = measured.First(m => m.Sha == step.After);
        var stepped = step.Change.Where(c => Math.Abs(c.Value) > options.Threshold).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        WallConfirmation confirmation;
        if (step.IsRange)
        {
            confirmation = WallConfirmation.NotRun("the culprit is one of several commits (skipped commits beside it): nothing single to confirm");
        }
        else if (!options.Confirm || confirmer is null)
        {
            confirmation = WallConfirmation.NotRun(options.Metric == BisectMetric.Wall ? "found in wall time already" : "--bisect-confirm false");
        }
        else
        {
            log($"Confirming {Short(step.After)} against {Short(step.Before)} in wall time (interleaved pairs)");
            confirmation = await confirmer.ConfirmAsync(step, stepped, cancellation).ConfigureAwait(false);
        }
        return new CulpritReport(culprit, commits[step.Before], step, [.. step.Skipped.Select(s => commits[s]), culprit],
            before.Environment != after.Environment, confirmation);
    }

    private Task<CommitMeasurement> MeasureAsync(string commit, CancellationToken cancellation)
    {
        lock (_lock)
        {
            if (_measured.TryGetValue(commit, out var known))
            {
                return known;
            }
            var budget = _started >= options.MaxCommits ? $"--max-commits {options.MaxCommits} reached"
                : options.Budget is { } limit && _clock.Elapsed > limit ? $"--bisect-time-budget {limit.TotalMinutes:0.#} min spent" : null;
            var order = ++_started;
            var task = budget is null
                ? MeasureLoggedAsync(commit, order, cancellation)
                : Task.FromResult(new CommitMeasurement(commit, CommitStatus.NotMeasured, new Dictionary<string, double>(), budget, order, 0, 0));
            if (budget is not null)
            {
                _started--;
                return task;
            }
            _measured[commit] = task;
            return task;
        }
    }

    private async Task<CommitMeasurement> MeasureLoggedAsync(string commit, int order, CancellationToken cancellation)
    {
        await Task.Yield();
        var result = await measurer.MeasureAsync(commit, order, cancellation).ConfigureAwait(false);
        log(result.Status == CommitStatus.Measured
            ? $"  #{order} {Short(commit)}: {string.Join(", ", result.Values.Select(v => $"{v.Key} {Format(v.Value)}"))} ({result.Seconds:0} s)"
            : $"  #{order} {Short(commit)}: skipped: {result.Reason}");
        return result;
    }

    private string Format(double value) => options.Metric == BisectMetric.Instructions
        ? Results.InstructionRun.Count((long)value)
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"×{value:0.000}");

    private static string Short(string sha) => ShortSha.Of(sha, ShortSha.InReport);
}
