namespace Filare.Perf.Results;

/// <summary>A verdict on memory, in words a reviewer reads as memory: more, less, unchanged, inconclusive.</summary>
public enum MemoryVerdict { Unchanged, More, Less, Inconclusive }

/// <summary>The change in one memory figure from before to after (heap peak, heap at exit, a kind's peak RSS, Memray's peak).</summary>
public sealed record MemoryDelta(string Scope, long? Before, long? After, double Ratio, MemoryVerdict Verdict, string Why);

/// <summary>
/// One allocation site at the peak on both sides (file:line in the program's own code, the frame that
/// allocated beside it). A site missing from a side's kept list counts as 0 there;
/// <see cref="Listed"/> says whether that could hide a small size (the list was full).
/// </summary>
public sealed record SiteDelta(string? Site, string AllocatedAt, long Before, long After, bool Listed)
{
    public long Change => After - Before;
}

/// <summary>
/// The heap of the head against the base of a same-runner run ("base") or a stored baseline
/// ("baseline"). The verdict is the program's heap peak's (<see cref="Peak"/>); the rest explains it.
/// <see cref="Threshold"/> is the one the verdicts used: --heap-threshold, raised to an A/A floor.
/// </summary>
/// <param name="AtExit">Heap still allocated at exit: memory kept to the end rather than a transient peak.</param>
/// <param name="Children">The largest heap peak among the traced Python children, when a side has any.</param>
/// <param name="Rss">Peak RSS per kind of process (python, dot, other), from the heap runs' trees.</param>
/// <param name="Grew">Sites whose size at the peak grew most, largest first.</param>
/// <param name="Shrank">Sites whose size at the peak shrank most.</param>
/// <param name="Memray">Memray's peak heap and allocation count when it ran on both sides.</param>
/// <param name="NoiseFloor">Set on an A/A run: the largest relative difference of the heap peak.</param>
public sealed record HeapComparison(
    string Against,
    MemoryDelta Peak,
    MemoryDelta? AtExit,
    MemoryDelta? Children,
    IReadOnlyList<MemoryDelta> Rss,
    IReadOnlyList<SiteDelta> Grew,
    IReadOnlyList<SiteDelta> Shrank,
    IReadOnlyList<MemoryDelta> Memray,
    double Threshold,
    double? NoiseFloor,
    IReadOnlyList<string> Caveats);
