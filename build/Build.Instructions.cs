using Filare.Perf.Comparison;
using Filare.Perf.Engine;

namespace Filare.Perf;

/// <summary>Instruction counts under Valgrind: deterministic where wall time on a shared runner is not.</summary>
public sealed partial class Build
{
    [Parameter("Count each scenario's instructions in one run per side under Valgrind (cachegrind, children traced) before the clean runs "
        + "(default: on in CI when there is a --compare-ref, i.e. same-runner A/B and nightly A/A; off locally).", Group = "Instructions")]
    public bool? EnableInstructions { get; init; }

    [Parameter("Smallest relative change in instructions (0.01 = 1%) that earns a slower/faster verdict; an A/A run's instruction noise floor raises it.",
        Minimum = 0, Maximum = 1, Group = "Instructions")]
    public double InstructionsThreshold { get; init; } = new ComparisonSettings().InstructionThreshold;

    private bool CountsInstructions => EnableInstructions ?? (IsServerBuild && CompareRef is not null);

    Target CountInstructions => _ => _
        .Description("One run per scenario and side under Valgrind: instructions over the whole process tree and per process (python, dot, other)")
        .DependsOn(PerfPrepare)
        // Before Measure, never beside it: its runs go in parallel (--parallel-jobs), the pairs need the machine alone, and
        // a decisive change in the counts may end a scenario's pairs early (StopReason.WorkDecided).
        .After(PrepareBase)
        .OnlyWhen(() => CountsInstructions, "instruction counts are off (--enable-instructions, FIL_PERF_ENABLE_INSTRUCTIONS; on in CI with a --compare-ref)")
        .Executes(cancellation => Session.CountInstructionsAsync(cancellation));
}
