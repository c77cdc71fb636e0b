using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Filare.Perf.Bisect;
using Filare.Perf.BisectReport;
using Filare.Perf.Engine;
using Filare.Perf.History;
using Filare.Perf.Results;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests.Bisect;

/// <summary>
/// The nightly chain against GitHub's API as recorded responses: PerfBisectPlan starts a bisection
/// only for a change point the tracking comment does not hold, and PerfBisectComment creates the
/// tracking issue once, posts one comment, then updates that comment in place.
/// </summary>
public sealed class BisectChainTests : IDisposable
{
    private const string Issues = "/repos/filare/filare/issues";
    private readonly TestRoot _root = new();
    private readonly FakeGitHub _github = new();

    public BisectChainTests()
    {
        var folder = Path.Combine(_root.Path, "history", "master");
        Directory.CreateDirectory(folder);
        var nights = Enumerable.Range(1, 12).Select(n => HistoryData.Record("master", "demo01", n, n <= 6 ? 1.0 : 2.0));
        File.WriteAllText(Path.Combine(folder, HistoryRecord.FileName), string.Concat(nights.Select(r => HistoryFile.Line(r) + "\n")));
    }

    [Fact]
    public async Task A_new_change_point_is_bisected_once_and_reported_in_one_comment_that_is_updated_in_place()
    {
        _github.Serve("GET", Issues, HttpStatusCode.OK, "[]");
        _github.Serve("POST", Issues, HttpStatusCode.Created, """{"number": 7, "state": "open", "title": "t"}""");
        _github.Serve("GET", $"{Issues}/7/comments", HttpStatusCode.OK, "[]");
        _github.Serve("POST", $"{Issues}/7/comments", HttpStatusCode.Created, """{"id": 901, "body": "x"}""");

        var (plan, outputs) = await RunAsync("PerfBisectPlan", "--history-dir", "history");

        Assert.True(plan.ExitCode == 0, plan.ToString());
        var bisections = JsonNode.Parse(outputs["bisections"])!.AsArray();
        var planned = Assert.Single(bisections)!;
        var (good, bad) = (HistoryData.Sha(6), HistoryData.Sha(7));
        Assert.Equal((good, bad, "demo01"), (planned["good"]!.GetValue<string>(), planned["bad"]!.GetValue<string>(), planned["scenario"]!.GetValue<string>()));
        var key = planned["key"]!.GetValue<string>();
        Assert.DoesNotContain('/', planned["artifact"]!.GetValue<string>());
        // Planning only reads: no issue is created, nothing is written.
        Assert.DoesNotContain(_github.Requests, r => r.Method != "GET");

        WriteResult(good, bad);
        var comment = await RunAsync("PerfBisectComment", "--bisect-key", key, "--good", good, "--bad", bad, "--scenario", "demo01", "--report-input",
            "perf-bisect");

        Assert.True(comment.Run.ExitCode == 0, comment.Run.ToString());
        var created = Assert.Single(_github.Requests, r => r.Is("POST", Issues));
        Assert.Contains("perf-regression", created.Body, StringComparison.Ordinal);
        var posted = Assert.Single(_github.Requests, r => r.Is("POST", $"{Issues}/7/comments"));
        var body = JsonNode.Parse(posted.Body!)!["body"]!.GetValue<string>();
        Assert.StartsWith(BisectTracking.Marker, body, StringComparison.Ordinal);
        Assert.Contains(key, body, StringComparison.Ordinal);
        Assert.Contains("Slow: sum squares", body, StringComparison.Ordinal);

        // The next night: the issue exists, the comment holds the key; the same change point is not bisected again.
        _github.Serve("GET", Issues, HttpStatusCode.OK, """[{"number": 7, "state": "open", "title": "t"}]""");
        _github.Serve("GET", $"{Issues}/7/comments", HttpStatusCode.OK, new JsonArray(new JsonObject { ["id"] = 901, ["body"] = body,
            ["user"] = new JsonObject { ["login"] = "github-actions[bot]", ["type"] = "Bot" } }).ToJsonString());
        _github.Serve("PATCH", $"{Issues}/comments/901", HttpStatusCode.OK, """{"id": 901, "body": "x"}""");
        var again = await RunAsync("PerfBisectPlan", "--history-dir", "history");

        Assert.True(again.Run.ExitCode == 0, again.Run.ToString());
        Assert.Equal("0", again.Outputs["count"]);
        Assert.Empty(JsonNode.Parse(again.Outputs["bisections"])!.AsArray());

        // A later bisection (another range) updates the same comment in place, keeping the first.
        var (good2, bad2) = (new string('b', 40), new string('c', 40));
        WriteResult(good2, bad2);
        var second = await RunAsync("PerfBisectComment", "--bisect-key", "master/demo01/x", "--good", good2, "--bad", bad2, "--scenario", "demo01",
            "--report-input", "perf-bisect");

        Assert.True(second.Run.ExitCode == 0, second.Run.ToString());
        Assert.Single(_github.Requests, r => r.Is("POST", Issues));
        Assert.Single(_github.Requests, r => r.Is("POST", $"{Issues}/7/comments"));
        var updated = JsonNode.Parse(Assert.Single(_github.Requests, r => r.Is("PATCH", $"{Issues}/comments/901")).Body!)!["body"]!.GetValue<string>();
        Assert.Equal(new HashSet<string> { key, BisectTracking.Key("master", "demo01", good2, bad2) }, BisectTracking.Keys(updated));
        var sections = System.Text.RegularExpressions.Regex.Matches(updated, "<!-- section (\\S+) -->").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal([BisectTracking.Key("master", "demo01", good2, bad2), key], sections);
    }

