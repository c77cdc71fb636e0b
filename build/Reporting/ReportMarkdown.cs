using System.Text;
using Filare.Perf.Analysis;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>Where a reviewer can download what the report mentions; empty outside GitHub.</summary>
/// <param name="Suffix">The matrix suffix of the reported run's artifacts (<see cref="ArtifactNames"/>).</param>
public sealed record ReportLinks(string? RunUrl, IReadOnlyDictionary<string, string> Artifacts, string Suffix = "")
{
    /// <summary>A merged run's scenarios came in their shards' artifacts: scenario → that artifact suffix (else <see cref="Suffix"/>).</summary>
    public IReadOnlyDictionary<string, string> ScenarioSuffixes { get; init; } = new Dictionary<string, string>();

    /// <summary>How long the reviewer waited, stage by stage (GitHub's job timings, else a merged run's own); null: not shown.</summary>
    public VerdictTimeline? Timeline { get; init; }

    public static readonly ReportLinks None = new(null, new Dictionary<string, string>());

    /// <summary>The download of a scenario's artifact from this run, if there is one.</summary>
    public string? ScenarioArtifact(string scenario) =>
        Artifacts.GetValueOrDefault(ArtifactNames.Scenario(scenario, ScenarioSuffixes.GetValueOrDefault(scenario, Suffix)));
}

/// <summary>
/// Everything one report shows: the run's analysis (verdicts, noise floors, caveats, hotspot diffs),
/// where its files can be downloaded, and what triggered it.
/// </summary>
public sealed record ReportInput(
    RunAnalysis Analysis,
    ReportLinks? Links = null,
    string? Trigger = null);

/// <summary>
/// The report as Markdown, section by section: the headline and what was compared first, then the
/// verdict to act on (the same-runner A/B, else the stored baseline), then profilers, chart,
/// hotspots, top functions, problems and method. summary.md and the job summary are the full form;
/// the sticky PR comment is the short one, read in ten seconds: headline, the one verdict table,
/// what makes the sides unlike, links to the rest (docs/performance/report.md).
/// </summary>
public static class ReportMarkdown
{
    public const string CommentMarker = "<!-- filare-perf-report -->";

    private static readonly Action<ReportContext, StringBuilder>[] s_full =
    [
        HeaderSection.Write, VerdictSection.Write, CompareSection.Write, BaselineSection.Write, ShardsSection.Write, StorageSection.Write, BaseTrend,
        Instructions,
        WhereMemoryWent.Write, ProfilersSection.Write, ChartSection.Write,
        HotspotsSection.Write, WhereTime, TopFunctionsSection.Write, ProblemsSection.Write, MethodSection.Write,
    ];

    private static readonly Action<ReportContext, StringBuilder>[] s_comment =
    [
        HeaderSection.Write, VerdictSection.Write, CompareSection.Caveats, LeadingBaseline, ShardsSection.Write, StorageSection.Write, BaseTrend,
        WhereMemoryWent.WriteCompact, LinksSection.Write,
    ];

    public static string Render(ReportInput input) => Render(ReportContext.Of(input), s_full);

    /// <summary>The short form for a PR comment, read at 780 px.</summary>
    public static string RenderComment(ReportInput input) => Render(ReportContext.Of(input), s_comment);

    private static string Render(ReportContext context, IEnumerable<Action<ReportContext, StringBuilder>> sections)
    {
        var text = new StringBuilder();
        foreach (var section in sections)
        {
            section(context, text);
        }
        return text.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>The base branch's trend line (docs/performance/history.md), when its history is known.</summary>
    private static void BaseTrend(ReportContext context, StringBuilder text)
    {
        if (TrendContextLine.Render(context.Analysis) is { } line)
        {
            text.AppendLine(line).AppendLine();
        }
    }

    private static void Instructions(ReportContext context, StringBuilder text) => InstructionsSection.Append(text, context.Analysis);

    private static void WhereTime(ReportContext context, StringBuilder text) => WhereTimeWent.Append(text, context.Analysis);

    /// <summary>In the comment the stored baseline appears only when it is the verdict.</summary>
    private static void LeadingBaseline(ReportContext context, StringBuilder text)
    {
        if (!context.Compared)
        {
            BaselineSection.Write(context, text);
        }
    }
}
