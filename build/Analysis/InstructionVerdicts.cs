using System.Globalization;
using Filare.Perf.Comparison;
using Filare.Perf.Results;

namespace Filare.Perf.Analysis;

public static class InstructionVerdicts
{
    public const string AgainstBase = "base";
    public const string AgainstBaseline = "baseline";

    /// <param name="calibratedFloor">The instruction noise floor of an earlier A/A run, if known.</param>
    /// <param name="isCalibration">This comparison is itself A/A: its largest relative difference is the floor.</param>
    public static InstructionComparison? Of(InstructionRun? before, InstructionRun? after, string against, double threshold, double? calibratedFloor,
        bool isCalibration, IReadOnlyList<string>? caveats = null)
    {
        if (before is null || after is null || (before.Status == InstructionStatus.Skipped && after.Status == InstructionStatus.Skipped))
        {
            return null;
        }
        var effective = Math.Max(threshold, isCalibration ? 0 : calibratedFloor ?? 0);
        var raised = !isCalibration && calibratedFloor > threshold;
        var problem = Problem(before, "base", against) ?? Problem(after, "head", against)
            ?? (before.ExitCode != after.ExitCode ? $"the program exited {before.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"} " +
                $"before and {after.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"} after: not the same work" : null);
        var total = Delta("total", before.Total, after.Total, effective, raised, problem);
        var kinds = before.ByKind().Select(k => k.Kind).Union(after.ByKind().Select(k => k.Kind)).Order();
        var processes = kinds.Select(kind => Delta(
            kind.ToString().ToLowerInvariant(),
            Sum(before, kind),
            Sum(after, kind),
            effective,
            raised,
            problem)).ToList();
        var floor = isCalibration ? Floor(total, processes) : null;
        return new InstructionComparison(against, total, processes, effective, floor ?? (raised ? calibratedFloor : null), caveats ?? []);
    }

    /// <summary>
    /// Differences between the machines of a stored baseline and this run that change instruction
    /// counts without any change in Filare: another Python, another Valgrind, another build of the
    /// interpreter, another CPU architecture (another instruction set).
    /// </summary>
    public static IReadOnlyList<string> Caveats(InstructionRun before, CountedOn beforeOn, InstructionRun after, CountedOn afterOn)
    {
        var caveats = new List<string>();
        void Differ(string what, string? was, string? now)
        {
            if (was is not null && now is not null && was != now)
            {
                caveats.Add($"different {what}: {was} (baseline) vs {now}");
            }
        }
        Differ("Python", beforeOn.PythonVersion, afterOn.PythonVersion);
        Differ("Valgrind", before.ValgrindVersion, after.ValgrindVersion);
        Differ("interpreter build", before.InterpreterBuild, after.InterpreterBuild);
        Differ("CPU architecture", beforeOn.Architecture, afterOn.Architecture);
        return caveats;
    }

    private static string? Problem(InstructionRun run, string side, string against) => run.Status switch
    {
        InstructionStatus.Ok when run.Total is null => $"the {Name(side, against)} has no total ({string.Join("; ", run.Notes)})",
        InstructionStatus.Ok => null,
        _ => $"the {Name(side, against)} was not counted ({run.StatusText})",
    };

    private static string Name(string side, string against) => against == AgainstBaseline ? (side == "base" ? "baseline" : "current run") : side;

    private static long? Sum(InstructionRun run, ProcessKind kind) =>
        run.Processes.Any(p => p.Kind == kind) && run.Processes.Where(p => p.Kind == kind).All(p => p.Instructions is not null)
            ? run.Processes.Where(p => p.Kind == kind).Sum(p => p.Instructions!.Value)
            : run.Processes.Any(p => p.Kind == kind) ? null : 0;

    private static InstructionDelta Delta(string scope, long? before, long? after, double threshold, bool raised, string? problem)
    {
        var ratio = before is > 0 && after is { } a ? (double)a / before.Value : double.NaN;
        var limit = string.Create(CultureInfo.InvariantCulture, $"{threshold * 100:0.##}%{(raised ? " (the A/A noise floor)" : "")}");
        if (problem is not null)
        {
            return new InstructionDelta(scope, before, after, ratio, Verdict.Inconclusive, problem);
        }
        if (before is null || after is null)
        {
            return new InstructionDelta(scope, before, after, ratio, Verdict.Inconclusive, $"a {scope} process has no count");
        }
        if (before == 0 || after == 0)
        {
            // A kind of process that only one side started: a change in what runs, not in how much.
            return new InstructionDelta(scope, before, after, ratio, before == after ? Verdict.Unchanged : Verdict.Inconclusive,
                before == after ? "none on either side" : before == 0 ? "only after" : "only before");
        }
        var change = string.Create(CultureInfo.InvariantCulture, $"{(ratio - 1) * 100:+0.###;-0.###;0}%");
        return ratio >= 1 + threshold ? new InstructionDelta(scope, before, after, ratio, Verdict.Slower, $"{change} ≥ +{limit}")
            : ratio <= 1 - threshold ? new InstructionDelta(scope, before, after, ratio, Verdict.Faster, $"{change} ≤ -{limit}")
            : new InstructionDelta(scope, before, after, ratio, Verdict.Unchanged, $"{change} within ±{limit}");
    }

    /// <summary>The largest relative difference an A/A run shows, over the whole tree and every kind of process.</summary>
    private static double? Floor(InstructionDelta total, IReadOnlyList<InstructionDelta> processes)
    {
        var distances = processes.Prepend(total).Where(d => d.Before is > 0 && d.After is > 0).Select(d => Math.Abs(d.Ratio - 1)).ToList();
        return distances.Count == 0 ? null : Math.Round(distances.Max(), 6);
    }
}
