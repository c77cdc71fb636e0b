using System.Text.RegularExpressions;
using Filare.Perf.Actions;
using Filare.Perf.Git;
using Filare.Perf.Results;
using Spectre.Console;

namespace Filare.Perf.History;

/// <summary>
/// PerfHistory's settings. <paramref name="Remote"/> set: commit to <paramref name="HistoryBranch"/>
/// there and push, then leave the branch's files in <paramref name="HistoryDir"/>; unset: append to
/// the files in <paramref name="HistoryDir"/> directly.
/// </summary>
public sealed record HistoryOptions(string Input, string HistoryDir, string? Remote, string Repository, string HistoryBranch, HistorySource Source,
    TimeSpan? Backoff = null, Func<string, string, (string Name, string Text)?>? Companion = null, IReadOnlyDictionary<string, string>? Environment = null);

/// <summary>The runs to record are missing or none of them can be recorded.</summary>
public sealed class HistoryInputException(string message) : Exception(message);

/// <summary>PerfHistory: the runs under the input become records, appended to the folder or the history branch.</summary>
public sealed partial class HistoryRecorder(HistoryOptions options, IAnsiConsole console)
{
    public async Task<int> RecordAsync(CancellationToken cancellation)
    {
        // The problems printed below quote metrics.json, which a run's code wrote.
        using var commands = WorkflowCommands.Suspend(console, options.Environment ?? new Dictionary<string, string>());
        var files = File.Exists(options.Input) ? [options.Input]
            : Directory.Exists(options.Input)
            ? Directory.EnumerateFiles(options.Input, RunMetrics.FileName, SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [];
        if (files.Count == 0)
        {
            throw new HistoryInputException($"--report-input: no {RunMetrics.FileName} under {options.Input}; nothing to record.");
        }
        var (records, problems) = HistoryIntake.Read(files, options.Source);
        foreach (var problem in problems)
        {
            console.MarkupLine($"[yellow]warning: {Markup.Escape(problem)}[/]");
        }
        if (records.Count == 0)
        {
            throw new HistoryInputException($"none of the {files.Count} run(s) under {options.Input} can be recorded: {string.Join("; ", problems)}");
        }
        int added;
        if (options.Remote is null)
        {
            added = new HistoryFolder(options.HistoryDir).Append(records);
            console.MarkupLine($"History: {added} new record(s) of {records.Count} in [cyan]{Markup.Escape(options.HistoryDir)}[/].");
        }
        else
        {
            var branch = new HistoryBranch(new HistoryBranchOptions(options.Repository, options.Remote, options.HistoryBranch, Backoff: options.Backoff,
                Companion: options.Companion));
            var push = await branch.AppendAsync(records, cancellation).ConfigureAwait(false);
            added = push.Added;
            console.MarkupLine($"History: {push.Added} new record(s) of {records.Count} on {Markup.Escape(options.HistoryBranch)}" +
                $"{(push.CreatedBranch ? " (created as an orphan branch)" : "")} at " +
                $"{Markup.Escape((push.Commit is { } pushed ? ShortSha.Of(pushed, ShortSha.InReport) : null) ?? "-")} after {push.Attempts} attempt(s).");
            if (push.Commit is not null)
            {
                await branch.ExportAsync(push.Commit, options.HistoryDir, cancellation).ConfigureAwait(false);
            }
        }
        Write(records);
        return added;
    }

    private void Write(IReadOnlyList<HistoryRecord> records)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumn("Branch").AddColumn("Scenario").AddColumn("Commit").AddColumn("Status")
            .AddColumn(new TableColumn("Wall median").RightAligned());
        foreach (var record in records)
        {
            table.AddRow(Markup.Escape(record.Branch), Markup.Escape(record.Scenario), ShortSha.Of(record.Commit, ShortSha.InReport),
                Markup.Escape(record.Status?.ToString().ToLowerInvariant() ?? "?"),
                record.WallSeconds is { } wall ? Format.Seconds(wall.Median) : "-");
        }
        console.Write(table);
    }

    /// <summary>The appending run's own URL and repository, from the runner's environment (never from an artifact), when they are well formed.</summary>
    public static (string? RunUrl, string? Repository) FromEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        var repository = environment.GetValueOrDefault("GITHUB_REPOSITORY") is { } name && RepositoryName().IsMatch(name) ? name : null;
        var server = environment.GetValueOrDefault("GITHUB_SERVER_URL") is { } url && ServerUrl().IsMatch(url) ? url.TrimEnd('/') : "https://github.com";
        var runId = environment.GetValueOrDefault("GITHUB_RUN_ID") is { } id && RunId().IsMatch(id) ? id : null;
        return (repository is null || runId is null ? null : $"{server}/{repository}/actions/runs/{runId}", repository);
    }

    public static bool IsRepositoryName(string? text) => text is not null && RepositoryName().IsMatch(text);

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}\z")]
    private static partial Regex RepositoryName();

    [GeneratedRegex(@"\Ahttps://[A-Za-z0-9.-]+(:[0-9]+)?/?\z")]
    private static partial Regex ServerUrl();

    [GeneratedRegex(@"\A[0-9]{1,20}\z")]
    private static partial Regex RunId();
}
