using System.Text.RegularExpressions;
using System.Text;
using Filare.Perf.Bisect;
using Filare.Perf.Git;
using Filare.Perf.GitHub;
using Filare.Perf.Reporting;
using Filare.Perf.Trend;

namespace Filare.Perf.BisectReport;

/// <summary>A change point of the nightly history to bisect: its key (branch, scenario, commit range), and the range.</summary>
public sealed record PlannedBisection(string Key, string Branch, string Scenario, string Good, string Bad);

/// <summary>
/// The nightly chain's memory and voice: one comment on one tracking issue (labelled
/// <see cref="Label"/>), updated in place. The comment carries the keys of the change points already
/// bisected (a hidden line), so a change point is bisected once, however many nights it stays in
/// the history; the result of each is a section of that comment, newest first.
/// </summary>
public static partial class BisectTracking
{
    public const string Label = "perf-regression";
    public const string Title = "Performance regressions on the nightly branches (bisected)";
    public const string Marker = "<!-- filare-perf-bisect -->";
    private const string KeysPrefix = "<!-- filare-perf-bisect-keys:";
    private const string SectionsStart = "<!-- filare-perf-bisect-sections -->";

    /// <summary>The newest change point of each series whose key the comment does not hold yet, at most <paramref name="limit"/>, newest first.</summary>
    public static IReadOnlyList<PlannedBisection> Plan(TrendResult trend, IReadOnlySet<string> done, int limit) =>
        [.. trend.Series
            .Where(s => s.ChangePoints.Count > 0)
            .Select(s => (Series: s, Point: s.ChangePoints.MaxBy(c => c.After)!))
            .Select(p => (p.Series.Points[p.Point.After].Date, Plan: new PlannedBisection(
                Key(p.Series.Branch, p.Series.Scenario, p.Series.Points[p.Point.Before].Commit, p.Series.Points[p.Point.After].Commit),
                p.Series.Branch, p.Series.Scenario, p.Series.Points[p.Point.Before].Commit, p.Series.Points[p.Point.After].Commit)))
            .Where(p => !done.Contains(p.Plan.Key) && CommitSha.IsFull(p.Plan.Good) && CommitSha.IsFull(p.Plan.Bad) && p.Plan.Good != p.Plan.Bad)
            .OrderByDescending(p => p.Date)
            .Select(p => p.Plan)
            .Take(limit)];

    public static string Key(string branch, string scenario, string good, string bad) =>
        $"{Safe(branch)}/{Safe(scenario)}/{ShortSha.Of(good, ShortSha.InPath)}..{ShortSha.Of(bad, ShortSha.InPath)}";

    /// <summary>The tracking comment among an issue's comments: ours (the marker at its start), by a bot.</summary>
    public static IssueCommentInfo? Find(IReadOnlyList<IssueCommentInfo> comments) =>
        comments.FirstOrDefault(c => c.Body?.StartsWith(Marker, StringComparison.Ordinal) == true);

    /// <summary>The keys a tracking comment holds.</summary>
    public static IReadOnlySet<string> Keys(string? body) =>
        body is null ? new HashSet<string>() : KeysLine().Match(body) is { Success: true } match
            ? match.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>();

    /// <summary>The comment with this bisection's section added (or replaced, same key) at the top and its key recorded.</summary>
    public static string Update(string? body, string key, string section)
    {
        var keys = Keys(body).Append(key).Distinct().Order(StringComparer.Ordinal).ToList();
        var sections = body is null ? [] : SectionBlock().Matches(body).Select(m => (Key: m.Groups[1].Value, Text: m.Value)).Where(s => s.Key != key).ToList();
        var text = new StringBuilder(Marker).Append('\n').Append(KeysPrefix).Append(' ').Append(string.Join(' ', keys)).Append(" -->\n");
        text.Append("## Performance regressions, bisected\n\nOne section per change point " +
            "of the nightly history, newest first; this comment is updated in place.\n\n");
        text.Append(SectionsStart).Append('\n');
        text.Append(Section(key, section));
        foreach (var (_, old) in sections)
        {
            text.Append(old.TrimEnd('\n')).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>One bisection's section: its change point, then bisect.md's culprits (the rest is in the job summary and the artifact).</summary>
    public static string Render(PlannedBisection planned, BisectResult? result, string? runUrl, string? failure)
    {
        var text = new StringBuilder();
        text.Append("### ")
            .Append(Markdown.Escape($"{planned.Branch} · {planned.Scenario}: " +
                $"{ShortSha.Of(planned.Good, ShortSha.InReport)}..{ShortSha.Of(planned.Bad, ShortSha.InReport)}")).Append("\n\n");
        if (result is null)
        {
            text.Append("The bisection did not finish: ").Append(Markdown.Escape(failure ?? "no bisect.json")).Append('\n');
        }
        else
        {
            var markdown = BisectMarkdown.Render(result);
            var end = markdown.IndexOf("### Commits tested", StringComparison.Ordinal);
            var cost = result.Cost;
            text.Append(end < 0 ? markdown : markdown[..end])
                .Append(CultureInfo($"Cost: {cost.CountedRuns} counted runs, {cost.CommitsMeasured} of {cost.CommitsInRange} commits measured.\n"));
        }
        if (runUrl is not null)
        {
            text.Append('\n').Append(Markdown.Link("The bisection's run (bisect.md in its summary, bisect.json in its artifact)", runUrl)).Append('\n');
        }
        return text.ToString();
    }

    private static string Section(string key, string body) => $"<!-- section {key} -->\n{body.TrimEnd('\n')}\n<!-- end {key} -->\n";

    private static string CultureInfo(FormattableString text) => text.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Safe(string text) => new([.. text.Take(80).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);

    [GeneratedRegex(@"<!-- filare-perf-bisect-keys:([^>]*)-->")]
    private static partial Regex KeysLine();

    [GeneratedRegex(@"<!-- section (\S+) -->\n.*?<!-- end \1 -->\n?", RegexOptions.Singleline)]
    private static partial Regex SectionBlock();
}
