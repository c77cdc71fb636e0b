namespace Filare.Perf.Tests;

/// <summary>perf-bisect.yml and perf.yml's nightly chain: who can start a bisection, and what each job may do.</summary>
public sealed partial class WorkflowTests
{
    [Fact]
    public void Perf_bisect_is_dispatched_by_hand_or_called_by_the_nightly_chain_and_its_jobs_have_least_privilege()
    {
        var bisect = Load("perf-bisect");
        Assert.True(Has(At(bisect, "on"), "workflow_dispatch"));
        Assert.True(Has(At(bisect, "on"), "workflow_call"));
        Assert.False(Has(At(bisect, "on"), "pull_request") || Has(At(bisect, "on"), "issue_comment"));
        Assert.Empty((YamlDotNet.RepresentationModel.YamlMappingNode)At(bisect, "permissions"));
        var (run, comment) = (At(bisect, "jobs", "bisect"), At(bisect, "jobs", "comment"));
        // The job that runs Filare may read and nothing else; the job that comments never runs it.
        Assert.Equal("read", Text(run, "permissions", "contents"));
        Assert.Single(((YamlDotNet.RepresentationModel.YamlMappingNode)At(run, "permissions")).Children);
        Assert.Contains(Steps(run), s => Has(s, "run") && Text(s, "run") == "./build.sh PerfBisect");
        Assert.Equal("write", Text(comment, "permissions", "issues"));
        Assert.False(Has(At(comment, "permissions"), "contents"));
        Assert.DoesNotContain(Steps(comment), s => Has(s, "run") && Text(s, "run").Contains("PerfRun", StringComparison.Ordinal));
        Assert.DoesNotContain(Steps(comment), s => Has(s, "run") && Text(s, "run") == "./build.sh PerfBisect");
        // Inputs reach the build as variables, never inside a run: line.
        Assert.All(Jobs(bisect).SelectMany(Steps).Where(s => Has(s, "run")), s => Assert.DoesNotContain("${{", Text(s, "run"), StringComparison.Ordinal));
        Assert.All(Jobs(bisect).SelectMany(Steps).Where(s => Has(s, "uses") && Text(s, "uses").StartsWith("actions/checkout", StringComparison.Ordinal)),
            s => Assert.Equal("false", Text(s, "with", "persist-credentials")));
    }

    [Fact]
    public void The_nightly_chain_plans_after_the_history_job_on_trusted_events_only_and_calls_perf_bisect()
    {
        var perf = Load("perf");
        var plan = At(perf, "jobs", "bisect-plan");
        Assert.Equal(["gate", "history"], List(plan, "needs"));
        Assert.Contains("github.event_name == 'schedule'", Text(plan, "if"), StringComparison.Ordinal);
        Assert.DoesNotContain("pull_request", Text(plan, "if"), StringComparison.Ordinal);
        Assert.Equal(("read", "read"), (Text(plan, "permissions", "contents"), Text(plan, "permissions", "issues")));
        var call = At(perf, "jobs", "bisect");
        Assert.Equal("./.github/workflows/perf-bisect.yml", Text(call, "uses"));
        Assert.Equal("${{ matrix.bisection.key }}", Text(call, "with", "key"));
    }
}
