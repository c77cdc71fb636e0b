using Filare.Perf.Analysis;
using Filare.Perf.Comparison;
using Filare.Perf.Instructions;
using Filare.Perf.Results;

namespace Filare.Perf.Tests;

/// <summary>The pure parts of instruction counting: Valgrind's files read, verdicts decided, the timeout scaled.</summary>
public sealed class InstructionVerdictTests
{
    private static InstructionRun Run(long python, long dot = 0, int exitCode = 0, InstructionStatus status = InstructionStatus.Ok, string? valgrind = "3.19.0",
        string? build = "3.11.7 (main) [GCC 12.2.0]")
    {
        var processes = new List<ProcessInstructions> { new(100, 1, ProcessKind.Python, "python -m filare run demo01.yml", python, exitCode, null) };
        if (dot > 0)
        {
            processes.Add(new ProcessInstructions(101, 100, ProcessKind.Dot, "/usr/bin/dot -Tsvg", dot, 0, null));
        }
        return new InstructionRun(status, null, python + dot, processes, exitCode, 10, 120, Valgrind.ToolName, valgrind, build, "s/instructions/head/valgrind",
            []);
    }

    [Fact]
    public void A_change_at_the_threshold_is_slower_and_one_below_it_unchanged_per_scenario_and_per_process()
    {
        var slower = InstructionVerdicts.Of(Run(1_000_000_000, 50_000_000), Run(1_010_000_000, 50_000_000), InstructionVerdicts.AgainstBase, 0.005, null,
            false)!;
        var same = InstructionVerdicts.Of(Run(1_000_000_000, 50_000_000), Run(1_004_000_000, 50_000_000), InstructionVerdicts.AgainstBase, 0.005, null, false)!;
        var faster = InstructionVerdicts.Of(Run(1_000_000_000), Run(900_000_000), InstructionVerdicts.AgainstBase, 0.01, null, false)!;

        Assert.Equal(Verdict.Slower, slower.Total.Verdict);
        Assert.Equal(Verdict.Slower, slower.Processes.Single(p => p.Scope == "python").Verdict);
        Assert.Equal(Verdict.Unchanged, slower.Processes.Single(p => p.Scope == "dot").Verdict);
        Assert.Equal(Verdict.Unchanged, same.Total.Verdict);
        Assert.Equal(Verdict.Faster, faster.Total.Verdict);
        Assert.Null(slower.NoiseFloor);
    }

    [Fact]
    public void An_a_a_run_measures_the_floor_and_a_floor_above_the_threshold_raises_it()
    {
        var aa = InstructionVerdicts.Of(Run(1_000_000_000, 1_000_000), Run(1_000_200_000, 1_000_100), InstructionVerdicts.AgainstBase, 0.01, null,
            isCalibration: true)!;
        var raised = InstructionVerdicts.Of(Run(1_000_000_000), Run(1_015_000_000), InstructionVerdicts.AgainstBase, 0.01, calibratedFloor: 0.02,
            isCalibration: false)!;
        var notRaised = InstructionVerdicts.Of(Run(1_000_000_000), Run(1_015_000_000), InstructionVerdicts.AgainstBase, 0.01, calibratedFloor: 0.0002,
            isCalibration: false)!;

        Assert.Equal(Verdict.Unchanged, aa.Total.Verdict);
        // The largest of the total's and each kind's difference: python 0.02%, dot 0.01%.
        Assert.Equal(0.0002, aa.NoiseFloor!.Value, 6);
        Assert.Equal(Verdict.Unchanged, raised.Total.Verdict);
        Assert.Equal(0.02, raised.Threshold);
        Assert.Contains("noise floor", raised.Total.Why, StringComparison.Ordinal);
        Assert.Equal(Verdict.Slower, notRaised.Total.Verdict);
        Assert.Equal(0.01, notRaised.Threshold);
    }

    [Fact]
    public void A_side_that_was_not_counted_or_did_other_work_gets_no_verdict()
    {
        var crashed = InstructionVerdicts.Of(Run(1_000_000_000), Run(5_000, status: InstructionStatus.Failed, exitCode: 1), InstructionVerdicts.AgainstBase,
            0.01, null, false)!;
        var exited = InstructionVerdicts.Of(Run(1_000_000_000), Run(1_000_000_000, exitCode: 2), InstructionVerdicts.AgainstBase, 0.01, null, false)!;
        var skipped = InstructionVerdicts.Of(InstructionRun.Skipped("not installed"), InstructionRun.Skipped("not installed"), InstructionVerdicts.AgainstBase,
            0.01, null, false);

        Assert.Equal(Verdict.Inconclusive, crashed.Total.Verdict);
        Assert.Contains("head was not counted", crashed.Total.Why, StringComparison.Ordinal);
        Assert.Equal(Verdict.Inconclusive, exited.Total.Verdict);
        Assert.Contains("not the same work", exited.Total.Why, StringComparison.Ordinal);
        Assert.Null(skipped);
    }

