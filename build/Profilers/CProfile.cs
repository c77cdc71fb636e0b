using System.Globalization;
using System.Text.Json;
using Filare.Perf.Checkout;
using Filare.Perf.Processes;
using Filare.Perf.Results;

namespace Filare.Perf.Profilers;

/// <summary>
/// The standard library's deterministic profiler, so it runs wherever Python does. Writes
/// .pstats (for snakeviz and the hotspot diff), a text top list, call counts into the metrics,
/// and, with FIL_PERF_CPROFILE_FORMAT=callgrind, .callgrind for KCachegrind through pyprof2calltree.
/// </summary>
public sealed class CProfile(CProfileSettings settings) : IProfiler
{
    public const string Name = ProfilerNames.CProfile;
    public const int TopFunctions = 30;
    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string Tool => Name;

    public string? Package => null;

    public Task<ToolProbe> ProbeAsync(PythonEnvironment python, IReadOnlyDictionary<string, string> environment, CancellationToken cancellation) =>
        Task.FromResult(new ToolProbe(true, python.Version, python.Executable, ""));

    public async Task<ProfilerRun> ProfileAsync(ProfilingContext context, CancellationToken cancellation)
    {
        if (context.Program(Tool, out var reason) is not { } program)
        {
            return ProfilerRun.Skipped(Tool, reason!);
        }
        var pstats = context.ArtifactPath(Tool, "pstats");
        var text = context.ArtifactPath(Tool, "txt");
        var summary = Path.Combine(context.WorkFolder(Tool), "summary.json");
        var status = Path.Combine(context.WorkFolder(Tool), "status.txt");
        Directory.CreateDirectory(context.WorkFolder(Tool));
        IReadOnlyList<string> command =
        [
            context.Scenario.Interpreter, PythonEnvironment.Helper("run_program.py"), "--status", status,
            "--pstats", pstats, "--text", text, "--json", summary,
            "--sort", settings.Sort.ToString().ToLowerInvariant(), "--top", TopFunctions.ToString(CultureInfo.InvariantCulture),
            "--", .. program.Target,
        ];
        var sample = await context.RunAsync(Tool, command, cancellation).ConfigureAwait(false);
        var result = new ProfilerResult(Tool, context, sample) { ProgramExitCode = ProfilingContext.ProgramExitCode(status) };
        if (result.Broken() is { } broken)
        {
            return broken;
        }
        if (!result.Keep(ArtifactKinds.Pstats, pstats))
        {
            return result.With(ProfilerStatus.Failed, $"no profile was written: {OutputTail.Of(context.Stderr(sample))}");
        }
        result.Keep("text", text);
        if (await WriteCallgrindAsync(context, pstats, result, cancellation).ConfigureAwait(false) is { } callgrind)
        {
            result.Keep("callgrind", callgrind);
        }
        return result.Finished(calls: File.Exists(summary) ? ReadCalls(summary) : null);
    }

    /// <summary>Only on request (FIL_PERF_CPROFILE_FORMAT=callgrind): the conversion costs as much as a short run.</summary>
    private async Task<string?> WriteCallgrindAsync(ProfilingContext context, string pstats, ProfilerResult result, CancellationToken cancellation)
    {
        if (settings.Format != CProfileFormat.Callgrind)
        {
            return null;
        }
        var converter = context.Python.ConsoleScript("pyprof2calltree", context.Environment);
        if (converter is null)
        {
            result.Note("callgrind output needs pyprof2calltree (apt install pyprof2calltree, or pip install pyprof2calltree)");
            return null;
        }
        var callgrind = context.ArtifactPath(Tool, "callgrind");
        var conversion = await ToolProcess.RunAsync(converter, ["-i", pstats, "-o", callgrind], context.ScenarioFolder, TimeSpan.FromMinutes(2), cancellation)
            .ConfigureAwait(false);
        if (!conversion.Succeeded || !File.Exists(callgrind))
        {
            result.Note($"pyprof2calltree failed (exit {conversion.ExitCode}): {OutputTail.Of(conversion.StandardError)}");
            return null;
        }
        return callgrind;
    }

    private static CallStats? ReadCalls(string path)
    {
        var raw = JsonSerializer.Deserialize<RawSummary>(File.ReadAllText(path), s_json);
        return raw is null ? null : new CallStats(raw.TotalCalls, raw.PrimitiveCalls, raw.TotalSeconds, raw.Top.Take(TopFunctions).ToList());
    }

    private sealed record RawSummary(long TotalCalls, long PrimitiveCalls, double TotalSeconds, IReadOnlyList<FunctionStats> Top);
}
