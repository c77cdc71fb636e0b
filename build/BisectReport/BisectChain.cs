using System.Text.Json;
using Filare.Perf.Actions;
using Filare.Perf.Bisect;
using Filare.Perf.GitHub;
using Filare.Perf.History;
using Filare.Perf.Trend;
using Spectre.Console;

namespace Filare.Perf.BisectReport;

/// <summary>What the nightly chain's two GitHub-facing steps need.</summary>
/// <param name="TrackingIssue">The configured tracking issue; null: the oldest open issue
/// labelled perf-regression, created by the comment step when there is none.</param>
public sealed record BisectChainOptions(IGitHub GitHub, int? TrackingIssue, IReadOnlyDictionary<string, string> Environment);

/// <summary>
/// The nightly chain around PerfBisect. Plan (read-only, after the history job): the newest change
/// point of each series whose key the tracking comment does not hold becomes a bisection, given to the
/// bisect job as a step output. Comment (issues: write, never runs Filare): the bisection's result, read
/// from its artifact as data, becomes a section of the one tracking comment, updated in place.
/// </summary>
public sealed class BisectChain(BisectChainOptions options, IAnsiConsole console)
{
    public async Task<IReadOnlyList<PlannedBisection>> PlanAsync(string historyDir, TrendSettings settings, int limit)
    {
        var folder = new HistoryFolder(historyDir);
        var records = folder.Branches().SelectMany(b => folder.Read(b).Records.Where(r => r.Branch == b)).ToList();
        var trend = TrendAnalyzer.Analyze(records, settings);
        var issue = await IssueAsync(create: false).ConfigureAwait(false);
        var done = issue is { } number
            ? BisectTracking.Keys(BisectTracking.Find(await options.GitHub.Comments.ListAsync(number).ConfigureAwait(false))?.Body)
            : new HashSet<string>();
        var planned = BisectTracking.Plan(trend, done, limit);
        foreach (var plan in planned)
        {
            console.MarkupLine($"New change point: {Markup.Escape(plan.Key)}: bisecting");
        }
        if (planned.Count == 0)
        {
            console.MarkupLine($"No new change point ({done.Count} already bisected)");
        }
        if (options.Environment.GetValueOrDefault("GITHUB_OUTPUT") is { Length: > 0 } output)
        {
            StepOutputs.Append(output,
                [("bisections", OutputJson(planned)), ("count", planned.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        }
        return planned;
    }

    /// <summary>The step output the bisect job's matrix is made of (perf.yml: <c>matrix.bisection.*</c>).</summary>
    public static string OutputJson(IEnumerable<PlannedBisection> planned) => JsonSerializer.Serialize(
        planned.Select(p =>
            new { p.Key, p.Branch, p.Scenario, p.Good, p.Bad, Artifact = p.Key.Replace('/', '-').Replace("..", "-", StringComparison.Ordinal) }),
        s_json);

    /// <summary>Adds (or replaces) this bisection's section in the tracking comment; returns the issue number.</summary>
    public async Task<int> CommentAsync(PlannedBisection planned, string? resultsFolder, string? runUrl)
    {
        BisectResult? result = null;
        string? failure = null;
        var file = resultsFolder is not null && Directory.Exists(resultsFolder)
            ? Directory.EnumerateFiles(resultsFolder, BisectResult.JsonFile, SearchOption.AllDirectories).Order(StringComparer.Ordinal).FirstOrDefault()
            : null;
        try
        {
            result = file is null ? null : BisectSession.Read(file);
            failure = file is null ? $"no {BisectResult.JsonFile} in the bisection's artifact" : null;
        }
        catch (Exception e) when (e is JsonException or Checkout.FilareException or IOException)
        {
            failure = $"{BisectResult.JsonFile} could not be read: {e.Message}";
        }
        var issue = await IssueAsync(create: true).ConfigureAwait(false) ?? throw new InvalidOperationException("no tracking issue");
        var comments = await options.GitHub.Comments.ListAsync(issue).ConfigureAwait(false);
        var existing = BisectTracking.Find(comments);
        var body = BisectTracking.Update(existing?.Body, planned.Key, BisectTracking.Render(planned, result, runUrl, failure));
        if (existing is null)
        {
            await options.GitHub.Comments.PostAsync(issue, body).ConfigureAwait(false);
        }
        else
        {
            await options.GitHub.Comments.UpdateAsync(existing.Id, body).ConfigureAwait(false);
        }
        console.MarkupLine($"Tracking issue #{issue}: {(existing is null ? "commented" : "comment updated")} ({Markup.Escape(planned.Key)})");
        return issue;
    }

    private async Task<int?> IssueAsync(bool create)
    {
        if (options.TrackingIssue is { } configured)
        {
            return configured;
        }
        if (await options.GitHub.Issues.FindOpenAsync(BisectTracking.Label).ConfigureAwait(false) is { } found)
        {
            return found;
        }
        return create
            ? await options.GitHub.Issues.CreateAsync(BisectTracking.Title,
                "Filare.Perf bisects each new change point of the nightly history (beta, master) and reports " +
                    "the culprit here, in one comment updated in place. See docs/performance/bisect.md.",
                BisectTracking.Label).ConfigureAwait(false)
            : null;
    }

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
}
