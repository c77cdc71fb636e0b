using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Filare.Perf.Checkout;
using Filare.Perf.Processes;

namespace Filare.Perf.Measurement;

/// <summary>
/// Runs a command through perf_exec.py (see there for why) and turns its report into a
/// <see cref="RunSample"/>. A run past its timeout, or cancelled, has its whole process tree killed.
/// </summary>
public sealed class TreeRunner(string interpreter, string runFolder, TimeSpan killGrace)
{
    public const int StderrTailLines = 20;

    public async Task<RunSample> RunAsync(RunRequest request, CancellationToken cancellation)
    {
        Directory.CreateDirectory(request.RunDirectory);
        Directory.CreateDirectory(request.OutputDirectory);
        var stdout = Path.Combine(request.RunDirectory, "stdout.txt");
        var stderr = Path.Combine(request.RunDirectory, "stderr.txt");
        var report = Path.Combine(request.RunDirectory, "exec.json");

        var start = new ProcessStartInfo(interpreter)
        {
            WorkingDirectory = request.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in new[] { "-I", "-S", PythonEnvironment.Helper("perf_exec.py"), report, stdout, stderr, "--" }.Concat(request.Argv))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Clear();
        foreach (var (name, value) in request.Environment)
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        var wall = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return Sample(RunStatus.Error, 0, null, $"cannot start {interpreter}: {e.Message}");
        }
        process.StandardInput.Close();
        var wrapperOutput = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var wrapperErrors = process.StandardError.ReadToEndAsync(CancellationToken.None);

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(request.Timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await ProcessTree.KillAsync(process.Id, killGrace).ConfigureAwait(false);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellation.ThrowIfCancellationRequested();
            return Sample(RunStatus.Timeout, wall.Elapsed.TotalSeconds, null,
                $"timed out after {request.Timeout.TotalSeconds:0.#} s; the process tree was killed");
        }
        await Task.WhenAll(wrapperOutput, wrapperErrors).ConfigureAwait(false);

        if (!File.Exists(report))
        {
            return Sample(RunStatus.Error, wall.Elapsed.TotalSeconds, null,
                $"the measuring wrapper failed (exit {process.ExitCode}): {Tail(await wrapperErrors.ConfigureAwait(false))}");
        }
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report, CancellationToken.None).ConfigureAwait(false));
        var root = json.RootElement;
        if (root.TryGetProperty("error", out var error))
        {
            return Sample(RunStatus.Error, 0, root, error.GetString());
        }
        var exitCode = Int(root, "exit_code");
        var signal = Int(root, "signal");
        var seconds = root.GetProperty("wall_ns").GetInt64() / 1e9;
        if (exitCode == 0)
        {
            return Sample(RunStatus.Ok, seconds, root, null);
        }
        var why = signal is not null ? $"killed by signal {signal}" : $"exit code {exitCode}";
        return Sample(RunStatus.Failed, seconds, root, $"{why}: {Tail(ReadTail(stderr))}");

        RunSample Sample(RunStatus status, double wallSeconds, JsonElement? data, string? message) => new(
            request.Kind,
            request.Index,
            status,
            wallSeconds,
            data is { } d ? d.GetProperty("user_seconds").GetDouble() : null,
            data is { } e ? e.GetProperty("system_seconds").GetDouble() : null,
            data is { } f ? f.GetProperty("peak_rss_bytes").GetInt64() : null,
            data is { } g ? Int(g, "exit_code") : null,
            data is { } h ? Int(h, "signal") : null,
            data is { } i && i.TryGetProperty("leaked_processes", out var leaked) ? leaked.GetInt32() : 0,
            Relative(stdout),
            Relative(stderr),
            Relative(request.OutputDirectory),
            message);
    }

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    private string Relative(string path) => Path.GetRelativePath(runFolder, path);

    private static string ReadTail(string path)
    {
        if (!File.Exists(path))
        {
            return "";
        }
        // Only the end matters and a failing run can log megabytes.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var length = Math.Min(stream.Length, 16 * 1024);
        stream.Seek(-length, SeekOrigin.End);
        var buffer = new byte[length];
        stream.ReadExactly(buffer);
        return Encoding.UTF8.GetString(buffer);
    }

    public static string Tail(string text)
    {
        var lines = text.TrimEnd().Split('\n');
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - StderrTailLines))).Trim();
    }
}
