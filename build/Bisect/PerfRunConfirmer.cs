using Filare.Perf.Checkout;
using Filare.Perf.Git;
using Filare.Perf.Results;

namespace Filare.Perf.Bisect;

/// <summary>
/// A nested PerfRun per confirmed step: the culprit's checkout (same fixed-width path as when it
/// was counted, same interpreter and variables) as the head, --compare-ref its parent, wall time
/// only, no profilers. The parent's worktree gets a path as long as the culprit's (CheckoutPaths).
/// </summary>
/// <param name="runBuild">Runs the build in-process with these arguments and extra variables; returns its exit code.</param>
public sealed class PerfRunConfirmer(
    BisectTarget target,
    CommitCounter checkouts,
    int maxRuns,
    double timeBudgetSeconds,
    Func<IReadOnlyList<string>, IReadOnlyDictionary<string, string>, CancellationToken, Task<int>> runBuild) : IWallConfirmer
{
    public async Task<WallConfirmation> ConfirmAsync(BisectStep step, IReadOnlyDictionary<string, double> stepped, CancellationToken cancellation)
    {
        var label = "confirm-" + ShortSha.Of(step.After, ShortSha.InPath);
        var output = Path.Combine(target.RunFolder, "confirm");
        var worktree = await checkouts.AddAsync(step.After, cancellation).ConfigureAwait(false);
        try
        {
            var (python, _) = await checkouts.PrepareAsync(worktree, cancellation).ConfigureAwait(false);
            List<string> arguments =
            [
                "PerfRun", "--filare-root", worktree.FilareRoot, "--python", python.Python.Configured,
                "--compare-ref", step.Before, "--compare-env", target.Mode.ToString().ToLowerInvariant(),
                "--enable-instructions", "false", "--enable-pyspy", "false", "--enable-scalene", "false", "--enable-memray", "false",
                "--enable-cprofile", "false", "--enable-importtime", "false",
                "--max-runs", maxRuns.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--time-budget", timeBudgetSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--output-dir", output, "--run-label", label,
            ];
            foreach (var scenario in target.Scenarios)
            {
                arguments.AddRange(["--scenario", scenario.Name]);
            }
            // The culprit's own variables (its source first on PYTHONPATH under a shared interpreter).
            var exit = await runBuild(arguments, python.Environment, cancellation).ConfigureAwait(false);
            var metrics = Path.Combine(output, label, RunMetrics.FileName);
            if (!File.Exists(metrics))
            {
                return new WallConfirmation(ConfirmationStatus.Failed, $"the A/B wrote no metrics.json (exit {exit})", [], null);
            }
            var result = WallConfirmation.Of(MetricsStore.Read(metrics), stepped, Path.GetRelativePath(target.RunFolder, Path.Combine(output, label)));
            return exit == 0 || result.Status != ConfirmationStatus.Failed ? result : result with { Message = result.Message ?? $"the A/B exited {exit}" };
        }
        catch (Exception e) when (e is FilareException or Scenarios.ScenarioException)
        {
            return new WallConfirmation(ConfirmationStatus.Failed, e.Message, [], null);
        }
        finally
        {
            await worktree.RemoveAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
