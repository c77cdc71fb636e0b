using YamlDotNet.RepresentationModel;
using static Filare.Perf.Workflows.Yaml;

namespace Filare.Perf.Workflows;

/// <summary>
/// perf.yml's <c>history</c> job: after <c>profile</c>, for nightly runs and [perf] pushes to the
/// nightly branches only, one matrix entry per profiled branch. It checks out the trusted ref (never a
/// PR's code: those events never reach it), reads that branch's perf-metrics artifact as data,
/// appends it to the history branch (PerfHistory pushes with retries, so beta's and master's entries
/// both land), and puts the trends in the job summary. Its token may write contents and nothing else;
/// a failure here fails this job, never the profile job.
/// </summary>
public static class HistoryJob
{
    public const string Name = "history";

    /// <summary>Only events whose code is already trusted: the schedule (default branch) and pushes to the nightly branches.</summary>
    public static string Condition(PerfWorkflowAttribute settings) =>
        "!cancelled() && needs.gate.outputs.run == 'true' && (github.event_name == 'schedule' || (github.event_name == 'push' && ("
        + string.Join(" || ", settings.Branches.Select(b => $"github.ref == 'refs/heads/{b}'")) + ")))";

    /// <summary>A git credential helper answering with the step's token, read from its environment when git asks (never written to disk).</summary>
    public const string CredentialHelper = "!f() { test \"$1\" = get || exit 0; echo username=x-access-token; echo \"password=$HISTORY_PUSH_TOKEN\"; }; f";

    public static bool Applies(PerfWorkflowAttribute settings) =>
        settings.Branches.Length > 0 && (settings.Cron is not null || settings.CommitKeyword is not null);

    public static YamlMappingNode Create(PerfWorkflowAttribute settings, string metricsArtifact) => Map(
        ("needs", Flow("gate", "profile")),
        ("if", Condition(settings)),
        ("runs-on", settings.RunsOn),
        ("timeout-minutes", settings.ReportTimeoutMinutes),
        ("permissions", Map(("contents", "write"))),
        ("strategy", Map(("fail-fast", false), ("matrix", Map(("target", "${{ fromJSON(needs.gate.outputs.targets) }}"))))),
        ("env", Map(
            ("FIL_PERF_HISTORY_DIR", "perf-history"),
            ("FIL_PERF_HISTORY_BRANCH", "${{ vars.FIL_PERF_HISTORY_BRANCH || 'perf-history' }}"),
            // A nightly entry's ref is its branch; a push's is a commit, whose branch the event names (filtered above).
            ("FIL_PERF_FILARE_BRANCH", "${{ github.event_name == 'push' && github.ref_name || matrix.target.ref }}"))),
        ("steps", Seq(
            // No token in .git/config while the build and PerfTrend run: only the PerfHistory step gets
            // it, through a credential helper in that step's environment (git reads GIT_CONFIG_*).
            Map(("uses", Actions.Checkout), ("with", Map(("ref", "${{ needs.gate.outputs.trusted-ref }}"), ("persist-credentials", false)))),
            Map(("uses", Actions.SetupDotnet), ("with", Map(("global-json-file", "global.json")))),
            Map(("uses", Actions.DownloadArtifact), ("with", Map(
                // Every shard of this target: perf-metrics<target suffix>-shardKofN, each unpacked into its own folder.
                ("pattern", metricsArtifact + "${{ matrix.target.suffix }}-shard*"),
                ("path", "perf-artifacts")))),
            Map(("name", "PerfHistory"), ("run", "./build.sh PerfHistory"), ("env", Map(
                ("FIL_PERF_REPORT_INPUT", "perf-artifacts"),
                ("FIL_PERF_HISTORY_REMOTE", "origin"),
                ("HISTORY_PUSH_TOKEN", "${{ github.token }}"),
                ("GIT_CONFIG_COUNT", "1"),
                ("GIT_CONFIG_KEY_0", "credential.helper"),
                ("GIT_CONFIG_VALUE_0", CredentialHelper)))),
            Map(("name", "PerfTrend"), ("run", "./build.sh PerfTrend")))));
}
