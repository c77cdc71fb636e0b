using Filare.Perf.Engine;
using Filare.Perf.Harness;
using Filare.Perf.Profilers;

namespace Filare.Perf;

/// <summary>The measured run: set up, prepare, measure clean runs, profile, report.</summary>
public sealed partial class Build
{
    private PerfSession? _session;

    private PerfSession Session => _session ?? throw new InvalidOperationException("PerfPrepare has not run.");

    protected override ValueTask OnBuildFinishedAsync() => _session?.DisposeAsync() ?? ValueTask.CompletedTask;

    [Parameter("Runs at once in the passes after Measure: counted runs (Valgrind), heap traces and profiled runs (importtime excepted) share "
        + "the runner's cores; never during Measure, whose wall-time pairs have the machine to themselves. 0: one per processor.",
        Minimum = 0, Maximum = 64, Group = "Profilers")]
    public int ParallelJobs { get; init; }

    private SessionOptions SessionOptions =>
        new(RootDirectory, Settings, FilareRoot, Python, Scenario, Tag, EnvironmentVariables, CompareRef, Comparison, MaxRuns,
        TimeBudget > 0 ? TimeSpan.FromSeconds(TimeBudget) : null, SetupGroups, ShardSelection, new(KeepOutputs, ArtifactBudgetMb),
        ParallelJobs > 0 ? ParallelJobs : Environment.ProcessorCount);

    private bool InstallsProfilers => InstallProfilers ?? IsServerBuild;

    private bool SetsUpFilare => SetupFilare ?? IsServerBuild;

    private IEnumerable<IProfiler> EnabledProfilers => AllProfilers.Where(p => p switch
    {
        PySpy => Settings.PySpy.Enabled,
        Scalene => Settings.Scalene.Enabled,
        Memray => Settings.Memray.Enabled,
        ImportTimeProfiler => Settings.ImportTime!.Enabled,
        _ => Settings.CProfile.Enabled,
    });

    Target PerfSetup => _ => _
        .Description("Give Filare a .venv when it has none (--setup-filare), then install " +
            "the enabled profilers that are missing into its interpreter (uv, else pip)")
        .OnlyWhen(() => InstallsProfilers || SetsUpFilare, "--install-profilers and --setup-filare are off (they default to on in CI)")
        // Without a profiler the run still measures, and reports it as not installed; the build still fails.
        .ProceedAfterFailure()
        .Executes(async cancellation =>
        {
            if (SetsUpFilare)
            {
                await ProfilerSetup.EnsureFilareVenvAsync(SessionOptions, Console, cancellation);
            }
            if (InstallsProfilers)
            {
                await ProfilerSetup.InstallAsync(SessionOptions, EnabledProfilers.ToList(), Console, cancellation);
            }
        });

    Target PerfPrepare => _ => _
        .Description("Find Filare and its interpreter, select scenarios, open the run folder")
        .DependsOn(PerfSetup)
        .Executes(async cancellation => _session = await PerfSession.StartAsync(SessionOptions, Console, cancellation));

    Target PrepareBase => _ => _
        .Description("Check out Filare at --compare-ref in a git worktree; give it the same Python (and profilers, as PerfSetup does)")
        .DependsOn(PerfPrepare)
        .OnlyWhen(() => CompareRef is not null, "no --compare-ref")
        // Without a base the head is still measured and reported; the build still fails.
        .ProceedAfterFailure()
        .Executes(cancellation => Session.OpenBaseAsync(CompareEnv, InstallsProfilers ? EnabledProfilers.ToList() : [], cancellation));

    Target Measure => _ => _
        .Description("Warmups, then clean runs per scenario (interleaved with the base's under --compare-ref): wall, CPU, peak RSS over the process tree")
        .DependsOn(PerfPrepare)
        .After(PrepareBase, CountInstructions)
        .Executes(cancellation => Session.MeasureAsync(cancellation));

    Target ProfilePySpy => _ => _
        .Description("One run per scenario under py-spy: sampled flamegraph (SVG, speedscope or raw)")
        .DependsOn(PerfPrepare)
        .After(Measure)
        .OnlyWhen(() => Settings.PySpy.Enabled, "py-spy is off (FIL_PERF_ENABLE_PYSPY, --profilers)")
        .Executes(cancellation => Session.ProfileAsync(new PySpy(Settings.PySpy), cancellation));

    Target ProfileScalene => _ => _
        .Description("One run per scenario under Scalene: line-level CPU and memory, JSON and HTML")
        .DependsOn(PerfPrepare)
        .After(Measure, ProfilePySpy)
        .OnlyWhen(() => Settings.Scalene.Enabled, "Scalene is off (FIL_PERF_ENABLE_SCALENE, --profilers)")
        .Executes(cancellation => Session.ProfileAsync(new Scalene(Settings.Scalene), cancellation));

    Target ProfileMemray => _ => _
        .Description("One run per scenario under Memray: allocation flamegraph, peak heap, allocation count")
        .DependsOn(PerfPrepare)
        .After(Measure, ProfileScalene)
        .OnlyWhen(() => Settings.Memray.Enabled, "Memray is off (FIL_PERF_ENABLE_MEMRAY, --profilers)")
        .Executes(cancellation => Session.ProfileAsync(new Memray(Settings.Memray), cancellation));

    Target ProfileCProfile => _ => _
        .Description("One run per scenario under cProfile: pstats, top functions, call counts")
        .DependsOn(PerfPrepare)
        .After(Measure, ProfileMemray)
        .OnlyWhen(() => Settings.CProfile.Enabled, "cProfile is off (FIL_PERF_ENABLE_CPROFILE, --profilers)")
        .Executes(cancellation => Session.ProfileAsync(new CProfile(Settings.CProfile), cancellation));

    Target ProfileImportTime => _ => _
        .Description("Runs per scenario under -X importtime: the import tree (text, JSON, flamegraph), total import time and its share of wall time")
        .DependsOn(PerfPrepare)
        .After(Measure, ProfileCProfile)
        .OnlyWhen(() => Settings.ImportTime!.Enabled, "importtime is off (FIL_PERF_ENABLE_IMPORTTIME, --profilers)")
        .Executes(cancellation => Session.ProfileAsync(new ImportTimeProfiler(Settings.ImportTime!), cancellation));

    Target PerfRun => _ => _
        .Description("Measure and profile the selected scenarios; write metrics.json and summary.md")
        .DependsOn(PrepareBase, Measure, CountInstructions, TraceHeap, ProfilePySpy, ProfileScalene, ProfileMemray, ProfileCProfile, ProfileImportTime)
        .Executes(() => Session.Finish());
}
