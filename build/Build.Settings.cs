using Filare.Perf.Engine;
using Filare.Perf.Profilers;
using Filare.Perf.Results;
using Filare.Perf.Settings;
using Spectre.Console;

namespace Filare.Perf;

/// <summary>Filare's documented FIL_PERF_* settings, each a parameter; see docs/performance/settings.md.</summary>
public sealed partial class Build
{
    // Filare's docs/features/performance-tools/*-support.md name these settings FIL_PERF_<TOOL>_ENABLED.
    [Parameter("Run py-spy (sampling, flamegraph SVG).", Group = "Profilers", Aliases = ["FIL_PERF_SPY_ENABLED"])]
    [IgnoredVariable("FIL_PERF_SPY_PID", "the harness starts every profiled run itself and samples it from its " +
        "first instruction; attaching py-spy to a process that is already running (--pid) is not a harness run.")]
    public bool EnablePyspy { get; init; } = true;

    [Parameter("Run Scalene (CPU and memory by line).", Group = "Profilers", Aliases = ["FIL_PERF_SCALENE_ENABLED"])]
    [IgnoredVariable("FIL_PERF_SCALENE_OUTPUT", "a harness run names each tool's reports <run_label>-<scenario>-scalene.<ext> in the run folder " +
        "(FIL_PERF_OUTPUT_DIR, FIL_PERF_RUN_LABEL) so that the report and CI's artifacts find them; FIL_PERF_SCALENE_HTML chooses the HTML report.")]
    public bool EnableScalene { get; init; } = true;

    [Parameter("Run Memray (allocations, peak memory).", Group = "Profilers", Aliases = ["FIL_PERF_MEMRAY_ENABLED"])]
    [IgnoredVariable("FIL_PERF_MEMRAY_OUTPUT", "a harness run names each tool's reports <run_label>-<scenario>-memray.<ext> in the run folder " +
        "(FIL_PERF_OUTPUT_DIR, FIL_PERF_RUN_LABEL) so that the report and CI's artifacts find them; FIL_PERF_MEMRAY_FORMAT chooses the report.")]
    [IgnoredVariable("FIL_PERF_MEMRAY_LIVE_PORT", "Memray's live mode serves a viewer on a port while the program " +
        "runs and keeps no capture; a harness run is unattended and keeps the capture and its reports instead.")]
    public bool EnableMemray { get; init; }

    [Parameter("Run cProfile (deterministic call counts, pstats).", Group = "Profilers", Aliases = ["FIL_PERF_CPROFILE_ENABLED"])]
    [IgnoredVariable("FIL_PERF_CPROFILE_OUTPUT", "a harness run names each tool's reports <run_label>-<scenario>-cprofile.<ext> in the run folder " +
        "(FIL_PERF_OUTPUT_DIR, FIL_PERF_RUN_LABEL) so that the report and CI's artifacts " +
        "find them; FIL_PERF_CPROFILE_FORMAT chooses callgrind as well as pstats.")]
    public bool EnableCprofile { get; init; }

    [Parameter("Run -X importtime (the import tree: which module costs what at start-up).", Group = "Profilers")]
    public bool EnableImporttime { get; init; } = true;

    [Parameter("Run exactly these profilers (pyspy scalene memray cprofile importtime), overriding the FIL_PERF_ENABLE_* switches.", Group = "Profilers")]
    public string[] Profilers { get; init; } = [];

    [Parameter("PerfSetup installs missing profilers into the profiled interpreter (default: on in CI, off locally).", Group = "Profilers")]
    public bool? InstallProfilers { get; init; }

    [Parameter("Folder for results; each run gets <output-dir>/<run-label>/.", Group = "Output")]
    public string OutputDir { get; init; } = "outputs/perf";

    [Parameter("Name of this run (default: Filare's branch-shortcommit, or 'local' outside git).", Group = "Output")]
    public string? RunLabel { get; init; }

    [Parameter("Filare output folders (run-N/output) kept per scenario when PerfRun ends: the head's first clean runs'; the " +
        "others are deleted before upload (stdout, stderr and profiler reports stay). 0 keeps none.", Minimum = 0, Group = "Output")]
    public int KeepOutputs { get; init; } = 1;

    [Parameter("Size budget of one uploaded artifact (perf-metrics, perf-<scenario>) in MiB, checked when PerfRun " +
        "ends; an artifact over it is named in the console and the report.", Minimum = 0.01, Group = "Output")]
    public double ArtifactBudgetMb { get; init; } = Harness.StorageOptions.DefaultBudgetMegabytes;

