using System.Text;
using Filare.Perf.Actions;
using Filare.Perf.Analysis;
using Filare.Perf.Comparison;
using Filare.Perf.GitHub;
using Filare.Perf.Reporting;
using Filare.Perf.Results;
using Filare.Perf.Storage;
using Spectre.Console;

namespace Filare.Perf.Publishing;

public sealed record ReportOptions(
    string Input,
    BaselineChoice Baseline,
    string? BaselineBranch,
    int? PullRequest,
    long? CommentId,
    long? SourceRun,
    string WorkflowFile,
    ComparisonSettings Comparison,
    IReadOnlyDictionary<string, string> Environment,
    Trend.BaseTrendSource? History = null,
    string Label = "run-perf");

/// <summary>
/// PerfReport: finds the runs under the input, compares each with its baseline, renders the report
/// into the job summary (or report.md), and on a pull request keeps one sticky comment up to date.
/// It reports its own problems in the report and never fails the job.
/// </summary>
public sealed class PerfReporter(ReportOptions options, IAnsiConsole console, GitHubReport? github)
{
    /// <summary>GitHub refuses comments over 65,536 characters.</summary>
    public const int CommentLimit = 65_000;

    /// <summary>The base branch's history, fetched at most once per report.</summary>
    private Trend.BaseTrendSource? _history;

    /// <summary>Whether the PR commented on is a fork's, when the feedback check already learned it.</summary>
    private bool? _fork;

    public async Task PublishAsync(CancellationToken cancellation)
    {
        // Everything printed from here on holds text from metrics.json, which a PR's code wrote.
        using var commands = WorkflowCommands.Suspend(console, options.Environment);
        var notes = new List<string>();
        var files = MetricsFiles();
        var runId = options.SourceRun ?? (long.TryParse(options.Environment.GetValueOrDefault("GITHUB_RUN_ID"), out var id) ? id : (long?)null);
        var links = await LinksAsync(runId, notes).ConfigureAwait(false);

        var reports = new List<string>();
        // The PR comment is the short form of the same reports: headline, verdicts, links.
        var comments = new List<string>();
        var allOk = files.Count > 0;
        var pullRequest = options.PullRequest;
        // Shards of one run (one matrix target) become one report: one headline, one verdict table.
        var found = ReadRuns(files, notes);
        allOk &= found.Count == files.Count;
        foreach (var run in ShardMerge.Group(found))
        {
            notes.AddRange(ShardMerge.Problems(run));
            var reported = await ReportAsync(run, links, runId, pullRequest, notes, cancellation).ConfigureAwait(false);
            allOk &= reported.AllOk;
            pullRequest = reported.PullRequest;
            if (reported.Input is { } input)
            {
                reports.Add(ReportMarkdown.Render(input));
                comments.Add(ReportMarkdown.RenderComment(input));
                ConsoleReport.Write(console, input.Analysis);
            }
        }
        if (files.Count == 0)
        {
            reports.Add($"## Filare performance\n\nNo {RunMetrics.FileName} was found under " +
                $"{Markdown.Code(options.Input)}: the profiling job produced no results; its log says why.\n");
            comments.Add(reports[^1]);
        }
        await FeedbackAsync(pullRequest, string.Join("\n", comments), allOk, links, notes).ConfigureAwait(false);
        Write(JobSummary.Truncate(WithNotes(string.Join("\n", reports), notes), JobSummary.StepSummaryLimit));
    }

    private FeedbackAuthorization Authorization(GitHubReport report) =>
        report.Authorization(options.WorkflowFile, options.Label, options.Environment.GetValueOrDefault("GITHUB_REF_NAME"));

    private List<string> MetricsFiles() =>
        File.Exists(options.Input) ? [options.Input]
        : Directory.Exists(options.Input)
            ? Directory.EnumerateFiles(options.Input, RunMetrics.FileName, SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
        : [];

    private async Task<ReportLinks> LinksAsync(long? runId, List<string> notes)
    {
        if (github is null || runId is not { } run)
        {
            return ReportLinks.None;
        }
        var (artifacts, problem) = await github.ArtifactLinksAsync(run).ConfigureAwait(false);
        AddNote(notes, problem);
        return new ReportLinks(github.RunUrl(run), artifacts);
    }

    /// <summary>One reported run: its report input (null when its metrics are unreadable), whether it all went well, and the PR it belongs to.</summary>
    private sealed record ReportedRun(ReportInput? Input, bool AllOk, int? PullRequest);

    /// <summary>Every metrics.json under the input that can be read, with the artifact suffix of the folder it came in.</summary>
    private List<FoundRun> ReadRuns(IReadOnlyList<string> files, List<string> notes)
    {
        var runs = new List<FoundRun>();
        foreach (var file in files)
        {
            try
            {
                // Matrix runs (nightly targets, shards) upload perf-<scenario><suffix>: the suffix is in the folder the metrics came in.
                var suffix = ArtifactNames.SuffixOf(Path.GetRelativePath(options.Input, file).Split(Path.DirectorySeparatorChar)[0]);
                runs.Add(new FoundRun(file, suffix, MetricsStore.Read(file)));
            }
            catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidDataException or NotSupportedException)
            {
                // Artifacts come from untrusted code: a broken file is reported, never trusted.
                notes.Add($"{Path.GetFileName(Path.GetDirectoryName(file))}: unreadable metrics ({e.Message})");
            }
        }
        return runs;
    }