    private void WriteResult(string good, string bad)
    {
        var folder = Path.Combine(_root.Path, "perf-bisect", "bisect-x");
        Directory.CreateDirectory(folder);
        BisectCommit Commit(string sha, string subject, string parent) => new(sha, subject, "Ada", [parent]);
        var (goodCommit, badCommit) = (Commit(good, "good", good), Commit(bad, "Slow: sum squares first", good));
        var change = new Dictionary<string, double> { ["demo01"] = 0.25 };
        var measured = new[]
        {
            new CommitMeasurement(good, CommitStatus.Measured, new Dictionary<string, double> { ["demo01"] = 4e9 }, null, 1, 1, 60, "shared interpreter"),
            new CommitMeasurement(bad, CommitStatus.Measured, new Dictionary<string, double> { ["demo01"] = 5e9 }, null, 2, 1, 60, "shared interpreter"),
        };
        var result = new BisectResult(BisectResult.SchemaName, BisectResult.CurrentVersion, DateTimeOffset.UnixEpoch, goodCommit, badCommit,
            BisectMetric.Instructions, true, 0.01,
            ["demo01"], "filare/filare", [goodCommit, badCommit], measured,
            [new CulpritReport(badCommit, goodCommit, new BisectStep(good, bad, [], change), [badCommit], false,
                new WallConfirmation(ConfirmationStatus.Confirmed, null,
                    [new ScenarioConfirmation("demo01", 8, 1.2, 1.15, 1.26, Comparison.Verdict.Slower, "p < 0.01")], "confirm/x"))],
            [], [], new BisectCost(1, 2, 2, 5, 120, 60));
        File.WriteAllText(Path.Combine(folder, BisectResult.JsonFile), JsonSerializer.Serialize(result, MetricsStore.JsonOptions));
    }

    private async Task<(BuildOutcome Run, Dictionary<string, string> Outputs)> RunAsync(params string[] args)
    {
        var output = _root.File_("github_output");
        File.WriteAllText(output, "");
        var environment = TestRoot.CleanEnvironment(new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_OUTPUT"] = output,
            ["GITHUB_REPOSITORY"] = "filare/filare",
            ["GITHUB_RUN_ID"] = "4242",
            ["GITHUB_TOKEN"] = "ghs_chain",
            ["GITHUB_API_URL"] = FakeGitHub.ApiUrl,
        });
        var captured = new CapturedConsole(240);
        var exit = await Build.RunAsync(args,
            new BuildContext(_root.Path, environment, captured.Console, TestContext.Current.CancellationToken, () => _github));
        return (new BuildOutcome(exit, captured.Text), Outputs(File.ReadAllText(output)));
    }

    private static Dictionary<string, string> Outputs(string text)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var heredoc = lines[i].IndexOf("<<", StringComparison.Ordinal);
            var equals = lines[i].IndexOf('=', StringComparison.Ordinal);
            if (heredoc > 0 && (equals < 0 || heredoc < equals))
            {
                var (name, delimiter, value) = (lines[i][..heredoc], lines[i][(heredoc + 2)..], new List<string>());
                for (i++; lines[i] != delimiter; i++)
                {
                    value.Add(lines[i]);
                }
                outputs[name] = string.Join('\n', value);
            }
            else if (equals > 0)
            {
                outputs[lines[i][..equals]] = lines[i][(equals + 1)..];
            }
        }
        return outputs;
    }

    public void Dispose() => _root.Dispose();
}
