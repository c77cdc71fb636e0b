using System.Text;
using Filare.Perf.Storage;
using Spectre.Console;

namespace Filare.Perf.Results;

/// <summary>
/// The report a reviewer reads: every metrics.json found under the input, as Markdown, in the
/// GitHub job summary when there is one. GitHub caps a step summary at 1 MiB, so longer text is
/// cut with a note. Problems are reported in the summary, never as a failed job.
/// </summary>
public static class JobSummary
{
    public const int StepSummaryLimit = 1024 * 1024;

    public static void Publish(string input, string? stepSummary, IAnsiConsole console)
    {
        var files = File.Exists(input) ? [input]
            : Directory.Exists(input) ? Directory.EnumerateFiles(input, RunMetrics.FileName, SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [];
        var text = new StringBuilder();
        if (files.Count == 0)
        {
            text.AppendLine("# Filare performance").AppendLine().AppendLine($"No {RunMetrics.FileName} was found under `{Reporting.Markdown.Escape(input)}`: the profiling job produced no results (see its log).");
        }
        foreach (var file in files)
        {
            try
            {
                var metrics = MetricsStore.Read(file);
                text.AppendLine(Reporting.ReportMarkdown.Render(new Reporting.ReportInput(metrics)));
                ConsoleReport.Write(console, metrics);
            }
            catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidDataException or NotSupportedException)
            {
                // Artifacts come from untrusted code: a broken file is reported, not trusted or fatal.
                text.AppendLine($"- `{Reporting.Markdown.Escape(Path.GetFileName(Path.GetDirectoryName(file) ?? file))}`: unreadable metrics ({Reporting.Markdown.Escape(e.Message)})");
            }
        }
        var markdown = Truncate(text.ToString(), StepSummaryLimit);
        if (stepSummary is { Length: > 0 })
        {
            File.AppendAllText(stepSummary, markdown);
            console.MarkupLine($"Job summary written ({Encoding.UTF8.GetByteCount(markdown)} bytes).");
        }
        else
        {
            var target = Path.Combine(Directory.Exists(input) ? input : Path.GetDirectoryName(input) ?? ".", "report.md");
            AtomicFile.WriteAllText(target, markdown);
            console.MarkupLine($"Report: [cyan]{Markup.Escape(target)}[/]");
        }
    }

    public static string Truncate(string markdown, int limitBytes)
    {
        if (Encoding.UTF8.GetByteCount(markdown) <= limitBytes)
        {
            return markdown;
        }
        const string note = "\n\n> The report was cut here: GitHub limits a job summary to 1 MiB. The full text is in the perf-metrics artifact (summary.md).\n";
        var budget = limitBytes - Encoding.UTF8.GetByteCount(note);
        var builder = new StringBuilder();
        var used = 0;
        foreach (var line in markdown.Split('\n'))
        {
            var size = Encoding.UTF8.GetByteCount(line) + 1;
            if (used + size > budget)
            {
                break;
            }
            builder.Append(line).Append('\n');
            used += size;
        }
        return builder + note;
    }
}