    private async Task<ReportedRun> ReportAsync(MergedRun run, ReportLinks links, long? runId, int? pullRequest, List<string> notes,
        CancellationToken cancellation)
    {
        var current = run.Metrics;
        // The feedback workflow (another run's artifacts) learns its PR from the metrics, and comments only when a maintainer asked.
        if (pullRequest is null && options.SourceRun is { } source && github is not null && current.Environment.Ci?.PullRequest is { } claimed)
        {
            var (target, refusal) = await Authorization(github).VerifyAsync(claimed, source, current.Environment.FilareCommit).ConfigureAwait(false);
            AddNote(notes, refusal);
            pullRequest = target?.PullRequest;
            _fork = target?.Fork;
        }
        var (baseline, problem) = await BaselineAsync(current, runId).ConfigureAwait(false);
        var folder = run.Shards.Count == 0 ? Path.GetDirectoryName(run.File)! : MergedFolder.Create(run.Shards);
        RunAnalysis analysis;
        try
        {
            analysis = RunAnalysis.Of(await AnalysisInputAsync(current, folder, baseline, problem, notes, cancellation).ConfigureAwait(false));
        }
        finally
        {
            if (run.Shards.Count > 0)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        var allOk = current.Scenarios.All(s => s.Status is ScenarioStatus.Ok or ScenarioStatus.Skipped);
        var runLinks = links with
        {
            Suffix = run.Suffix,
            ScenarioSuffixes = run.Shards.SelectMany(s => s.Metrics.Scenarios.Select(x => (x.Name, s.ArtifactSuffix)))
                .GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().ArtifactSuffix, StringComparer.Ordinal),
        };
        runLinks = runLinks with { Timeline = await TimelineAsync(run, runId).ConfigureAwait(false) ?? TimeToVerdictLine.FromShards(current) };
        return new ReportedRun(new ReportInput(analysis, runLinks, Trigger(current)), allOk, pullRequest);
    }

    /// <summary>The Time to verdict from GitHub's job timings, up to now (the comment is posted next); null off GitHub or when the API cannot say.</summary>
    private async Task<VerdictTimeline?> TimelineAsync(MergedRun run, long? runId) =>
        github is not null && runId is { } id && options.SourceRun is null && await github.TimingsAsync(id).ConfigureAwait(false) is ({ } trigger, { } jobs)
            ? VerdictTimes.From(trigger, jobs, run, DateTimeOffset.UtcNow)
            : null;

    /// <summary>The sticky PR comment and the reaction on a /run-perf comment.</summary>
    private async Task FeedbackAsync(int? pullRequest, string comments, bool allOk, ReportLinks links, List<string> notes)
    {
        if (github is not null && pullRequest is { } pr)
        {
            var fork = _fork;
            if (fork is null)
            {
                (var known, var problem) = await Authorization(github).IsForkAsync(pr).ConfigureAwait(false);
                AddNote(notes, problem);
                fork = known;
            }
            // A fork's PR: the first line says whose code produced the numbers.
            var forkLine = fork == true ? FeedbackAuthorization.ForkLine + "\n\n" : "";
            var comment = forkLine + ReportMarkdown.CommentMarker + "\n" + Cut(comments, CommentLimit, links.RunUrl);
            AddNote(notes, await github.UpsertStickyCommentAsync(pr, comment).ConfigureAwait(false));
        }
        if (github is not null && options.CommentId is { } commentId)
        {
            AddNote(notes, await github.ReactAsync(commentId, allOk ? Reaction.Rocket : Reaction.Confused).ConfigureAwait(false));
        }
        if (github is null && (pullRequest is not null || options.CommentId is not null))
        {
            notes.Add("no PR feedback: GITHUB_TOKEN or GITHUB_REPOSITORY is not set");
        }
    }

    private string WithNotes(string body, IReadOnlyList<string> notes)
    {
        var text = new StringBuilder(body);
        if (notes.Count > 0)
        {
            text.AppendLine().AppendLine("<details><summary>Report notes</summary>").AppendLine();
            foreach (var note in notes)
            {
                text.AppendLine($"- {Markdown.Escape(note)}");
                console.MarkupLine($"[yellow]{Markup.Escape(note)}[/]");
            }
            text.AppendLine().AppendLine("</details>");
        }
        return text.ToString();
    }

