using System.Globalization;

namespace Filare.Perf.Results;

/// <summary>How a heap run ended. Failed: the program exited non-zero or died of a signal under tracemalloc (what it wrote is kept).</summary>
public enum HeapStatus { Ok, Failed, Timeout, Skipped, Error }

/// <summary>
/// Traced blocks live at the snapshot, grouped by the first frame in the program's own code
/// (<see cref="Site"/>, relative to its checkout; null when no frame within the traced depth is
/// the program's) and the frame that allocated (<see cref="AllocatedAt"/>, relative to the
/// sys.path entry it came from: a library's or the standard library's line, or the same line).
/// </summary>
public sealed record HeapSite(string? Site, string AllocatedAt, long Bytes, long Blocks)
{
    /// <summary>The key both sides are matched on.</summary>
    public string Key => $"{Site ?? "-"} | {AllocatedAt}";
}

/// <summary>
/// One Python process traced by tracemalloc from its start (heap_program.py for the program,
/// sitecustomize.py for a Python child). Bytes are tracemalloc's: what Python allocated through its
/// allocators, not the process's RSS.
/// </summary>
/// <param name="PeakBytes">High-water mark of traced memory over the whole run (exact; snapshots excluded).</param>
/// <param name="ExitBytes">Traced memory still allocated when the program ended.</param>
/// <param name="ExitBlocks">Live traced blocks when the program ended.</param>
/// <param name="SnapshotBytes">Traced memory at the snapshot the sites come from: the one nearest the peak.</param>
/// <param name="SnapshotWhen">"during the run" (at the end of a garbage collection) or "at exit".</param>
/// <param name="OwnBytes">Bytes of that snapshot with a frame in the program's own code.</param>
/// <param name="SiteGroups">How many (site, allocated-at) groups the snapshot had; <see cref="Sites"/> keeps the largest.</param>
/// <param name="Snapshots">Snapshots taken (at most one per <c>step</c> of growth, and one at exit).</param>
public sealed record HeapProcess(
    int Pid,
    IReadOnlyList<string> Command,
    int? ExitCode,
    long PeakBytes,
    long ExitBytes,
    long ExitBlocks,
    int Frames,
    long SnapshotBytes,
    long SnapshotBlocks,
    string SnapshotWhen,
    long OwnBytes,
    int SiteGroups,
    IReadOnlyList<HeapSite> Sites,
    int Snapshots,
    double SnapshotSeconds,
    double TracedSeconds);

/// <summary>The peak RSS of one process of the heap run's tree, read from /proc (VmHWM) every few milliseconds.</summary>
public sealed record ProcessMemory(int Pid, int? ParentPid, ProcessKind Kind, string Command, long PeakRssBytes);

/// <summary>The largest peak RSS among one kind of process (python, dot, other) and how many there were.</summary>
public sealed record KindMemory(ProcessKind Kind, int Processes, long PeakRssBytes);

/// <summary>
/// One run of a scenario under tracemalloc (docs/performance/metrics.md, "heap"): the program's
/// heap, each traced Python child's, and the peak RSS of every process of the tree by kind.
/// Paths are relative to the run folder.
/// </summary>
/// <param name="Program">The scenario's own Python process; null when it wrote no record (crashed, killed).</param>
/// <param name="Children">Python children that wrote a record.</param>
/// <param name="Processes">Every process seen in the tree, with its peak RSS (Python's under tracemalloc, which adds its own tables).</param>
/// <param name="WallSeconds">How long the traced run took: its price, not a measurement of Filare.</param>
/// <param name="Slowdown">Wall time against the clean runs' median: what tracing cost.</param>
public sealed record HeapRun(
    HeapStatus Status,
    string? Message,
    HeapProcess? Program,
    IReadOnlyList<HeapProcess> Children,
    IReadOnlyList<ProcessMemory> Processes,
    int? ExitCode,
    double? WallSeconds,
    double? Slowdown,
    double TimeoutSeconds,
    string? Folder,
    IReadOnlyList<string> Notes)
{
    public static HeapRun Skipped(string reason) => new(HeapStatus.Skipped, reason, null, [], [], null, null, null, 0, null, []);

    /// <summary>Per kind of process, in the order python, dot, other; kinds with no process are left out.</summary>
    public IReadOnlyList<KindMemory> ByKind() => Processes
        .GroupBy(p => p.Kind)
        .OrderBy(g => g.Key)
        .Select(g => new KindMemory(g.Key, g.Count(), g.Max(p => p.PeakRssBytes)))
        .ToList();

    /// <summary>One line for the console: the heap peak, at exit, and the RSS split.</summary>
    public string Describe()
    {
        if (Program is not { } program)
        {
            return StatusText;
        }
        var kinds = string.Join(", ", ByKind().Select(k => $"{k.Kind.ToString().ToLowerInvariant()} {Bytes(k.PeakRssBytes)}"));
        var status = Status == HeapStatus.Ok ? "" : $"; {StatusText}";
        return string.Create(CultureInfo.InvariantCulture,
            $"heap peak {Bytes(program.PeakBytes)}, {Bytes(program.ExitBytes)} in {program.ExitBlocks:N0} " +
                $"blocks at exit; peak RSS {kinds}; {WallSeconds:0.#} s traced{status}");
    }

    /// <summary>Bytes in MB or kB (10^6, 10^3): heaps here are tens of MB.</summary>
    public static string Bytes(long bytes) => Math.Abs(bytes) >= 1_000_000
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.00} MB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0.0} kB");

    [System.Text.Json.Serialization.JsonIgnore]
    public string StatusText => Message is null ? Status.ToString().ToLowerInvariant() : $"{Status.ToString().ToLowerInvariant()}: {Message}";
}
