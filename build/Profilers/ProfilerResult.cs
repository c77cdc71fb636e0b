using Filare.Perf.Results;

namespace Filare.Perf.Profilers;

/// <summary>Builds a <see cref="ProfilerRun"/> from a profiled run, collecting artifacts and notes on the way.</summary>
public sealed class ProfilerResult(string tool, ProfilingContext context, RunSample sample)
{
    private readonly List<Artifact> _artifacts = [];
    private readonly List<string> _notes = [];

    public int? ProgramExitCode { get; init; }

    public void Note(string note) => _notes.Add(note);

    /// <summary>Adds the file when it exists; returns whether it did.</summary>
    public bool Keep(string kind, string file)
    {
        if (!File.Exists(file))
        {
            return false;
        }
        _artifacts.Add(Artifact.Of(kind, file, context.RunFolder));
        return true;
    }

    public ProfilerRun With(ProfilerStatus status, string? reason, CallStats? calls = null, MemoryStats? memory = null, ImportStats? imports = null) => new(
        tool,
        status,
        reason,
        context.Tool.Version,
        sample.WallSeconds,
        context.Overhead(sample),
        ProgramExitCode ?? sample.ExitCode,
        _artifacts.ToList(),
        _notes.ToList(),
        calls,
        memory,
        Imports: imports);

    /// <summary>Ok, unless the program itself failed: then the profile is kept but the pass is failed.</summary>
    public ProfilerRun Finished(CallStats? calls = null, MemoryStats? memory = null, ImportStats? imports = null) =>
        ProgramExitCode is { } code and not 0
            ? With(ProfilerStatus.Failed, $"program exited with code {code}", calls, memory, imports)
            : With(ProfilerStatus.Ok, null, calls, memory, imports);

    /// <summary>The run itself went wrong (timeout, could not start): nothing to trust.</summary>
    public ProfilerRun? Broken() => sample.Status switch
    {
        RunStatus.Timeout => With(ProfilerStatus.Failed, sample.Message),
        RunStatus.Error => With(ProfilerStatus.Failed, sample.Message),
        _ => null,
    };
}