    [Parameter("Container image the CI profiling job runs in.", Group = "Output")]
    public string? ContainerImage { get; init; }

    [Parameter("Clean runs per scenario, overriding each scenario's own 'runs'.", Minimum = 1, Group = "Output")]
    public int? Runs { get; init; }

    [Parameter("Warmup runs per scenario, overriding each scenario's own 'warmups'.", Minimum = 0, Group = "Output")]
    public int? Warmups { get; init; }

    [Parameter("py-spy samples per second.", Minimum = 1, Maximum = 10000, Group = "py-spy")]
    public int SpyRate { get; init; } = 100;

    [Parameter("py-spy output format (as Filare's docs write it: FIL_PERF_SPY_OUTPUT=svg).", Group = "py-spy")]
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

    [Parameter("Scalene: profile only files whose path contains this text (comma-separated; empty: everything).", Group = "Scalene")]
    public string ScaleneProfileOnly { get; init; } = "filare";

    [Parameter("Memray: track native (C) stacks.", Group = "Memray")]
    public bool MemrayNative { get; init; }

    [Parameter("Memray report to keep.", Group = "Memray")]
    public MemrayFormat MemrayFormat { get; init; } = MemrayFormat.Flamegraph;

    [Parameter("Memray: aggregated capture (smaller, no temporal data).", Group = "Memray")]
    public bool MemrayAggregate { get; init; }

    [Parameter("Memray: largest capture (.bin) to keep, in MiB; above it only the report and stats are kept.", Minimum = 1, Group = "Memray")]
    public int MemrayMaxMb { get; init; } = 50;

    [Parameter("cProfile: sort key of the text report.", Group = "cProfile")]
    public CProfileSort CprofileSort { get; init; } = CProfileSort.Tottime;

    [Parameter("cProfile: also convert to callgrind (needs pyprof2calltree).", Group = "cProfile")]
    public CProfileFormat CprofileFormat { get; init; } = CProfileFormat.Pstats;

    [Parameter("importtime: runs per scenario and side; the figures are their median (import times are noisy at the millisecond level).", Minimum = 1,
        Maximum = 25, Group = "importtime")]
    public int ImporttimeRuns { get; init; } = 3;

    public PerformanceSettings Settings => new(
        OutputDir,
        RunLabel ?? "",
        ContainerImage,
        Runs,
        Warmups,
        new PySpySettings(Enabled(PySpy.Name, EnablePyspy), SpyRate, SpyOutput, SpyNative, SpyIdle, SpySubprocesses),
        new ScaleneSettings(Enabled(Scalene.Name, EnableScalene), ScaleneCpuRate, ScaleneMemory, ScaleneHtml, ScaleneProfileOnly),
        new MemraySettings(Enabled(Memray.Name, EnableMemray), MemrayNative, MemrayFormat, MemrayAggregate, MemrayMaxMb),
        new CProfileSettings(Enabled(CProfile.Name, EnableCprofile), CprofileSort, CprofileFormat),
        new ImportTimeSettings(Enabled(ImportTimeProfiler.Name, EnableImporttime), ImporttimeRuns));

    /// <summary>--profilers names the whole set; without it each FIL_PERF_ENABLE_* switch decides.</summary>
    private bool Enabled(string tool, bool switchedOn) =>
        Profilers.Length > 0 ? Profilers.Contains(tool, StringComparer.OrdinalIgnoreCase) : switchedOn;

    private IReadOnlyList<IProfiler> AllProfilers =>
    [
        new PySpy(Settings.PySpy),
        new Scalene(Settings.Scalene),
        new Memray(Settings.Memray),
        new CProfile(Settings.CProfile),
        new ImportTimeProfiler(Settings.ImportTime!),
    ];

    protected override void OnParametersResolved()
    {
        var known = AllProfilers.Select(p => p.Tool).ToList();
        var unknown = Profilers.Where(p => !known.Contains(p, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            throw new BuildConfigurationException(
                $"--profilers / FIL_PERF_PROFILERS: unknown profiler {string.Join(", ", unknown.Select(u => $"'{u}'"))}; allowed: {string.Join(", ", known)}.");
        }
        _ = ShardSpec;
    }

    Target PerfSettings => _ => _
        .Description("Print the effective settings and where each value came from")
        .Executes(() => SettingsTable.Write(Console, Parameters));
}
