using System.Globalization;
using System.Text.Json;
using Filare.Perf.Checkout;
using Filare.Perf.Processes;
using Filare.Perf.Results;

namespace Filare.Perf.Profilers;

/// <summary>
/// Memray, Bloomberg's allocation tracker: runs inside the profiled interpreter (python -m memray),
/// writes a capture, then renders it (flamegraph HTML, no CDN assets with --no-web) and reads the
/// peak heap and allocation count out of it. Contract notes: tests/fakes/CONTRACTS.md.
/// </summary>
public sealed class Memray(MemraySettings settings) : IProfiler
{
    public const string Name = ProfilerNames.Memray;

    /// <summary>Self-contained HTML, no CDN: the report is opened from a CI artifact, maybe offline.</summary>
    public const string NoWeb = "--no-web";

    public string Tool => Name;

    public string? Package => "memray";

    public async Task<ToolProbe> ProbeAsync(PythonEnvironment python, IReadOnlyDictionary<string, string> environment, CancellationToken cancellation)
    {
        const string hint = "pip install memray (or uv pip install memray) into the profiled environment, or ./build.sh PerfSetup --install-profilers";
        var probe = await ToolProcess.RunAsync(python.Executable, ["-m", "memray", "--version"], "/", TimeSpan.FromSeconds(60), cancellation, environment)
            .ConfigureAwait(false);
        return probe.Succeeded
            ? new ToolProbe(true, probe.StandardOutput.Trim().Split(' ').Last(), python.Executable, hint)
            : ToolProbe.Missing(hint);
    }

    public IReadOnlyList<string> RunCommand(string interpreter, string capture, IReadOnlyList<string> program)
    {
        var command = new List<string> { interpreter, "-m", "memray", "run", "-o", capture, "--force" };
        if (settings.Native)
        {
            command.Add("--native");
        }
        if (settings.Aggregate)
        {
            command.Add("--aggregate");
        }
        command.AddRange(program);
        return command;
    }

    public async Task<ProfilerRun> ProfileAsync(ProfilingContext context, CancellationToken cancellation)
    {
        if (context.Program(Tool, out var reason) is not { } program)
        {
            return ProfilerRun.Skipped(Tool, reason!);
        }
        Directory.CreateDirectory(context.WorkFolder(Tool));
        var status = Path.Combine(context.WorkFolder(Tool), "status.txt");
        var capture = context.ArtifactPath(Tool, "bin");
        var interpreter = context.Scenario.Interpreter;
        var sample = await context.RunAsync(Tool, RunCommand(interpreter, capture, context.InProcess(program, status)), cancellation).ConfigureAwait(false);
        var result = new ProfilerResult(Tool, context, sample) { ProgramExitCode = ProfilingContext.ProgramExitCode(status) };
        if (result.Broken() is { } broken)
        {
            return broken;
        }
        if (!File.Exists(capture))
        {
            return result.With(ProfilerStatus.Failed, $"memray wrote no capture (exit {sample.ExitCode}): {OutputTail.Of(context.Stderr(sample))}");
        }

        var report = settings.Format switch
        {
            MemrayFormat.Flamegraph => ("flamegraph", context.ArtifactPath(Tool, "flamegraph.html")),
            MemrayFormat.Html => ("table", context.ArtifactPath(Tool, "table.html")),
            _ => ((string, string)?)null,
        };
        if (report is var (reporter, html))
        {
            var render = await MemrayAsync(context, [reporter, "--force", "-o", html, .. reporter == "flamegraph" ? new[] { NoWeb } : [], capture],
                cancellation).ConfigureAwait(false);
            if (!render.Succeeded && render.StandardError.Contains(NoWeb, StringComparison.Ordinal))
            {
                // Not every memray has --no-web; its report then loads scripts from a CDN when opened.
                result.Note("this memray has no --no-web: the flamegraph loads its scripts from a CDN when opened");
                render = await MemrayAsync(context, [reporter, "--force", "-o", html, capture], cancellation).ConfigureAwait(false);
            }
            if (!render.Succeeded || !result.Keep(reporter, html))
            {
                result.Note($"memray {reporter} failed (exit {render.ExitCode}): {OutputTail.Of(render.StandardError)}");
            }
        }

        var memory = await ReadStatsAsync(context, capture, result, cancellation).ConfigureAwait(false);

        var megabytes = new FileInfo(capture).Length / (1024.0 * 1024.0);
        if (megabytes > settings.MaxMegabytes)
        {
            File.Delete(capture);
            result.Note(string.Create(CultureInfo.InvariantCulture,
                $"the capture ({megabytes:0.0} MiB) exceeded FIL_PERF_MEMRAY_MAX_MB={settings.MaxMegabytes}: kept the report and stats, dropped the .bin"));
        }
        else
        {
            result.Keep("capture", capture);
        }
        return result.Finished(memory: memory);
    }

    /// <summary>
    /// `memray stats --json` refuses aggregated captures, so those are read through memray's own
    /// FileReader; both give the same metadata (peak memory, allocation count).
    /// </summary>
    private async Task<MemoryStats?> ReadStatsAsync(ProfilingContext context, string capture, ProfilerResult result, CancellationToken cancellation)
    {
        var statsFile = context.ArtifactPath(Tool, "stats.json");
        if (!settings.Aggregate)
        {
            var stats = await MemrayAsync(context, ["stats", "--json", "--force", "-o", statsFile, capture], cancellation).ConfigureAwait(false);
            if (stats.Succeeded && File.Exists(statsFile))
            {
                result.Keep("stats", statsFile);
                using var document = JsonDocument.Parse(await File.ReadAllTextAsync(statsFile, cancellation).ConfigureAwait(false));
                var metadata = document.RootElement.GetProperty("metadata");
                return new MemoryStats(
                    metadata.GetProperty("peak_memory").GetInt64(),
                    metadata.GetProperty("total_allocations").GetInt64(),
                    metadata.TryGetProperty("total_frames", out var frames) ? frames.GetInt64() : null);
            }
            result.Note($"memray stats failed (exit {stats.ExitCode}): {OutputTail.Of(stats.StandardError)}");
            return null;
        }
        const string reader = """
            import json, sys
            from memray import FileReader
            m = FileReader(sys.argv[1]).metadata
            print(json.dumps({"peak_memory": m.peak_memory, "total_allocations": m.total_allocations, "total_frames": getattr(m, "total_frames", None)}))
            """;
        var read = await ToolProcess.RunAsync(context.Scenario.Interpreter, ["-c", reader, capture], context.ScenarioFolder, TimeSpan.FromMinutes(5),
            cancellation, context.Environment).ConfigureAwait(false);
        if (!read.Succeeded)
        {
            result.Note($"reading the capture's metadata failed: {OutputTail.Of(read.StandardError)}");
            return null;
        }
        using var json = JsonDocument.Parse(read.StandardOutput.Trim().Split('\n').Last());
        var root = json.RootElement;
        return new MemoryStats(
            root.GetProperty("peak_memory").GetInt64(),
            root.GetProperty("total_allocations").GetInt64(),
            root.GetProperty("total_frames").ValueKind == JsonValueKind.Number ? root.GetProperty("total_frames").GetInt64() : null);
    }

    private static Task<ToolResult> MemrayAsync(ProfilingContext context, IReadOnlyList<string> arguments, CancellationToken cancellation) =>
        ToolProcess.RunAsync(context.Scenario.Interpreter, ["-m", "memray", .. arguments], context.ScenarioFolder, TimeSpan.FromMinutes(10), cancellation,
            context.Environment);
}
