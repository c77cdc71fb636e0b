using System.Text;
using Filare.Perf.Profilers;

namespace Filare.Perf.Results;

/// <summary>summary.md: the run's results as plain Markdown, readable in any viewer or a CI log.</summary>
public static class SummaryMarkdown
{
    public static string Render(RunMetrics metrics)
    {
        var text = new StringBuilder();
        var environment = metrics.Environment;
        text.AppendLine($"# Filare performance: {Escape(metrics.RunLabel)}");
        text.AppendLine();
        text.AppendLine($"- Filare: `{Escape(environment.FilareCommit ?? "not a git checkout")}`{(environment.FilareDirty == true ? " (uncommitted changes)" : "")}");
        text.AppendLine($"- Python: {Escape(environment.PythonImplementation)} {Escape(environment.PythonVersion)}");
        text.AppendLine($"- Machine: {Escape(environment.CpuModel)}, {environment.LogicalCpus} CPUs, {Format.Bytes(environment.MemoryBytes)}, {Escape(environment.Os)}");
        text.AppendLine($"- Started: {metrics.StartedAt:u}");
        text.AppendLine();
        text.AppendLine("| Scenario | Status | Runs | Runtime (median ± IQR/2) | Min | Max | CPU | Peak RSS | cProfile calls |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var scenario in metrics.Scenarios)
        {
            var s = scenario.Statistics;
            var calls = scenario.Profilers.FirstOrDefault(p => p.Tool == CProfile.Name)?.Calls?.TotalCalls;
            text.AppendLine(string.Join(" | ",
                "| " + Escape(scenario.Name),
                scenario.Status.ToString().ToLowerInvariant(),
                $"{scenario.Samples.Count}/{scenario.RunsPlanned}",
                s is null ? "-" : Format.Runtime(s.WallSeconds),
                s is null ? "-" : Format.Seconds(s.WallSeconds.Min),
                s is null ? "-" : Format.Seconds(s.WallSeconds.Max),
                s is null ? "-" : Format.Percent(s.CpuPercent.Median),
                s is null ? "-" : Format.Bytes(s.PeakRssBytes.Max),
                calls is null ? "-" : Format.Count(calls.Value)) + " |");
        }

        var problems = metrics.Scenarios.Where(s => s.Message is not null).ToList();
        if (problems.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("## Problems");
            text.AppendLine();
            foreach (var scenario in problems)
            {
                text.AppendLine($"- **{Escape(scenario.Name)}** ({scenario.Status.ToString().ToLowerInvariant()}):");
                text.AppendLine();
                text.AppendLine(Fence(scenario.Message!));
            }
        }

        var profiled = metrics.Scenarios.Where(s => s.Profilers.Count > 0).ToList();
        if (profiled.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("## Profilers");
            text.AppendLine();
            text.AppendLine("| Scenario | Tool | Status | Overhead | Artifacts |");
            text.AppendLine("|---|---|---|---:|---|");
            foreach (var scenario in profiled)
            {
                foreach (var run in scenario.Profilers)
                {
                    var links = string.Join(", ", run.Artifacts.Select(a => $"[{Escape(a.Kind)}]({Uri.EscapeDataString(a.Path).Replace("%2F", "/", StringComparison.Ordinal)})"));
                    var overhead = run.OverheadRatio is { } ratio ? $"{ratio:0.00}×" : "-";
                    text.AppendLine($"| {Escape(scenario.Name)} | {Escape(run.Tool)} | {Escape(run.StatusText)} | {overhead} | {links} |");
                }
            }
        }
        return text.ToString();
    }

    /// <summary>Scenario names and tool output are not ours: keep them from breaking the table or injecting HTML.</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ReplaceLineEndings(" "))
        {
            builder.Append(c switch
            {
                '|' => "\\|",
                '`' => "\\`",
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                '*' or '_' or '[' or ']' or '\\' => "\\" + c,
                _ => c.ToString(),
            });
        }
        return builder.ToString();
    }

    private static string Fence(string text)
    {
        var fence = "```";
        while (text.Contains(fence, StringComparison.Ordinal))
        {
            fence += "`";
        }
        return $"{fence}text\n{text}\n{fence}";
    }
}
