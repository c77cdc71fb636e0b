using System.Text;

namespace Filare.Perf.Reporting;

/// <summary>The short form's last line: where the full report and the files are.</summary>
public static class LinksSection
{
    public static void Write(ReportContext context, StringBuilder text)
    {
        var links = context.Links;
        var parts = new List<string>();
        var rest = context.Problems.Count > 0 ? "problems, profiles, chart and hotspots" : "profiles, chart and hotspots";
        parts.Add(links.RunUrl is { } url
            ? $"Full report ({rest}): {Markdown.Link("job summary", url)}"
            : $"Full report ({rest}): the job summary, and summary.md in the perf-metrics artifact");
        if (links.Artifacts.Count > 0)
        {
            parts.Add("artifacts: "
                + string.Join(", ", links.Artifacts.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => Markdown.Link(a.Key, a.Value))));
        }
        text.AppendLine(string.Join(" · ", parts));
    }
}
