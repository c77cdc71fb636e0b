using Filare.Perf.Engine;
using Filare.Perf.Heap;

namespace Filare.Perf;

/// <summary>The Python heap under tracemalloc: a memory signal as steady as instruction counts, and the lines that allocated it.</summary>
public sealed partial class Build
{
    [Parameter("Trace each scenario's Python heap in one run per side under tracemalloc (children traced; peak RSS per " +
        "process) after the clean runs (default: on in CI when there is a --compare-ref; off locally).", Group = "Heap")]
    public bool? EnableHeap { get; init; }

    [Parameter("Smallest relative change of the heap peak (0.01 = 1%) that earns a more/less verdict; an A/A run's heap noise floor raises it.", Minimum = 0,
        Maximum = 1, Group = "Heap")]
    public double HeapThreshold { get; init; } = new Comparison.ComparisonSettings().HeapThreshold;

    [Parameter("Frames tracemalloc keeps per allocation: enough to reach Filare's own line below a library's (more costs time).", Minimum = 1, Maximum = 100,
        Group = "Heap")]
    public int HeapFrames { get; init; } = HeapSettings.DefaultFrames;

    private bool TracesHeap => EnableHeap ?? (IsServerBuild && CompareRef is not null);

    Target TraceHeap => _ => _
        .Description("One run per scenario and side under tracemalloc: heap peak, heap " +
            "at exit, live blocks, allocation sites at the peak, peak RSS per process kind")
        .DependsOn(PerfPrepare)
        .After(Measure, CountInstructions)
        .OnlyWhen(() => TracesHeap, "heap runs are off (--enable-heap, FIL_PERF_ENABLE_HEAP; on in CI with a --compare-ref)")
        .Executes(cancellation => Session.TraceHeapAsync(new HeapSettings(HeapFrames), cancellation));
}
