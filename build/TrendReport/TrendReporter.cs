using System.Globalization;
using Filare.Perf.Actions;
using Filare.Perf.Git;
using Filare.Perf.History;
using Filare.Perf.Results;
using Filare.Perf.Storage;
using Filare.Perf.Trend;
using Spectre.Console;

namespace Filare.Perf.TrendReport;

/// <summary>
/// Where PerfTrend reads: a history folder (<c>&lt;branch&gt;/history.jsonl</c>, e.g. the history branch
/// checked out), or, with <paramref name="RunsFolder"/>, a folder of run folders turned into records
/// on the fly. trend.md is written into the folder read.
/// </summary>
public sealed record TrendOptions(string HistoryDir, string? RunsFolder, HistorySource Source, TrendSettings Settings,
    IReadOnlyDictionary<string, string> Environment);

/// <summary>PerfTrend: the analysis, then trend.md, the console table, and on GitHub the job summary.</summary>
public sealed class TrendReporter(TrendOptions options, IAnsiConsole console)
{
    public TrendResult Publish()
    {
        // Scenario names and warnings come from history records, which came from artifacts.
        using var commands = WorkflowCommands.Suspend(console, options.Environment);
        var (records, warnings) = Read();
        // The history job's entry for one branch summarises that branch; locally every branch is shown.
        if (options.Source.Branch is { } branch)
        {
            records = [.. records.Where(r => r.Branch == branch)];
        }
        var result = TrendAnalyzer.Analyze(records, options.Settings, warnings);
        var markdown = TrendMarkdown.Render(result);
        var folder = options.RunsFolder ?? options.HistoryDir;
        var file = Path.Combine(folder, TrendMarkdown.FileName);
        AtomicFile.WriteAllText(file, markdown);
        if (options.Environment.GetValueOrDefault("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary)
        {
            File.AppendAllText(summary, JobSummary.Truncate(markdown, JobSummary.StepSummaryLimit));
        }
        foreach (var warning in warnings)
        {
            console.MarkupLine($"[yellow]warning: {Markup.Escape(warning)}[/]");
        }
        Write(result);
        console.MarkupLine($"Trend: [cyan]{Markup.Escape(file)}[/]");
        return result;
    }

    private (IReadOnlyList<HistoryRecord> Records, IReadOnlyList<string> Warnings) Read()
    {
        if (options.RunsFolder is { } runs)
        {
            var files = Directory.Exists(runs)
                ? Directory.EnumerateFiles(runs, RunMetrics.FileName, SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
                : [];
            if (files.Count == 0)
            {
                throw new HistoryInputException($"--report-input: no {RunMetrics.FileName} under {runs}.");
            }
            return HistoryIntake.Read(files, options.Source);
        }
        var folder = new HistoryFolder(options.HistoryDir);
        var branches = folder.Branches();
        if (branches.Count == 0)
        {
            throw new HistoryInputException($"--history-dir: no <branch>/{HistoryRecord.FileName} under " +
                $"{options.HistoryDir}; PerfHistory writes them (or check out the history branch there).");
        }
        var records = new List<HistoryRecord>();
        var warnings = new List<string>();
        foreach (var branch in branches)
        {
            var content = folder.Read(branch);
            records.AddRange(content.Records.Where(r => r.Branch == branch));
            warnings.AddRange(content.Warnings);
            if (content.Records.Any(r => r.Branch != branch))
            {
                warnings.Add($"{folder.FileOf(branch)}: records of other branches left out");
            }
        }
        return (records, warnings);
    }

    private void Write(TrendResult result)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("Branch").AddColumn("Scenario").AddColumn(new TableColumn("Nights").RightAligned()).AddColumn(new TableColumn("Latest").RightAligned())
            .AddColumn("Change points").AddColumn("Drift").AddColumn("Runner changes");
        foreach (var series in result.Series)
        {
            var changes = series.ChangePoints.Select(c => string.Create(CultureInfo.InvariantCulture,
                $"{TrendMetrics.Name(c.Metric)} ×{c.Primary.Ratio:0.000} " +
                    $"{ShortSha.Of(series.Points[c.Before].Commit, ShortSha.InChart)}..{ShortSha.Of(series.Points[c.After].Commit, ShortSha.InChart)}"));
            var drifts = series.Drifts.Select(d => $"{TrendMetrics.Name(d.Metric)} {Format.Change(d.PerPoint)}/night");
            table.AddRow(
                Markup.Escape(series.Branch), Markup.Escape(series.Scenario), series.Points.Count.ToString(CultureInfo.InvariantCulture),
                series.Points.Count == 0 ? "-" : Format.Seconds(series.Points[^1].WallSeconds!.Median),
                Markup.Escape(string.Join("; ", changes).DefaultIfEmpty("-")), Markup.Escape(string.Join("; ", drifts).DefaultIfEmpty("-")),
                series.RunnerChanges.Count.ToString(CultureInfo.InvariantCulture));
        }
        console.Write(table);
    }
}

internal static class StringExtensions
{
    public static string DefaultIfEmpty(this string text, string fallback) => text.Length == 0 ? fallback : text;
}
