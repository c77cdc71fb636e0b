using System.Net;
using System.Text.RegularExpressions;
using Filare.Perf.Processes;
using Filare.Perf.Profilers;
using Filare.Perf.Results;
using Filare.Perf.Tests.Support;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Filare.Perf.Tests;

/// <summary>
/// A fork's metrics.json, written to abuse the bot: URL paths, newlines and tabs, mentions, www.
/// links, raw HTML and workflow commands in every string a report shows. PerfReport renders it
/// for a PR (the sticky comment, the job summary, the log) and the Markdown is parsed back with
/// Markdig (GitHub-flavoured: pipe tables, autolinks) to prove what a reader would see.
/// </summary>
public sealed partial class HostileArtifactTests
{
    private const string Repo = "/repos/filare/filare";
    private const long RunId = 4242;
    private const string RunUrl = "https://github.test/filare/filare/actions/runs/4242";

    private const string BreakOut = "\n\n# Approved by maintainers\n\n<img src=\"https://evil.example/track.png\">\n\t\t| ok | ok |\n";
    private const string Hostile = "#1 filare/filare#2 GH-3 gh-4 @filare/maintainers www.evil.example " +
        "https://evil.example/login <b>bold</b> ::error::pwned ##[add-mask]hunter2 \u202Egnp.exe\u0007";

    private static readonly string[] s_ourTags = ["details", "summary", "sub"];

    private static void WriteHostileRun(TestRoot root)
    {
        var folder = root.RunFolder("head");
        Directory.CreateDirectory(folder);
        var samples = new[] { 1.0, 1.01, 0.99 }.Select((w, i) => new RunSample(SampleKind.Run, i + 1, RunStatus.Ok, w, w * 0.9, 0.01, 50L << 20, 0, null, 0,
            $"x/run-{i + 1}/stdout.txt", $"x/run-{i + 1}/stderr.txt", $"x/run-{i + 1}/output", null)).ToList();
        ProfilerRun Profiler(string tool) => new(tool, ProfilerStatus.Failed, "::error::reason" + BreakOut + Hostile, "1.0" + BreakOut, 1, 1.2, 1,
            [
                new Artifact("flamegraph", "https://evil.example/login", 10, new string('a', 64)),
                new Artifact("flamegraph](https://evil.example/kind)", "cpu/x" + BreakOut + Hostile + ".svg", 10, new string('a', 64)),
                new Artifact("pstats", "javascript:alert(1)", 10, new string('a', 64)),
            ],
            ["note " + Hostile + BreakOut],
            new CallStats(10, 10, 0.1, [new FunctionStats("<img src=x onerror=alert(1)>" + BreakOut, "www.evil.example/" + Hostile, 1, 1, 1, 0.1, 0.1)]));
        var name = "cpu" + BreakOut + Hostile;
        var scenarios = new[]
        {
            new ScenarioResult(name, "d" + Hostile, ["t" + Hostile], ["python", Hostile], root.Path, ScenarioStatus.Ok, null, 3, 0, [], samples,
                ScenarioStatistics.Of(samples),
                [Profiler(CProfile.Name), Profiler(PySpy.Name)]),
            new ScenarioResult("broken" + Hostile, "d", [], ["python"], root.Path, ScenarioStatus.Failed, "::error file=a.py::boom" + BreakOut + Hostile, 3, 0,
                [], [], null, []),
        };
        var environment = new RunEnvironment("<script>alert(1)</script>" + BreakOut, 2, 1L << 30, "Linux" + Hostile, "6.0", "x64", "3.11 " + Hostile,
            "CPython" + BreakOut, "python3", root.Path,
            new string('c', 40), "master" + Hostile, false, null, "10.0", new CiRun("github-actions", "filare/filare", "4242", "1", "pull_request" + Hostile,
                "refs/pull/12/merge", new string('c', 40), "perf", "https://evil.example", 12));
        var settings = new PerformanceSettings("outputs/perf", "head", null, null, null,
            new PySpySettings(false, 100, SpyOutput.Svg, false, false, false), new ScaleneSettings(false, 0.01, true, true, "filare"),
            new MemraySettings(false, false, MemrayFormat.Flamegraph, false, 50), new CProfileSettings(true, CProfileSort.Tottime, CProfileFormat.Pstats));
        _ = new MetricsStore(folder,
            new RunMetrics(RunMetrics.SchemaName, RunMetrics.CurrentVersion, "pr-12 ::error::label ##[add-mask]x" + BreakOut, RunState.Complete,
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, environment, settings, scenarios));
    }

