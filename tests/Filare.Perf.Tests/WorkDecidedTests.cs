using Filare.Perf.Processes;
using Filare.Perf.Results;
using Filare.Perf.Tests.Support;
using static Filare.Perf.Tests.CompareRunTests;

namespace Filare.Perf.Tests;

/// <summary>
/// Issue 21's early stop on the fixture with the real Valgrind: instructions are counted before Measure, and a
/// decisive change of the work ends a scenario's pairs at the minimum (reason workDecided); unchanged work never does.
/// </summary>
public sealed class WorkDecidedTests
{
    private static readonly Dictionary<string, string> Quiet = new()
    {
        ["FIL_PERF_PROFILERS"] = "cprofile", ["FIL_PERF_ENABLE_CPROFILE"] = "false", ["FIL_PERF_RUN_LABEL"] = "local",
    };

    private static void SkipWithoutValgrind() =>
        Assert.SkipWhen(ToolProcess.Which("valgrind", TestRoot.CleanEnvironment()) is null, "valgrind is not installed; .ci/run installs it");

    [Fact]
    public async Task Work_visible_in_instructions_stops_the_pairs_before_the_cap_and_an_a_a_never_stops_so()
    {
        SkipWithoutValgrind();
        // 8% more loop is about 6% more instructions (interpreter start-up included) and about as much wall time: a wall-time
        // interval of 4 noisy pairs rarely lies beyond the 5% minimum effect, and its upper end mostly lies above 1. At 3%
        // the interval stayed under 1 up to the cap in 2 of 4 runs on this 2-core machine: the rule refused rightly (wall
        // time contradicted the work), the test's change was too fine for the pairs.
        using var root = GitRoot(r => r.FixtureScenario("work", "--work 12", runs: 4));
        AddWork(root, 8);
        string[] run = ["PerfRun", "--enable-instructions", "--max-runs", "12", "--instructions-threshold", "0.005"];

        var ab = await root.RunAsync(Quiet, [.. run, "--compare-ref", "HEAD~1"]);

        Assert.True(ab.ExitCode == 0, ab.ToString());
        var scenario = Assert.Single(root.Metrics().Scenarios);
        Assert.Equal(Comparison.Verdict.Slower, scenario.InstructionChange!.Total.Verdict);
        var stop = scenario.Adaptive!;
        // On a very quiet machine the wall-time interval may decide at the minimum by itself (checked first); never the cap.
        Assert.True(stop.Reason == StopReason.WorkDecided || (stop.Reason == StopReason.Decided && stop.Pairs == 4),
            $"{stop.Reason} after {stop.Pairs}: {stop.Why}");
        // The work rule is asked again at every step after the minimum: when 4 pairs' interval lies under 1, it stops at 6
        // or 8 (seen: 6, in 2 of 16 runs here). Before the cap is what it promises.
        Assert.True(stop.Pairs < 12, $"{stop.Reason} after {stop.Pairs}: {stop.Why}");
        if (stop.Reason == StopReason.WorkDecided)
        {
            Assert.Contains("more work (+", stop.Why, StringComparison.Ordinal);
            Assert.Contains("\"workDecided\"", File.ReadAllText(Path.Combine(root.RunFolder(), RunMetrics.FileName)), StringComparison.Ordinal);
        }
        // Counted before Measure, and kept in the scenario's result through it.
        Assert.Equal(InstructionStatus.Ok, scenario.Instructions!.Status);
        Assert.Equal(InstructionStatus.Ok, scenario.Base!.Instructions!.Status);
        var valgrind = Path.Combine(root.RunFolder(), scenario.Instructions.Folder!);
        Assert.True(Directory.Exists(valgrind), valgrind);
        var counted = Directory.GetLastWriteTimeUtc(valgrind);
        var firstRun = File.GetLastWriteTimeUtc(Path.Combine(root.RunFolder(), "work", "run-1", "exec.json"));
        Assert.True(counted < firstRun, $"counted {counted:O}, first clean run {firstRun:O}");

        var aa = await root.RunAsync(Quiet, [.. run, "--compare-ref", "HEAD"]);

        Assert.True(aa.ExitCode == 0, aa.ToString());
        var same = Assert.Single(root.Metrics().Scenarios);
        Assert.Equal(Comparison.Verdict.Unchanged, same.InstructionChange!.Total.Verdict);
        Assert.NotEqual(StopReason.WorkDecided, same.Adaptive!.Reason);
    }
}
