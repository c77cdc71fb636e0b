using Filare.Perf.Tests.Support;
using Filare.Perf.Workflows;
using YamlDotNet.RepresentationModel;

namespace Filare.Perf.Tests.History;

/// <summary>The generated perf.yml's history job: trusted events only, a token that writes contents and nothing else, no profiling.</summary>
public sealed class HistoryWorkflowTests
{
    private static readonly YamlMappingNode s_perf = Load();

    private static YamlMappingNode Job => (YamlMappingNode)Child(Child(s_perf, "jobs"), "history");

    [Fact]
    public void The_history_job_may_write_contents_and_nothing_else()
    {
        var permissions = (YamlMappingNode)Child(Job, "permissions");

        Assert.Equal("write", Scalar(permissions, "contents"));
        Assert.Single(permissions.Children);
        Assert.Empty((YamlMappingNode)Child(s_perf, "permissions"));
    }

    [Fact]
    public void The_history_job_runs_after_profile_only_for_the_schedule_and_pushes_to_the_nightly_branches()
    {
        var condition = Scalar(Job, "if");
        var needs = ((YamlSequenceNode)Child(Job, "needs")).Children.Select(n => ((YamlScalarNode)n).Value).ToList();

        Assert.Equal(["gate", "profile"], needs);
        // The event test is a conjunct of the whole condition: no other event can reach the job.
        Assert.EndsWith(" && (github.event_name == 'schedule' || (github.event_name == 'push' && (github.ref " +
            "== 'refs/heads/beta' || github.ref == 'refs/heads/master')))", condition, StringComparison.Ordinal);
        Assert.DoesNotContain("pull_request", condition, StringComparison.Ordinal);
        Assert.DoesNotContain("issue_comment", condition, StringComparison.Ordinal);
        Assert.DoesNotContain("workflow_dispatch", condition, StringComparison.Ordinal);
        Assert.DoesNotContain("||", condition.Split(" && (github.event_name")[0], StringComparison.Ordinal);
    }

    [Fact]
    public void The_history_job_profiles_nothing_and_records_and_charts_the_trusted_artifacts()
    {
        var steps = ((YamlSequenceNode)Child(Job, "steps")).Children.Cast<YamlMappingNode>().ToList();
        var runs = steps.Where(s => s.Children.ContainsKey("run")).Select(s => Scalar(s, "run")).ToList();
        var checkout = steps.Single(s => s.Children.ContainsKey("uses") && Scalar(s, "uses").StartsWith("actions/checkout@", StringComparison.Ordinal));

        Assert.Equal(["./build.sh PerfHistory", "./build.sh PerfTrend"], runs);
        Assert.All(runs, r => Assert.DoesNotContain("PerfRun", r, StringComparison.Ordinal));
        Assert.Equal("${{ needs.gate.outputs.trusted-ref }}", Scalar((YamlMappingNode)Child(checkout, "with"), "ref"));
        var download = steps.Single(s =>
            s.Children.ContainsKey("uses") && Scalar(s, "uses").StartsWith("actions/download-artifact@", StringComparison.Ordinal));
        Assert.Equal("perf-metrics${{ matrix.target.suffix }}-shard*", Scalar((YamlMappingNode)Child(download, "with"), "pattern"));
        var history = steps.Single(s => s.Children.ContainsKey("run") && Scalar(s, "run") == "./build.sh PerfHistory");
        Assert.Equal("origin", Scalar((YamlMappingNode)Child(history, "env"), "FIL_PERF_HISTORY_REMOTE"));
    }

    [Fact]
    public void Without_nightly_branches_there_is_no_history_job() =>
        Assert.False(HistoryJob.Applies(new PerfWorkflowAttribute("perf") { Cron = "0 3 * * *" }));

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Build.GeneratedFiles(Repository.Root)[".github/workflows/perf.yml"]));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode Child(YamlNode node, string key) => ((YamlMappingNode)node).Children[new YamlScalarNode(key)];

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)Child(node, key)).Value!;
}