    [Fact]
    public void A_stored_baseline_from_another_python_valgrind_build_or_architecture_is_caveated()
    {
        var before = Run(1_000_000_000, valgrind: "3.19.0", build: "3.11.7 (main, Jan 1) [GCC 12.2.0]");
        var after = Run(1_000_000_000, valgrind: "3.22.0", build: "3.11.7 (main, Feb 2) [Clang 16]");

        var caveats = InstructionVerdicts.Caveats(before, new CountedOn("3.11.7", "x86_64"), after, new CountedOn("3.12.1", "aarch64"));
        var same = InstructionVerdicts.Caveats(before, new CountedOn("3.11.7", "x86_64"), before, new CountedOn("3.11.7", "x86_64"));

        Assert.Equal(4, caveats.Count);
        Assert.Contains(caveats, c => c.StartsWith("different Python: 3.11.7 (baseline) vs 3.12.1", StringComparison.Ordinal));
        Assert.Contains(caveats, c => c.StartsWith("different Valgrind", StringComparison.Ordinal));
        Assert.Contains(caveats, c => c.StartsWith("different interpreter build", StringComparison.Ordinal));
        Assert.Contains(caveats, c => c.StartsWith("different CPU architecture", StringComparison.Ordinal));
        Assert.Empty(same);
    }

    [Fact]
    public void Valgrinds_logs_give_each_processes_command_parent_count_and_exit()
    {
        var folder = Directory.CreateTempSubdirectory("filare-perf-valgrind-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "valgrind.10.log"), """
                ==10== Cachegrind, a cache and branch-prediction profiler
                ==10== Command: /venv/bin/python3.11 /venv/bin/filare run demo01.yml
                ==10== Parent PID: 9
                SYSCALL[10,1](  0) sys_read ( 3, 0x1ffefff8b0, 832 ) --> [async] ... 
                 --> [pre-success] Success(0x42ae) 
                SYSCALL[10,1](231) exit_group( 256 ) --> [pre-success] Success(0x0) 
                ==10== I   refs:      1,234,567
                """);
            File.WriteAllText(Path.Combine(folder, "cachegrind.out.10"), "desc: I1 cache: 32768 B\ncmd: /venv/bin/python3.11\nevents: Ir\nsummary: 1234568\n");
            File.WriteAllText(Path.Combine(folder, "valgrind.11.log"), """
                ==11== Command: /usr/bin/dot -Tsvg\ -o out.svg
                ==11== Parent PID: 10
                ==11== Process terminating with default action of signal 11 (SIGSEGV)
                ==11== I   refs:      500
                """);
            File.WriteAllText(Path.Combine(folder, "valgrind.12.log"), "==12== Command: /bin/sh -c true\n==12== Parent PID: 10\n");

            var processes = ValgrindOutput.Read(folder, "/venv/bin/python");
            ValgrindOutput.TrimLogs(folder);

            Assert.Equal([10, 11, 12], processes.Select(p => p.Pid));
            Assert.Equal(new ProcessInstructions(10, 9, ProcessKind.Python, "/venv/bin/python3.11 /venv/bin/filare run demo01.yml", 1_234_568, 0, null),
                processes[0]);
            Assert.Equal(new ProcessInstructions(11, 10, ProcessKind.Dot, "/usr/bin/dot -Tsvg -o out.svg", 500, null, 11), processes[1]);
            Assert.Equal("signal 11", processes[1].Exit);
            Assert.Equal((ProcessKind.Other, (long?)null, "unknown"), (processes[2].Kind, processes[2].Instructions, processes[2].Exit));
            var trimmed = File.ReadAllText(Path.Combine(folder, "valgrind.10.log"));
            Assert.DoesNotContain("sys_read", trimmed, StringComparison.Ordinal);
            Assert.DoesNotContain("-->  [pre-success] Success(0x42ae)", trimmed, StringComparison.Ordinal);
            Assert.Contains("exit_group( 256 )", trimmed, StringComparison.Ordinal);
            Assert.Contains("I   refs:", trimmed, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_timeout_scales_with_the_measured_wall_time_within_the_scenarios_own_limit()
    {
        var scenario = TimeSpan.FromSeconds(300);

        Assert.Equal(TimeSpan.FromSeconds(Valgrind.SlowdownFactor * 2 * 10), Valgrind.Timeout(scenario, 10));
        Assert.Equal(Valgrind.MinimumTimeout, Valgrind.Timeout(scenario, 0.2));
        Assert.Equal(scenario * Valgrind.SlowdownFactor, Valgrind.Timeout(scenario, null));
        Assert.Equal(TimeSpan.FromSeconds(5) * Valgrind.SlowdownFactor, Valgrind.Timeout(TimeSpan.FromSeconds(5), 4));
    }

    [Theory]
    [InlineData("kind: command\ncommand: [filare, run, a.yml]", true)]
    [InlineData("command: [filare, run, a.yml]\ninstructions: false", false)]
    [InlineData("kind: pytest\npytest: {paths: [tests/]}", false)]
    [InlineData("kind: pytest\npytest: {paths: [tests/]}\ninstructions: true", true)]
    public void Scenarios_count_instructions_unless_they_opt_out_and_pytest_only_when_it_opts_in(string yaml, bool counted)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("filare-perf-scenario-").FullName, "case.yml");
        File.WriteAllText(file, "name: case\n" + yaml + "\n");

        Assert.Equal(counted, Scenarios.ScenarioFile.Load(file, "scenarios/case.yml").CountsInstructions);
    }

    [Fact]
    public void An_instructions_key_that_is_not_a_boolean_is_an_error_naming_file_and_line()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("filare-perf-scenario-").FullName, "case.yml");
        File.WriteAllText(file, "name: case\ncommand: [filare]\ninstructions: sometimes\n");

        var errors = Assert.Throws<Scenarios.ScenarioException>(() => Scenarios.ScenarioFile.Load(file, "scenarios/case.yml")).Errors;

        Assert.Contains("scenarios/case.yml:3: 'instructions' must be true or false, not 'sometimes'.", errors);
    }
}
