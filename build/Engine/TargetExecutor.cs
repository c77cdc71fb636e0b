using System.Diagnostics;
using Spectre.Console;

namespace Filare.Perf.Engine;

public enum TargetStatus { Succeeded, Failed, Skipped, NotRun }

public sealed record TargetResult(string Name, TargetStatus Status, TimeSpan Duration, string? Note);

/// <summary>Runs a plan in order; a failure stops dependents, not the assured targets.</summary>
public sealed class TargetExecutor(IAnsiConsole console)
{
    public async Task<IReadOnlyList<TargetResult>> RunAsync(
        IReadOnlyList<TargetInfo> plan,
        IReadOnlySet<string> skipped,
        CancellationToken cancellation)
    {
        var results = new Dictionary<string, TargetResult>(StringComparer.OrdinalIgnoreCase);
        var anyFailed = false;
        foreach (var target in plan)
        {
            results[target.Name] = await RunOne(target).ConfigureAwait(false);
            anyFailed |= results[target.Name].Status == TargetStatus.Failed && !target.Proceed;
        }
        return plan.Select(t => results[t.Name]).ToList();

        async Task<TargetResult> RunOne(TargetInfo target)
        {
            if (skipped.Contains(target.Name))
            {
                return new TargetResult(target.Name, TargetStatus.Skipped, TimeSpan.Zero, "--skip");
            }
            var brokenDependency = target.Dependencies.FirstOrDefault(d =>
                results[d].Status is TargetStatus.NotRun || (results[d].Status is TargetStatus.Failed && !plan.First(p => p.Name == d).Proceed));
            if (brokenDependency is not null && !target.Assured)
            {
                return new TargetResult(target.Name, TargetStatus.NotRun, TimeSpan.Zero, $"{brokenDependency} did not succeed");
            }
            if (anyFailed && !target.Assured)
            {
                return new TargetResult(target.Name, TargetStatus.NotRun, TimeSpan.Zero, "an earlier target failed");
            }
            foreach (var (condition, reason) in target.Conditions)
            {
                if (!condition())
                {
                    return new TargetResult(target.Name, TargetStatus.Skipped, TimeSpan.Zero, reason);
                }
            }

            console.Write(new Rule($"[bold]{Markup.Escape(target.Name)}[/]").LeftJustified());
            var stopwatch = Stopwatch.StartNew();
            try
            {
                foreach (var action in target.Actions)
                {
                    cancellation.ThrowIfCancellationRequested();
                    await action(cancellation).ConfigureAwait(false);
                }
                return new TargetResult(target.Name, TargetStatus.Succeeded, stopwatch.Elapsed, null);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                console.MarkupLine("[red]Cancelled.[/]");
                return new TargetResult(target.Name, TargetStatus.Failed, stopwatch.Elapsed, "cancelled");
            }
            catch (BuildFailedException e)
            {
                console.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
                return new TargetResult(target.Name, TargetStatus.Failed, stopwatch.Elapsed, e.Message);
            }
            catch (Exception e)
            {
                console.WriteException(e, ExceptionFormats.ShortenPaths);
                return new TargetResult(target.Name, TargetStatus.Failed, stopwatch.Elapsed, e.Message);
            }
        }
    }

    public void WriteSummary(IReadOnlyList<TargetResult> results, TimeSpan total)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("Target").AddColumn("Status").AddColumn(new TableColumn("Duration").RightAligned()).AddColumn("Note");
        foreach (var result in results)
        {
            var color = result.Status switch
            {
                TargetStatus.Succeeded => "green",
                TargetStatus.Failed => "red",
                TargetStatus.NotRun => "grey",
                _ => "yellow",
            };
            table.AddRow(
                Markup.Escape(result.Name),
                $"[{color}]{result.Status}[/]",
                result.Status is TargetStatus.Succeeded or TargetStatus.Failed ? FormatDuration(result.Duration) : "",
                Markup.Escape(Shorten(result.Note ?? "")));
        }
        table.AddEmptyRow();
        table.AddRow("Total", "", FormatDuration(total), "");
        console.Write(table);
        var failed = results.Any(r => r.Status == TargetStatus.Failed);
        console.MarkupLine(failed ? "[red]Build failed[/]" : "[green]Build succeeded[/]");
    }

    private static string FormatDuration(TimeSpan duration) =>
        duration.TotalMinutes >= 1 ? duration.ToString(@"m\:ss", System.Globalization.CultureInfo.InvariantCulture) : $"{duration.TotalSeconds:0.0}s";

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 80 ? line : line[..77] + "...";
    }
}

/// <summary>A failure the build explains itself: shown as a message, without a stack trace.</summary>
public sealed class BuildFailedException(string message) : Exception(message);
