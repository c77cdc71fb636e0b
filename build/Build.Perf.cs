using Filare.Perf.Engine;
using Filare.Perf.Harness;
using Filare.Perf.Profilers;

namespace Filare.Perf;

/// <summary>The measured run: prepare, measure clean runs, profile, report.</summary>
public sealed partial class Build
{
    private PerfSession? _session;

    private PerfSession Session => _session ?? throw new InvalidOperationException("PerfPrepare has not run.");

    protected override ValueTask OnBuildFinishedAsync() => _session?.DisposeAsync() ?? ValueTask.CompletedTask;

    private SessionOptions SessionOptions => new(RootDirectory, Settings, FilareRoot, Python, Scenario, Tag, EnvironmentVariables);

    Target PerfPrepare => _ => _
        .Description("Find Filare and its interpreter, select scenarios, open the run folder")
        .Executes(async cancellation => _session = await PerfSession.StartAsync(SessionOptions, Console, cancellation));

    Target Measure => _ => _
        .Description("Warmups, then clean runs per scenario: wall, CPU, peak RSS over the process tree")
        .DependsOn(PerfPrepare)
        .Executes(cancellation => Session.MeasureAsync(cancellation));

    Target ProfileCProfile => _ => _
        .Description("One extra run per scenario under cProfile: pstats, top functions, call counts")
        .DependsOn(PerfPrepare)
        .After(Measure)
        .OnlyWhen(() => Settings.CProfile.Enabled, "cProfile is off (FIL_PERF_ENABLE_CPROFILE)")
        .Executes(cancellation => Session.ProfileAsync(new CProfile(Settings.CProfile), cancellation));

    Target PerfRun => _ => _
        .Description("Measure and profile the selected scenarios; write metrics.json and summary.md")
        .DependsOn(Measure, ProfileCProfile)
        .Executes(() => Session.Finish());
}
