using System.Text.Json;
using Filare.Perf.Checkout;
using Filare.Perf.Measurement;
using Filare.Perf.Processes;
using Filare.Perf.Results;
using Filare.Perf.Settings;

namespace Filare.Perf.Profilers;

/// <summary>
/// The standard library's deterministic profiler, so it runs wherever Python does. Writes
/// .pstats (for snakeviz and the hotspot diff), a text top list, call counts into the metrics,
/// and, with FIL_PERF_CPROFILE_FORMAT=callgrind, .callgrind for KCachegrind through pyprof2calltree.
/// </summary>
public sealed class CProfile(CProfileSettings settings) : IProfiler
{
    public const string Name = "cprofile";
    public const int TopFunctions = 30;
    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string Tool => Name;

    public async Task<ProfilerRun> ProfileAsync(ProfilingContext context, CancellationToken cancellation)
    {
        var outputDirectory = Path.Combine(context.ScenarioFolder, Tool, "output");
        var argv = context.Scenario.Argv(outputDirectory);
        var program = PythonProgram.From(argv, context.Scenario.Interpreter, out var reason);
        if (program is null)
        {
            return ProfilerRun.Skipped(Tool, reason!);
        }

        var pstats = context.ArtifactPath(Tool, "pstats");
        var text = context.ArtifactPath(Tool, "txt");
        var summary = Path.Combine(context.ScenarioFolder, Tool, "summary.json");
        Directory.CreateDirectory(Path.GetDirectoryName(summary)!);
        var sortKey = settings.Sort.ToString().ToLowerInvariant();
        IReadOnlyList<string> command =
        [
            context.Scenario.Interpreter, PythonEnvironment.Helper("cprofile_run.py"),
            "--pstats", pstats, "--text", text, "--json", summary, "--sort", sortKey, "--top", TopFunctions.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--", .. program.Target,
        ];
        var sample = await context.Runner.RunAsync(context.Request(Tool, command, outputDirectory), cancellation).ConfigureAwait(false);

        var version = context.Python.Version;
        var overhead = context.CleanMedianSeconds is > 0 ? Math.Round(sample.WallSeconds / context.CleanMedianSeconds.Value, 3) : (double?)null;
        if (sample.Status is RunStatus.Timeout or RunStatus.Error || !File.Exists(pstats))
        {
            return new ProfilerRun(Tool, ProfilerStatus.Failed, sample.Message ?? "no profile was written", version, sample.WallSeconds, overhead, sample.ExitCode, [], [], null);
        }

        var artifacts = new List<Artifact> { Artifact.Of("pstats", pstats, context.RunFolder), Artifact.Of("text", text, context.RunFolder) };
        var notes = new List<string>();
        var callgrind = await WriteCallgrindAsync(context, pstats, notes, cancellation).ConfigureAwait(false);
        if (callgrind is not null)
        {
            artifacts.Add(Artifact.Of("callgrind", callgrind, context.RunFolder));
        }
        var calls = File.Exists(summary) ? ReadCalls(summary) : null;
        // cprofile_run.py passes the program's own exit status through; a failing program is a failed profile.
        return sample.Status == RunStatus.Ok
            ? new ProfilerRun(Tool, ProfilerStatus.Ok, null, version, sample.WallSeconds, overhead, sample.ExitCode, artifacts, notes, calls)
            : new ProfilerRun(Tool, ProfilerStatus.Failed, $"program {sample.Message}", version, sample.WallSeconds, overhead, sample.ExitCode, artifacts, notes, calls);
    }

    /// <summary>Only on request (FIL_PERF_CPROFILE_FORMAT=callgrind): the conversion costs as much as a short run.</summary>
    private async Task<string?> WriteCallgrindAsync(ProfilingContext context, string pstats, List<string> notes, CancellationToken cancellation)
    {
        if (settings.Format != CProfileFormat.Callgrind)
        {
            return null;
        }
        var converter = context.Python.ConsoleScript("pyprof2calltree", context.Environment);
        if (converter is null)
        {
            notes.Add("callgrind output needs pyprof2calltree (apt install pyprof2calltree, or pip install pyprof2calltree)");
            return null;
        }
        var callgrind = context.ArtifactPath(Tool, "callgrind");
        var result = await ToolProcess.RunAsync(converter, ["-i", pstats, "-o", callgrind], context.ScenarioFolder, TimeSpan.FromMinutes(2), cancellation).ConfigureAwait(false);
        if (!result.Succeeded || !File.Exists(callgrind))
        {
            notes.Add($"pyprof2calltree failed (exit {result.ExitCode}): {TreeRunner.Tail(result.StandardError)}");
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
