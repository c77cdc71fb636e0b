using System.Security.Cryptography;
using Filare.Perf.Storage;

namespace Filare.Perf.Results;

public enum ProfilerStatus { Ok, Skipped, Empty, Failed }

/// <summary>A file a profiler produced, with what a reviewer needs to trust it came from this run.</summary>
public sealed record Artifact(string Kind, string Path, long Bytes, string Sha256)
{
    public static Artifact Of(string kind, string file, string runFolder)
    {
        using var stream = File.OpenRead(file);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        return new Artifact(kind, System.IO.Path.GetRelativePath(runFolder, file), new FileInfo(file).Length, hash);
    }
}

/// <summary>cProfile's counts: deterministic for a given input, so they compare exactly across runs.</summary>
public sealed record CallStats(long TotalCalls, long PrimitiveCalls, double TotalSeconds, IReadOnlyList<FunctionStats> Top);

public sealed record FunctionStats(string Function, string File, int Line, long Calls, long PrimitiveCalls, double TotalSeconds, double CumulativeSeconds);

/// <summary>Memray's view of the heap: the Python-level peak, not the process RSS that Measure reports.</summary>
public sealed record MemoryStats(long PeakBytes, long TotalAllocations, long? TotalFrames);

/// <summary>
/// What -X importtime measured (the median over <see cref="Runs"/> runs): all import time, and its
/// share of the same runs' wall time. <see cref="Top"/> are the modules with the largest cumulative time.
/// </summary>
public sealed record ImportStats(double TotalSeconds, double WallSeconds, double ShareOfWall, int Runs, int Modules, int MalformedLines,
    IReadOnlyList<ImportedModule> Top);

/// <summary>A module of the top list with its importer chain (top-level first).</summary>
public sealed record ImportedModule(string Module, double SelfSeconds, double CumulativeSeconds, IReadOnlyList<string> Chain);

/// <summary>
/// One profiler's pass over one scenario: its status, in its own words when it failed.
/// <see cref="PythonHashSeed"/>: the PYTHONHASHSEED the profiled run had (null for a pass that never ran it).
/// </summary>
public sealed record ProfilerRun(
    string Tool,
    ProfilerStatus Status,
    string? Reason,
    string? Version,
    double? WallSeconds,
    double? OverheadRatio,
    int? ExitCode,
    IReadOnlyList<Artifact> Artifacts,
    IReadOnlyList<string> Notes,
    CallStats? Calls = null,
    MemoryStats? Memory = null,
    string? PythonHashSeed = null,
    ImportStats? Imports = null)
{
    public static ProfilerRun Skipped(string tool, string reason, string? version = null, IReadOnlyList<string>? notes = null) =>
        new(tool, ProfilerStatus.Skipped, reason, version, null, null, null, [], notes ?? []);

    /// <summary>The file of the first artifact of that kind, when it exists inside the run folder.</summary>
    public string? ArtifactFile(string kind, string runFolder)
    {
        var artifact = Artifacts.FirstOrDefault(a => a.Kind == kind);
        if (artifact is null)
        {
            return null;
        }
        var path = System.IO.Path.GetFullPath(artifact.Path, runFolder);
        return Paths.IsInside(path, runFolder) && File.Exists(path) ? path : null;
    }

    public string StatusText => Reason is null ? Status.ToString().ToLowerInvariant() : $"{Status.ToString().ToLowerInvariant()}: {Reason}";
}
