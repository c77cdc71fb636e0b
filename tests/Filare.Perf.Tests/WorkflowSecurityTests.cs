using Filare.Perf.Processes;
using Filare.Perf.Storage;
using Filare.Perf.Tests.Support;
using Filare.Perf.Workflows;

namespace Filare.Perf.Tests;

/// <summary>The workflows' side of the second security pass: the pre-upload size check, the history job's token, the report's code.</summary>
public sealed partial class WorkflowTests
{
    [Fact]
    public async Task The_profile_job_leaves_out_reported_files_over_the_cap_before_uploading_and_keeps_everything_else()
    {
        var profile = At(Load("perf"), "jobs", "profile");
        var steps = Steps(profile).ToList();
        var check = steps.FindIndex(s => Has(s, "name") && Text(s, "name") == "Artifact size check");
        Assert.True(check > steps.FindIndex(s => Has(s, "run") && Text(s, "run") == "./build.sh PerfRun"), "after PerfRun");
        var firstUpload = steps.FindIndex(s => Has(s, "uses") && Text(s, "uses").StartsWith("actions/upload-artifact@", StringComparison.Ordinal));
        Assert.True(check < firstUpload, "before the uploads");
        Assert.Equal("always()", Text(steps[check], "if"));
        var bash = ToolProcess.Which("bash", TestRoot.CleanEnvironment());
        Assert.SkipUnless(bash is not null, "bash is not installed");
        using var root = new TestRoot();
        var scenario = root.File_("outputs/perf/pr-1/demo01");
        Directory.CreateDirectory(Path.Combine(scenario, "base"));
        var huge = new[] { "pr-1-demo01-importtime.json", "pr-1-demo01-pyspy.txt", "base/pr-1-demo01-cprofile.pstats" }
            .Select(f => Path.Combine(scenario, f)).ToList();
        foreach (var file in huge)
        {
            using var stream = File.Create(file);
            stream.SetLength(CappedFile.MaxProfileBytes + 1024);
        }
        var kept = new[] { Path.Combine(scenario, "pr-1-demo01-memray.bin"), Path.Combine(scenario, "pr-1-demo01-pyspy.svg") };
        foreach (var file in kept)
        {
            using var stream = File.Create(file);
            stream.SetLength(CappedFile.MaxProfileBytes + 1024);
        }
        File.WriteAllText(Path.Combine(scenario, "..", "metrics.json"), "{}");
        var script = root.File_("check.sh");
        File.WriteAllText(script, Text(steps[check], "run"));

        var result = await ToolProcess.RunAsync(bash!, ["-e", script], root.Path, TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.All(huge, f => Assert.False(File.Exists(f), f));
        Assert.All(huge, f => Assert.Contains(Path.GetFileName(f), result.StandardOutput, StringComparison.Ordinal));
        // Only what the report reads back is capped: a Memray capture or an SVG may be large.
        Assert.All(kept, f => Assert.True(File.Exists(f), f));
        Assert.True(File.Exists(Path.Combine(scenario, "..", "metrics.json")));
        Assert.Contains("::warning title=Artifact size::files over 64 MiB", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_history_job_keeps_its_token_out_of_git_config_and_gives_it_to_the_push_step_only()
    {
        var history = At(Load("perf"), "jobs", "history");
        var steps = Steps(history).ToList();

        Assert.Equal("false", Text(steps[0], "with", "persist-credentials"));
        var withToken = steps
            .Where(s => Has(s, "env") && ((YamlDotNet.RepresentationModel.YamlMappingNode)At(s, "env")).Children.Values
                .Any(v => v.ToString().Contains("github.token", StringComparison.Ordinal)))
            .ToList();
        Assert.Equal("./build.sh PerfHistory", Text(Assert.Single(withToken), "run"));
        // The helper answers git with the step's token, and nothing when git stores or erases.
        var environment = TestRoot.CleanEnvironment(new Dictionary<string, string>
        {
            ["GIT_TERMINAL_PROMPT"] = "0",
            ["GIT_CONFIG_COUNT"] = Text(withToken[0], "env", "GIT_CONFIG_COUNT"),
            ["GIT_CONFIG_KEY_0"] = Text(withToken[0], "env", "GIT_CONFIG_KEY_0"),
            ["GIT_CONFIG_VALUE_0"] = Text(withToken[0], "env", "GIT_CONFIG_VALUE_0"),
            ["HISTORY_PUSH_TOKEN"] = "ghs_history_token",
        });
        using var root = new TestRoot();
        var input = root.File_("credential.txt");
        File.WriteAllText(input, "protocol=https\nhost=github.com\n\n");
        var bash = ToolProcess.Which("bash", environment)!;

        var result = await ToolProcess.RunAsync(bash, ["-c", "git credential fill < credential.txt"], root.Path, TimeSpan.FromMinutes(1),
            TestContext.Current.CancellationToken, environment);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("password=ghs_history_token", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(HistoryJob.CredentialHelper, Text(withToken[0], "env", "GIT_CONFIG_VALUE_0"));
    }

    [Fact]
    public void The_feedback_job_runs_the_default_branchs_code_and_the_report_job_the_gates_trusted_ref()
    {
        var feedback = Steps(At(Load("perf-feedback"), "jobs", "feedback")).First();
        var report = Steps(At(Load("perf"), "jobs", "report")).First();

        // workflow_run checks out the default branch when no ref is given; the PR cannot change that.
        Assert.False(Has(At(feedback, "with"), "ref"));
        Assert.Equal("${{ needs.gate.outputs.trusted-ref }}", Text(report, "with", "ref"));
    }
}
