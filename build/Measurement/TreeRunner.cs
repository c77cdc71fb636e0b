using System.Text.Json;
using System.Text.Json.Nodes;
using Filare.Perf.Processes;
using Filare.Perf.Results;

namespace Filare.Perf.Measurement;

/// <summary>
/// Runs a command through the measuring runner and turns its report into a <see cref="RunSample"/>.
/// A run past its timeout, or cancelled, has its whole process tree killed; the runner still
/// reports what the killed tree had used.
/// </summary>
public sealed class TreeRunner(RunnerHost host, string runFolder, TimeSpan killGrace)
{
    public async Task<RunSample> RunAsync(RunRequest request, CancellationToken cancellation)
    {
        Directory.CreateDirectory(request.RunDirectory);
        Directory.CreateDirectory(request.OutputDirectory);
        var stdout = Path.Combine(request.RunDirectory, "stdout.txt");
        var stderr = Path.Combine(request.RunDirectory, "stderr.txt");

        var (pid, error) = await host.StartAsync(request.Argv, request.WorkingDirectory, request.Environment, stdout, stderr, cancellation,
            request.SampleProcessesMilliseconds).ConfigureAwait(false);
        if (pid is null)
        {
            return Sample(RunStatus.Error, null, error);
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(request.Timeout);
        JsonObject report;
        try
        {
            report = await host.WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await ProcessTree.KillAsync(pid.Value, killGrace).ConfigureAwait(false);
            report = await host.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellation.ThrowIfCancellationRequested();
            return Sample(RunStatus.Timeout, report, $"timed out after {request.Timeout.TotalSeconds:0.#} s; the process tree was killed");
        }
        if (report["event"]?.GetValue<string>() != "exited")
        {
            // The runner died under a started command: nobody else will stop that tree.
            await ProcessTree.KillAsync(pid.Value, killGrace).ConfigureAwait(false);
            return Sample(RunStatus.Error, null, report["error"]?.GetValue<string>());
        }
        if (Int(report, "exit_code") == 0)
        {
            return Sample(RunStatus.Ok, report, null);
        }
        var exitCode = Int(report, "exit_code");
        var why = Int(report, "signal") is { } signal ? $"killed by signal {signal}" : $"exit code {exitCode}";
        var tail = OutputTail.Of(OutputTail.Read(stderr));
        var headline = exitCode is { } code && request.ExitMeanings?.GetValueOrDefault(code) is { } meaning
            ? meaning
            : FailureHeadline.Of(tail, OutputTail.Of(OutputTail.Read(stdout)));
        // The headline first (the report's one-line summary reads the first line), the full tail after it.
        var message = headline is null ? $"{why}: {tail}" : tail.Length == 0 || tail == headline ? $"{why}: {headline}" : $"{why}: {headline}\n\n{tail}";
        return Sample(RunStatus.Failed, report, message, headline);

        RunSample Sample(RunStatus status, JsonObject? data, string? message, string? headline = null)
        {
            // The runner's own report is kept beside the streams: the raw numbers behind the sample.
            // Not fsynced like metrics.json: it is a trace, and a flush per run would show in the run's overhead.
            File.WriteAllText(Path.Combine(request.RunDirectory, "exec.json"), (data ?? new JsonObject { ["error"] = message }).ToJsonString());
            var exited = data?["event"]?.GetValue<string>() == "exited";
            return new RunSample(
                request.Kind,
                request.Index,
                status,
                exited ? data!["wall_ns"]!.GetValue<long>() / 1e9 : 0,
                exited ? data!["user_seconds"]!.GetValue<double>() : null,
                exited ? data!["system_seconds"]!.GetValue<double>() : null,
                exited ? data!["peak_rss_bytes"]!.GetValue<long>() : null,
                exited ? Int(data!, "exit_code") : null,
                exited ? Int(data!, "signal") : null,
                exited ? Int(data!, "leaked_processes") ?? 0 : 0,
                Relative(stdout),
                Relative(stderr),
                Relative(request.OutputDirectory),
                message)
            {
                Headline = headline ?? message?.Split('\n')[0],
            };
        }
    }

    private static int? Int(JsonObject report, string name) =>
        report[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? value.GetValue<int>() : null;

    private string Relative(string path) => Path.GetRelativePath(runFolder, path);
}
