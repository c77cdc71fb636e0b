using System.Collections.Concurrent;
using Filare.Perf.Measurement;

namespace Filare.Perf.Harness;

/// <summary>
/// Runs of the passes after Measure, up to <see cref="Jobs"/> at once: counted runs do not depend
/// on load and profiled runs are not the measurement, so they share the runner's cores. Measure
/// never runs through the pool (its wall-time pairs must have the machine to themselves). One
/// measuring runner serves one command at a time, so each slot has its own, started on first use;
/// each kills its own trees on a timeout or on cancellation.
/// </summary>
internal sealed class RunnerPool(TreeRunner first, string interpreter, string runFolder, TimeSpan killGrace, int jobs) : IAsyncDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, jobs), Math.Max(1, jobs));
    private readonly ConcurrentBag<TreeRunner> _idle = [first];
    private readonly ConcurrentBag<RunnerHost> _hosts = [];

    /// <summary>How many runs go at once (at least one).</summary>
    public int Jobs { get; } = Math.Max(1, jobs);

    /// <summary>Runs a job on a free runner once a slot is free; the slot and the runner are free again when it ends, however it ends.</summary>
    public async Task<T> RunAsync<T>(Func<TreeRunner, Task<T>> job, CancellationToken cancellation)
    {
        await _slots.WaitAsync(cancellation).ConfigureAwait(false);
        var runner = Take();
        try
        {
            return await job(runner).ConfigureAwait(false);
        }
        finally
        {
            _idle.Add(runner);
            _slots.Release();
        }
    }

    private TreeRunner Take()
    {
        if (_idle.TryTake(out var runner))
        {
            return runner;
        }
        var host = new RunnerHost(interpreter);
        _hosts.Add(host);
        return new TreeRunner(host, runFolder, killGrace);
    }

    public async ValueTask DisposeAsync()
    {
        while (_hosts.TryTake(out var host))
        {
            await host.DisposeAsync().ConfigureAwait(false);
        }
        _slots.Dispose();
    }
}
