using Filare.Perf.Engine;
using Filare.Perf.Settings;
using Spectre.Console;

namespace Filare.Perf;

/// <summary>Filare's documented FIL_PERF_* settings, each a parameter; see docs/performance/settings.md.</summary>
public sealed partial class Build
{
    [Parameter("Run py-spy (sampling, flamegraph SVG).", Group = "Profilers")]
    public bool EnablePyspy { get; init; } = true;

    [Parameter("Run Scalene (CPU and memory by line).", Group = "Profilers")]
    public bool EnableScalene { get; init; } = true;

    [Parameter("Run Memray (allocations, peak memory).", Group = "Profilers")]
    public bool EnableMemray { get; init; }

    [Parameter("Run cProfile (deterministic call counts, pstats).", Group = "Profilers")]
    public bool EnableCprofile { get; init; }

    [Parameter("Folder for results; each run gets <output-dir>/<run-label>/.", Group = "Output")]
    public string OutputDir { get; init; } = "outputs/perf";

    [Parameter("Name of this run (default: Filare's branch-shortcommit, or 'local' outside git).", Group = "Output")]
    public string? RunLabel { get; init; }

    [Parameter("Container image the CI profiling job runs in.", Group = "Output")]
    public string? ContainerImage { get; init; }

    [Parameter("Clean runs per scenario, overriding each scenario's own 'runs'.", Minimum = 1, Group = "Output")]
    public int? Runs { get; init; }

    [Parameter("Warmup runs per scenario, overriding each scenario's own 'warmups'.", Minimum = 0, Group = "Output")]
    public int? Warmups { get; init; }

    [Parameter("py-spy samples per second.", Minimum = 1, Maximum = 10000, Group = "py-spy")]
    public int SpyRate { get; init; } = 100;

    [Parameter("py-spy output format.", Group = "py-spy")]
    public SpyOutput SpyOutput { get; init; } = SpyOutput.Svg;

    [Parameter("py-spy: include native (C) frames.", Group = "py-spy")]
    public bool SpyNative { get; init; }

    [Parameter("py-spy: include idle threads.", Group = "py-spy")]
    public bool SpyIdle { get; init; }

    [Parameter("py-spy: also profile child Python processes.", Group = "py-spy")]
    public bool SpySubprocesses { get; init; }

    [Parameter("Scalene CPU sampling interval in seconds.", Minimum = 0.0001, Maximum = 1, Group = "Scalene")]
    public double ScaleneCpuRate { get; init; } = 0.01;

    [Parameter("Scalene: profile memory as well as CPU.", Group = "Scalene")]
    public bool ScaleneMemory { get; init; } = true;

    [Parameter("Scalene: also write an HTML report.", Group = "Scalene")]
    public bool ScaleneHtml { get; init; } = true;

    [Parameter("Memray: track native (C) stacks.", Group = "Memray")]
    public bool MemrayNative { get; init; }

    [Parameter("Memray report to keep.", Group = "Memray")]
    public MemrayFormat MemrayFormat { get; init; } = MemrayFormat.Flamegraph;

    [Parameter("Memray: aggregated capture (smaller, no temporal data).", Group = "Memray")]
    public bool MemrayAggregate { get; init; }

    [Parameter("cProfile: sort key of the text report.", Group = "cProfile")]
    public CProfileSort CprofileSort { get; init; } = CProfileSort.Tottime;

    [Parameter("cProfile: also convert to callgrind (needs pyprof2calltree).", Group = "cProfile")]
    public CProfileFormat CprofileFormat { get; init; } = CProfileFormat.Pstats;

    public PerformanceSettings Settings => new(
        OutputDir,
        RunLabel ?? "",
        ContainerImage,
        Runs,
        Warmups,
        new PySpySettings(EnablePyspy, SpyRate, SpyOutput, SpyNative, SpyIdle, SpySubprocesses),
        new ScaleneSettings(EnableScalene, ScaleneCpuRate, ScaleneMemory, ScaleneHtml),
        new MemraySettings(EnableMemray, MemrayNative, MemrayFormat, MemrayAggregate),
        new CProfileSettings(EnableCprofile, CprofileSort, CprofileFormat));

    Target PerfSettings => _ => _
        .Description("Print the effective settings and where each value came from")
        .Executes(() => SettingsTable.Write(Console, Parameters));
}
