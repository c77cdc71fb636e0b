using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Filare.Perf.Checkout;

namespace Filare.Perf.Measurement;

/// <summary>
/// The long-lived perf_runner.py process (see there for why it exists) and its line protocol.
/// One command at a time; if the runner dies it is started again for the next command.
/// </summary>
public sealed class RunnerHost(string interpreter) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Process? _process;
    private Channel<string>? _lines;
    private string _stderr = "";

    /// <summary>Starts the runner ahead of the first command, so its interpreter start-up overlaps other set-up work.</summary>
    public void Warm() => EnsureRunning();

    /// <summary>Starts the command; returns its pid, or the runner's reason it could not.</summary>
    public async Task<(int? Pid, string? Error)> StartAsync(IReadOnlyList<string> argv, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, string stdout, string stderr, CancellationToken cancellation, int? sampleProcessesMilliseconds = null)
    {
        await _gate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            EnsureRunning();
            var request = new JsonObject
            {
                ["argv"] = new JsonArray(argv.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
                ["cwd"] = workingDirectory,
                ["env"] = new JsonObject(environment.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
                ["stdout"] = stdout,
                ["stderr"] = stderr,
            };
            if (sampleProcessesMilliseconds is { } interval)
            {
                request["sample_processes_ms"] = interval;
            }
            await _process!.StandardInput.WriteLineAsync(request.ToJsonString()).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync(cancellation).ConfigureAwait(false);
            var answer = await NextEventAsync(cancellation).ConfigureAwait(false);
            if (answer["event"]?.GetValue<string>() == "started" && answer["pid"] is JsonValue pid)
            {
                // Held until WaitAsync reads how the command ended.
                return (pid.GetValue<int>(), null);
            }
            _gate.Release();
            return (null, answer["error"]?.GetValue<string>() ?? "the runner did not start the command");
        }
        catch
        {
            _gate.Release();
            throw;
        }
    }

    /// <summary>Waits for the started command's end. Cancellation leaves the command running: kill it, then call again.</summary>
    public async Task<JsonObject> WaitAsync(CancellationToken cancellation)
    {
        var answer = await NextEventAsync(cancellation).ConfigureAwait(false);
        _gate.Release();
        return answer;
    }

    private async Task<JsonObject> NextEventAsync(CancellationToken cancellation)
    {
        try
        {
            var line = await _lines!.Reader.ReadAsync(cancellation).ConfigureAwait(false);
            return JsonNode.Parse(line)!.AsObject();
        }
        catch (ChannelClosedException)
        {
            var why = _stderr.Trim();
            Stop();
            return new JsonObject { ["event"] = "error", ["error"] = $"the measuring runner exited unexpectedly{(why.Length > 0 ? ": " + why : "")}" };
        }
        catch (JsonException e)
        {
            return new JsonObject { ["event"] = "error", ["error"] = $"the measuring runner answered nonsense: {e.Message}" };
        }
    }

    private void EnsureRunning()
    {
        if (_process is { HasExited: false })
        {
            return;
        }
        Stop();
        var start = new ProcessStartInfo(interpreter)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-I", "-S", "-u", PythonEnvironment.Helper("perf_runner.py") })
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {interpreter}");
        var lines = Channel.CreateUnbounded<string>();
        _lines = lines;
        var process = _process;
        // A pump owns the pipe: cancelling a wait must never cancel a half-read line.
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                await lines.Writer.WriteAsync(line).ConfigureAwait(false);
            }
            lines.Writer.TryComplete();
        });
        _ = Task.Run(async () => _stderr = await process.StandardError.ReadToEndAsync().ConfigureAwait(false));
    }

    private void Stop()
    {
        if (_process is null)
        {
            return;
        }
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (IOException)
        {
        }
        _process.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }
}