    private static async Task<(string Comment, string Summary, string Log)> ReportAsync(TestRoot root)
    {
        var github = new FakeGitHub()
            .Serve("GET", $"{Repo}/actions/runs/{RunId}/artifacts", HttpStatusCode.OK,
                $$"""{"total_count":1,"artifacts":[{"id":902,"node_id":"A_902","name":"perf-cpu","size_in_bytes":""" +
                    $$"""1024,"url":"x","archive_download_url":"x","expired":false,"created_at":"2026-11-24T03:10:00Z","expires_at":"2026-12-08T03:10:""" +
                    $$"""00Z","updated_at":"2026-11-24T03:10:00Z"}]}""")
            .Serve("GET", $"{Repo}/issues/12/comments", HttpStatusCode.OK, "[]")
            .Serve("POST", $"{Repo}/issues/12/comments", HttpStatusCode.Created, """{"id":555,"body":"x","user":""" +
                """{"login":"github-actions[bot]","type":"Bot"}}""");
        root.GitHub = github;
        var summary = root.File_("summary.md");
        var outcome = await root.RunAsync(new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_REPOSITORY"] = "filare/filare",
            ["GITHUB_TOKEN"] = "ghs_test",
            ["GITHUB_API_URL"] = FakeGitHub.ApiUrl,
            ["GITHUB_SERVER_URL"] = "https://github.test",
            ["GITHUB_RUN_ID"] = "4242",
            ["GITHUB_STEP_SUMMARY"] = summary,
            ["FIL_PERF_REPORT_INPUT"] = root.RunFolder("head"),
        }, "PerfReport", "--pr", "12");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var comment = System.Text.Json.Nodes.JsonNode.Parse(Assert.Single(github.Requests, r => r.Is("POST", $"{Repo}/issues/12/comments")).Body!)!["body"]!
            .GetValue<string>();
        return (comment, File.ReadAllText(summary), outcome.Output);
    }

    [Fact]
    public async Task A_hostile_metrics_file_yields_no_outside_link_no_raw_html_no_mention_and_no_break_out()
    {
        using var root = new TestRoot();
        WriteHostileRun(root);

        var (comment, summary, _) = await ReportAsync(root);

        foreach (var markdown in new[] { comment, summary })
        {
            var pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();
            var document = Markdig.Markdown.Parse(markdown, pipeline);
            var nodes = document.Descendants().ToList();

            // Links: only the run page and the artifact URL the API gave; no autolink at all.
            var links = nodes.OfType<LinkInline>().ToList();
            Assert.NotEmpty(links);
            Assert.All(links, l => Assert.StartsWith(RunUrl, l.Url, StringComparison.Ordinal));
            Assert.All(links, l => Assert.False(l.IsAutoLink, l.Url));
            Assert.Empty(nodes.OfType<AutolinkInline>());
            // HTML: only the report's own tags and its marker comment.
            foreach (var html in nodes.OfType<HtmlInline>().Select(h => h.Tag).Concat(nodes.OfType<HtmlBlock>().Select(b => b.Lines.ToString())))
            {
                foreach (Match tag in Tag().Matches(html))
                {
                    Assert.Contains(tag.Groups[1].Value.ToLowerInvariant(), s_ourTags);
                }
            }
            // No line of the hostile text became a block of its own.
            Assert.DoesNotContain(nodes.OfType<HeadingBlock>(), h => Text(h).Contains("Approved", StringComparison.Ordinal));
            foreach (var table in nodes.OfType<Table>())
            {
                var columns = ((TableRow)table[0]).Count;
                Assert.All(table.Cast<TableRow>(), row => Assert.Equal(columns, row.Count));
            }
            var scenarioRows = nodes.OfType<TableRow>().Where(r => !r.IsHeader && Text((Block)r[0]).StartsWith("cpu", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(scenarioRows);
            Assert.All(scenarioRows, r => Assert.Contains("Approved by maintainers", Text((Block)r[0]), StringComparison.Ordinal));

            // What GitHub would show: no mention (an @ right before a name), no evil link or image in the HTML.
            var html5 = Markdig.Markdown.ToHtml(markdown, pipeline);
            Assert.DoesNotContain("<img", html5, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<script", html5, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<b>", html5, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("href=\"https://evil", html5, StringComparison.Ordinal);
            Assert.DoesNotContain("href=\"javascript", html5, StringComparison.Ordinal);
            // GitHub mentions no one inside code (<code>, <pre>): those are shown as typed.
            var prose = Regex.Replace(html5, @"<pre[\s\S]*?</pre>|<code>[\s\S]*?</code>", " ");
            var shown = WebUtility.HtmlDecode(Regex.Replace(prose, "<[^>]+>", " "));
            Assert.DoesNotMatch(@"(?<![\w`])@[A-Za-z0-9]", shown);
            Assert.Contains("maintainers", shown, StringComparison.Ordinal);
            // Nor an issue reference GitHub would link as the bot: #1, owner/repo#2, GH-3.
            Assert.Empty(IssueReferences(shown));
            Assert.Contains("filare/filare#", shown, StringComparison.Ordinal);
            // Hidden characters never reach the page: bidi overrides and bells were replaced on read.
            Assert.DoesNotContain('\u202E', markdown);
            Assert.DoesNotContain('\u0007', markdown);
        }
    }

    [Fact]
    public async Task Issue_references_in_artifact_text_are_inert_as_cmark_gfm_renders_them()
    {
        Assert.SkipUnless(ToolProcess.Which("cmark-gfm", TestRoot.CleanEnvironment()) is not null, "cmark-gfm is not installed");
        using var root = new TestRoot();
        WriteHostileRun(root);

        var (comment, summary, _) = await ReportAsync(root);

        foreach (var markdown in new[] { comment, summary })
        {
            var html = await CmarkGfmAsync(markdown, root.Path);
            var prose = Regex.Replace(html, @"<pre[\s\S]*?</pre>|<code>[\s\S]*?</code>", " ");
            var shown = WebUtility.HtmlDecode(Regex.Replace(prose, "<[^>]+>", " "));
            Assert.Contains("GH", shown, StringComparison.Ordinal);
            Assert.Empty(IssueReferences(shown));
        }
        // The model finds references when nothing defuses them.
        Assert.Equal(["#1", "filare/filare#2", "GH-3", "gh-4"], IssueReferences("see #1, filare/filare#2 and GH-3 or gh-4 (not a#5 nor x/y#z)"));
    }

    /// <summary>
    /// What GitHub links in rendered text: #N, owner/repo#N and GH-N, after a non-word character
    /// (a model of its reference filter, run on text outside code as GitHub does).
    /// </summary>
    private static IReadOnlyList<string> IssueReferences(string text) =>
        Regex.Matches(text, @"(?<![\w#/-])(?:[A-Za-z0-9][\w.-]*/[\w.-]+#\d+|#\d+|[Gg][Hh]-\d+)\b").Select(m => m.Value).ToList();

    private static async Task<string> CmarkGfmAsync(string markdown, string folder)
    {
        var input = Path.Combine(folder, "comment.md");
        await File.WriteAllTextAsync(input, markdown, TestContext.Current.CancellationToken);
        var cmark = ToolProcess.Which("cmark-gfm", TestRoot.CleanEnvironment())!;
        string[] arguments = ["-e", "table", "-e", "strikethrough", "-e", "autolink", input];
        var result = await ToolProcess.RunAsync(cmark, arguments, folder, TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        return result.StandardOutput;
    }

    [Fact]
    public async Task Workflow_commands_in_scenario_names_and_reasons_are_never_parsed_from_the_log()
    {
        using var root = new TestRoot();
        WriteHostileRun(root);

        var (_, _, log) = await ReportAsync(root);

        Assert.Contains("##[add-mask]", log, StringComparison.Ordinal);
        Assert.Empty(RunnerCommands(log));
        Assert.Matches(@"(?m)^::stop-commands::filare-perf-[0-9a-f]{32}$", log);
    }

    [Fact]
    public async Task PerfHistory_quotes_a_hostile_artifact_in_its_refusals_with_workflow_commands_suspended()
    {
        using var root = new TestRoot();
        WriteHostileRun(root);

        // The run's branch ("master" + hostile text) is refused, and the refusal quotes what the artifact claimed.
        var outcome = await root.RunAsync(new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_REPOSITORY"] = "filare/filare" },
            "PerfHistory", "--history-dir", "history", "--report-input", root.RunFolder("head"));

        // HistoryIntake already cleans and cuts what it quotes; the suspension is the second wall.
        Assert.Contains("cannot be filed", outcome.Output, StringComparison.Ordinal);
        Assert.Empty(RunnerCommands(outcome.Output));
        Assert.Matches(@"(?m)^::stop-commands::filare-perf-[0-9a-f]{32}$", outcome.Output);
    }

    [Fact]
    public void The_runner_model_does_see_commands_when_nothing_suspends_them()
    {
        // The check above can fail: the same text, unguarded, is read as commands.
        Assert.Equal(["error", "add-mask"], RunnerCommands("│ ##[add-mask]hunter2 │\n  ::error::pwned\n").Reverse());
        Assert.Empty(RunnerCommands($"::stop-commands::t1\n::error::x\n##[add-mask]y\n::t1::\n"));
        Assert.Equal(["error"], RunnerCommands($"::stop-commands::t1\n::t1::\n::error::x\n"));
    }

    /// <summary>
    /// The commands GitHub's runner would act on in a log: "::name" at the start of a line (after
    /// spaces) and "##[name" anywhere, except between ::stop-commands::TOKEN and ::TOKEN::.
    /// </summary>
    private static IEnumerable<string> RunnerCommands(string log)
    {
        string? stopped = null;
        var commands = new List<string>();
        foreach (var raw in log.Split('\n'))
        {
            var line = raw.TrimEnd('\r').TrimStart();
            if (stopped is not null)
            {
                if (line == $"::{stopped}::")
                {
                    stopped = null;
                }
                continue;
            }
            if (line.StartsWith("::stop-commands::", StringComparison.Ordinal))
            {
                stopped = line["::stop-commands::".Length..];
                continue;
            }
            if (V2().Match(line) is { Success: true } v2)
            {
                commands.Add(v2.Groups[1].Value);
            }
            commands.AddRange(V1().Matches(line).Select(m => m.Groups[1].Value));
        }
        return commands;
    }

    [Fact]
    public void Strings_read_from_metrics_json_are_cleaned_and_capped_once_for_every_renderer()
    {
        using var root = new TestRoot();
        WriteHostileRun(root);
        var file = Path.Combine(root.RunFolder("head"), RunMetrics.FileName);
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"pr-12 ", "\"" + new string('x', 10_000) + " ", StringComparison.Ordinal));

        var metrics = MetricsStore.Read(file);

        Assert.Equal(MetricsText.MaxLength + 1, metrics.RunLabel.Length);
        Assert.EndsWith("…", metrics.RunLabel, StringComparison.Ordinal);
        var scenario = metrics.Scenarios[0];
        Assert.DoesNotContain('\t', scenario.Name);
        Assert.DoesNotContain('\u202E', scenario.Name);
        Assert.Contains(MetricsText.Replacement, scenario.Name);
        // Line feeds stay (messages have lines); renderers flatten or fence them.
        Assert.Contains('\n', metrics.Scenarios[1].Message!);
    }

    private static string Text(Block block) => string.Concat(block.Descendants<LiteralInline>().Select(l => l.Content.ToString()));

    [GeneratedRegex(@"<\s*/?\s*([A-Za-z][A-Za-z0-9]*)")]
    private static partial Regex Tag();

    [GeneratedRegex(@"^::([A-Za-z-]+)")]
    private static partial Regex V2();

    [GeneratedRegex(@"##\[([A-Za-z-]+)")]
    private static partial Regex V1();
}
