using Filare.Perf.Comparison;
using Filare.Perf.Results;

namespace Filare.Perf.Bisect;

/// <summary>Whether wall time shows the step that instructions found.</summary>
public enum ConfirmationStatus { Confirmed, NotConfirmed, Failed, NotRun }

/// <summary>
/// The culprit against its parent as a same-runner interleaved A/B of wall time (PerfRun with
/// --compare-ref, adaptive pairs), per scenario: the ratio with its 95% interval and the verdict.
/// </summary>
/// <param name="Folder">The A/B's run folder (metrics.json, summary.md), relative to the bisection's.</param>
public sealed record WallConfirmation(ConfirmationStatus Status, string? Message, IReadOnlyList<ScenarioConfirmation> Scenarios, string? Folder)
{
    public static WallConfirmation NotRun(string why) => new(ConfirmationStatus.NotRun, why, [], null);

    /// <summary>Confirmed when every scenario that stepped in instructions moved the same way in wall time, significantly.</summary>
    public static WallConfirmation Of(RunMetrics metrics, IReadOnlyDictionary<string, double> instructionChange, string folder)
    {
        var scenarios = metrics.Scenarios.Select(s => s.Paired is { } paired
            ? new ScenarioConfirmation(s.Name, paired.Pairs, paired.WallSeconds.Ratio, paired.WallSeconds.RatioLow, paired.WallSeconds.RatioHigh,
                paired.WallSeconds.Verdict, paired.WallSeconds.Why)
            : new ScenarioConfirmation(s.Name, 0, double.NaN, double.NaN, double.NaN, Verdict.Inconclusive,
                s.Message ?? metrics.Compare?.Problem ?? "no pairs")).ToList();
        if (scenarios.Count == 0 || scenarios.All(s => s.Pairs == 0))
        {
            return new WallConfirmation(ConfirmationStatus.Failed, metrics.Compare?.Problem ?? "the A/B measured no pairs", scenarios, folder);
        }
        var confirmed = instructionChange.All(change => scenarios.FirstOrDefault(s => s.Name == change.Key) is { } wall
            && wall.Verdict == (change.Value > 0 ? Verdict.Slower : Verdict.Faster));
        return new WallConfirmation(confirmed ? ConfirmationStatus.Confirmed : ConfirmationStatus.NotConfirmed, null, scenarios, folder);
    }
}

/// <summary>One scenario of the confirmation A/B: wall-time ratio culprit/parent, its interval, the verdict and why.</summary>
public sealed record ScenarioConfirmation(string Name, int Pairs, double Ratio, double Low, double High, Verdict Verdict, string Why);

/// <summary>Runs the confirmation A/B of a culprit against its parent.</summary>
public interface IWallConfirmer
{
    /// <param name="stepped">The scenarios whose instructions stepped, and by how much: wall time must move the same way in each.</param>
    Task<WallConfirmation> ConfirmAsync(BisectStep step, IReadOnlyDictionary<string, double> stepped, CancellationToken cancellation);
}
