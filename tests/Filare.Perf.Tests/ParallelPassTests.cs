using Filare.Perf.Harness;
using Filare.Perf.Measurement;
using Filare.Perf.Processes;
using Filare.Perf.Results;
using Filare.Perf.Tests.Support;
using static Filare.Perf.Tests.CompareRunTests;

namespace Filare.Perf.Tests;

/// <summary>
/// The passes after Measure run up to --parallel-jobs at once (issue 22 item 4): the pool gives each
/// concurrent run its own measuring runner, and a count does not change when others run beside it.
/// </summary>
public sealed class ParallelPassTests
{
    private static readonly Dictionary<string, string> Quiet = new()
    {
        ["FIL_PERF_PROFILERS"] = "cprofile", ["FIL_PERF_ENABLE_CPROFILE"] = "false", ["FIL_PERF_RUN_LABEL"] = "local",
    };

    [Fact]
    public async Task The_pool_runs_up_to_its_jobs_at_once_each_on_its_own_runner_and_a_failed_job_frees_its_slot()
    {
        var folder = Directory.CreateTempSubdirectory("filare-perf-pool-").FullName;
        try
        {
            await using var first = new RunnerHost("python3");
            await using var pool = new RunnerPool(new TreeRunner(first, folder, TimeSpan.FromSeconds(1)), "python3", folder, TimeSpan.FromSeconds(1), 3);
            var (running, most) = (0, 0);
            var inUse = new HashSet<TreeRunner>();
            var gate = new object();
            var release = new TaskCompletionSource();
            var jobs = Enumerable.Range(0, 7).Select(i => pool.RunAsync(async runner =>
            {
                lock (gate)
                {
                    Assert.True(inUse.Add(runner), "two runs at once on one runner");
                    most = Math.Max(most, ++running);
                }
                await release.Task;
                lock (gate)
                {
                    inUse.Remove(runner);
                    running--;
                }
                return i == 0 ? throw new IOException("this job's own failure") : i;
            }, TestContext.Current.CancellationToken)).ToList();
            await Task.Delay(200, TestContext.Current.CancellationToken);
            Assert.Equal(3, Volatile.Read(ref running));
            release.SetResult();
            await Assert.ThrowsAsync<IOException>(() => jobs[0]);
            Assert.Equal(Enumerable.Range(1, 6), await Task.WhenAll(jobs.Skip(1)));
            Assert.Equal(3, most);
            // The failed job's slot came back: the pool still runs.
            Assert.Equal(42, await pool.RunAsync(_ => Task.FromResult(42), TestContext.Current.CancellationToken));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Instruction_counts_are_the_same_counted_one_at_a_time_and_in_parallel()
    {
        Assert.SkipWhen(ToolProcess.Which("valgrind", TestRoot.CleanEnvironment()) is null, "valgrind is not installed; .ci/run installs it");
        using var root = GitRoot(r => r.FixtureScenario("work", "--work 10 --child-alloc-mb 1", runs: 2).FixtureScenario("other", "--work 6", runs: 2));
        string[] run = ["PerfRun", "--compare-ref", "HEAD", "--enable-instructions"];

        var sequential = await root.RunAsync(Quiet, [.. run, "--parallel-jobs", "1"]);
        Assert.True(sequential.ExitCode == 0, sequential.ToString());
        var one = Counts(root.Metrics());
        var parallel = await root.RunAsync(Quiet, [.. run, "--parallel-jobs", "4"]);
        Assert.True(parallel.ExitCode == 0, parallel.ToString());
        var four = Counts(root.Metrics());

        Assert.Contains("up to 1 at once", sequential.Output, StringComparison.Ordinal);
        Assert.Contains("up to 4 at once", parallel.Output, StringComparison.Ordinal);
        Assert.Equal(4, one.Count);
        Assert.Equal(one.Keys.Order(), four.Keys.Order());
        foreach (var (key, count) in one)
        {
            // The A/A floor of a counted run is ~0.001% (InstructionTests); four at once must stay within 0.1%.
            Assert.InRange((double)four[key] / count, 0.999, 1.001);
        }
        Assert.All(root.Metrics().Scenarios, s => Assert.Equal(Comparison.Verdict.Unchanged, s.InstructionChange!.Total.Verdict));
    }

    private static Dictionary<string, long> Counts(RunMetrics metrics)
    {
        var counts = new Dictionary<string, long>();
        foreach (var scenario in metrics.Scenarios)
        {
            foreach (var (side, run) in new[] { ("head", scenario.Instructions), ("base", scenario.Base?.Instructions) })
            {
                Assert.True(run is { Status: InstructionStatus.Ok, Total: not null }, $"{scenario.Name} {side}: {run?.Status} {run?.Message}");
                counts[$"{scenario.Name} {side}"] = run!.Total!.Value;
            }
        }
        return counts;
    }
}
