using System.Text;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>How many interleaved pairs each scenario of a compare run took, and why it stopped there (adaptive pairs).</summary>
public static class PairsSection
{
    public static void Append(StringBuilder text, RunMetrics metrics)
    {
        var stops = metrics.Scenarios.Where(s => s.Adaptive is not null).Select(s => (s.Name, Stop: s.Adaptive!)).ToList();
        if (stops.Count == 0)
        {
            return;
        }
        var lines = stops.Select(s => $"{Markdown.Escape(s.Name)} {s.Stop.Pairs} of " +
            $"{s.Stop.MinimumPairs}–{s.Stop.MaximumPairs} ({Reason(s.Stop.Reason)}: {Markdown.Escape(s.Stop.Why)})");
        text.AppendLine($"<sub>**Pairs** {string.Join(" · ", lines)}</sub>");
        text.AppendLine();
    }

    private static string Reason(StopReason reason) => reason switch
    {
        StopReason.Decided => "decided",
        StopReason.MaxRuns => "max runs",
        StopReason.TimeBudget => "time budget",
        StopReason.WorkDecided => "work decided",
        _ => "a side failed",
    };
}
