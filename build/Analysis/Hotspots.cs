using System.Text.Json;
using Filare.Perf.Checkout;
using Filare.Perf.Processes;

namespace Filare.Perf.Analysis;

public sealed record HotspotChange(string File, string Function, double BaselineSeconds, double CurrentSeconds, double DeltaSeconds, long BaselineCalls, long CurrentCalls);

public sealed record HotspotDiff(string Scenario, IReadOnlyList<HotspotChange> Grew, IReadOnlyList<HotspotChange> Shrank);

/// <summary>Where the time moved between two cProfile captures, read by Python's own pstats (build/Python/hotspots.py).</summary>
public static class Hotspots
{
    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static async Task<(HotspotDiff? Diff, string? Problem)> CompareAsync(string scenario, string baselinePstats, string currentPstats, IReadOnlyDictionary<string, string> environment, CancellationToken cancellation)
    {
        var python = ToolProcess.Which("python3", environment) ?? ToolProcess.Which("python", environment);
        if (python is null)
        {
            return (null, "no python3 on PATH to read the pstats files");
        }
        // pstats files are marshal data and the current one comes from the PR's code: read them in an
        // isolated interpreter (-I) that gets no environment at all, so no token is within its reach.
        var result = await ToolProcess.RunAsync(python, ["-I", PythonEnvironment.Helper("hotspots.py"), baselinePstats, currentPstats, "10", "5"], Path.GetTempPath(), TimeSpan.FromMinutes(2), cancellation,
            new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }, onlyThisEnvironment: true).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return (null, $"reading the pstats files failed: {OutputTail.Of(result.StandardError)}");
        }
        try
        {
            var raw = JsonSerializer.Deserialize<RawDiff>(result.StandardOutput, s_json);
            return raw is null ? (null, "hotspots.py printed nothing") : (new HotspotDiff(scenario, raw.Grew, raw.Shrank), null);
        }
        catch (JsonException e)
        {
            return (null, $"hotspots.py printed something else than its JSON: {e.Message}");
        }
    }

    private sealed record RawDiff(IReadOnlyList<HotspotChange> Grew, IReadOnlyList<HotspotChange> Shrank);
}