    private void Write(string markdown)
    {
        if (options.Environment.GetValueOrDefault("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary)
        {
            File.AppendAllText(summary, markdown);
            console.MarkupLine($"Job summary written ({Encoding.UTF8.GetByteCount(markdown)} bytes).");
            return;
        }
        var folder = Directory.Exists(options.Input) ? options.Input : Path.GetDirectoryName(Path.GetFullPath(options.Input))!;
        var target = Path.Combine(folder, "report.md");
        AtomicFile.WriteAllText(target, markdown);
        console.MarkupLine($"Report: [cyan]{Markup.Escape(target)}[/]");
    }

    /// <summary>The baseline and the hotspot diffs read from the captures: the files and processes an analysis needs, read first.</summary>
    private async Task<AnalysisInput> AnalysisInputAsync(RunMetrics current, string folder, BaselineRun? baseline, string? problem, List<string> notes,
        CancellationToken cancellation)
    {
        var sinceBaseline = baseline is { Folder: { } baselineFolder }
            ? await HotspotEvidence.SinceBaselineAsync(current, folder, baseline.Metrics, baselineFolder, options.Environment, notes, cancellation)
            .ConfigureAwait(false)
            : [];
        var betweenSides = await HotspotEvidence.BetweenSidesAsync(current, folder, options.Environment, notes, cancellation).ConfigureAwait(false);
        _history ??= options.History is { } source ? await source.ResolveAsync(notes, cancellation).ConfigureAwait(false) : null;
        var baseTrend = _history?.Load(BaseBranch(current), notes);
        return new AnalysisInput(current, options.Comparison, baseline, problem, betweenSides, sinceBaseline, baseTrend,
            ProfileEvidence.BetweenSides(current, folder, notes));
    }

    private async Task<(BaselineRun? Baseline, string? Problem)> BaselineAsync(RunMetrics current, long? runId)
    {
        switch (options.Baseline.Kind)
        {
            case BaselineKind.None:
                return (null, null);
            case BaselineKind.Previous when github is null || runId is null:
                return (null,
                    "--baseline previous looks for the last successful run on GitHub, and GITHUB_REPOSITORY, GITHUB_TOKEN or GITHUB_RUN_ID is not set");
            case BaselineKind.Previous:
                var branch = BaseBranch(current);
                var folder = Path.Combine(Path.GetTempPath(), $"filare-perf-baseline-{Guid.NewGuid():N}");
                var (metrics, origin, problem) = await github!.PreviousAsync(options.WorkflowFile, branch, runId.Value, folder).ConfigureAwait(false);
                // A sharded previous run is one folder per shard: its captures (hotspots) come from all of them.
                var metricsFolder = metrics is null
                    ? null
                    : MergedFolder.ForBaseline(folder,
                        Directory.EnumerateFiles(folder, RunMetrics.FileName, SearchOption.AllDirectories).Order(StringComparer.Ordinal).First());
                return (metrics is null ? null : new BaselineRun(metrics, origin, metricsFolder), problem);
            default:
                var (local, localOrigin, localProblem) = BaselineSource.FromPath(options.Baseline.Path!);
                var localFolder = local is null ? null : MergedFolder.ForBaseline(options.Baseline.Path!, localOrigin);
                return (local is null ? null : new BaselineRun(local, localOrigin, localFolder), localProblem);
        }
    }

    /// <summary>The branch a run is judged against: the gate's (a PR's base), else the run's own, else master.</summary>
    private string BaseBranch(RunMetrics current) =>
        options.BaselineBranch is { Length: > 0 } configured ? configured
        : current.Environment.FilareBranch is { Length: > 0 } and not "HEAD" ? current.Environment.FilareBranch
        : "master";

    private string? Trigger(RunMetrics current) => current.Environment.Ci is { } ci
        ? $"{ci.EventName}{(options.PullRequest is { } pr ? $" #{pr}" : "")}"
        : null;

    private static string Cut(string markdown, int limit, string? runUrl)
    {
        if (markdown.Length <= limit)
        {
            return markdown;
        }
        var note = $"\n\n> Cut to fit a comment; the whole report is in the {(runUrl is null ? "job summary" : $"[job summary]({runUrl})")}.\n";
        var cut = markdown[..(limit - note.Length)];
        return cut[..Math.Max(0, cut.LastIndexOf('\n'))] + note;
    }

    private static void AddNote(List<string> notes, string? note)
    {
        if (note is not null)
        {
            notes.Add(note);
        }
    }
}
