using Filare.Perf.Checkout;
using Filare.Perf.Comparison;
using Filare.Perf.Engine;
using Filare.Perf.Measurement;
using Filare.Perf.Profilers;
using Filare.Perf.Results;
using Filare.Perf.Scenarios;
using Spectre.Console;

namespace Filare.Perf.Harness;

public sealed record SessionOptions(
    string BuildRoot,
    PerformanceSettings Settings,
    string? FilareRoot,
    string? Python,
    IReadOnlyList<string> Scenarios,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Environment,
    string? CompareRef,
    ComparisonSettings Comparison,
    int MaxRuns = PairPlan.DefaultMaximum,
    TimeSpan? TimeBudget = null,
    IReadOnlyList<string>? SetupGroups = null,
    Sharding.ShardSelection? Shard = null,
    StorageOptions? Storage = null,
    int ParallelJobs = 1);

/// <summary>
/// One PerfRun: its sides (the head, and the base under --compare-ref), the run folder and the
/// metrics being written. Each target calls one step, a class of its own; each step saves what it
/// learned before the next begins.
/// </summary>
public sealed class PerfSession : IAsyncDisposable
{
    /// <summary>How long a timed-out tree gets between SIGTERM and SIGKILL.</summary>
    public static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(2);

    private readonly SessionOptions _options;
    private readonly SessionConsole _console;
    private readonly StartedRun _run;
    private readonly RunnerHost _host;
    private readonly TreeRunner _runner;
    private readonly RunnerPool _pool;
    private BaseSide? _base;

    private PerfSession(SessionOptions options, SessionConsole console, StartedRun run)
    {
        _options = options;
        _console = console;
        _run = run;
        _host = new RunnerHost(run.Head.Python.Executable);
        _runner = new TreeRunner(_host, run.Store.RunFolder, KillGrace);
        // Measure's runner is the pool's first: after Measure it serves the parallel passes too.
        _pool = new RunnerPool(_runner, run.Head.Python.Executable, run.Store.RunFolder, KillGrace, options.ParallelJobs);
        _host.Warm();
    }

    public MetricsStore Store => _run.Store;

    public string RunFolder => Store.RunFolder;

    /// <summary>The sides every pass goes over: the head first, then the base when one was prepared.</summary>
    private IReadOnlyList<Side> Sides => _base is { Side: var @base } ? [_run.Head, @base] : [_run.Head];

    public static async Task<PerfSession> StartAsync(SessionOptions options, IAnsiConsole console, CancellationToken cancellation)
    {
        var session = new SessionConsole(console);
        try
        {
            return new PerfSession(options, session, await SessionStart.OpenAsync(options, session, cancellation).ConfigureAwait(false));
        }
        catch (Exception e) when (e is FilareException or ScenarioException)
        {
            throw new BuildFailedException(e.Message);
        }
    }

    /// <inheritdoc cref="BasePreparation"/>
    public async Task OpenBaseAsync(CompareEnvironment mode, IReadOnlyList<IProfiler> install, CancellationToken cancellation) =>
        _base = await new BasePreparation(_options, _console, Store).OpenAsync(_run.Filare, _run.Git, _run.Head, mode, install, cancellation)
            .ConfigureAwait(false);

    public Task MeasureAsync(CancellationToken cancellation) =>
        new MeasurePass(_options, _console, Store, _runner).RunAsync(_run.Head, _base?.Side, cancellation);

    /// <inheritdoc cref="InstructionPass"/>
    public async Task CountInstructionsAsync(CancellationToken cancellation)
    {
        var head = await CountedHead.OpenAsync(_run.Head, _run.Filare, _run.Git, _base, _options.Environment, cancellation).ConfigureAwait(false);
        try
        {
            IReadOnlyList<Side> sides = _base is { Side: var @base } ? [head.Side, @base] : [head.Side];
            await new InstructionPass(_console, Store, _pool)
                .RunAsync(sides, head.Root, _base?.Worktree.FilareRoot, _options.Environment, cancellation, head.Note)
                .ConfigureAwait(false);
        }
        finally
        {
            await BasePreparation.RemoveQuietlyAsync(head.Worktree, _console).ConfigureAwait(false);
        }
    }

    /// <inheritdoc cref="HeapPass"/>
    public Task TraceHeapAsync(Heap.HeapSettings settings, CancellationToken cancellation) =>
        new HeapPass(_console, Store, _pool, settings).RunAsync(Sides, _run.Filare.Root, _base?.Worktree.FilareRoot, cancellation);

    public Task ProfileAsync(IProfiler profiler, CancellationToken cancellation) =>
        new ProfilePass(_options, _console, Store, _pool).RunAsync(profiler, Sides, cancellation);

    /// <inheritdoc cref="SessionFinish.Finish"/>
    public void Finish() => SessionFinish.Finish(Store, _options.Comparison, _console, _options.Storage ?? new StorageOptions());

    public async ValueTask DisposeAsync()
    {
        try
        {
            // The base's outputs are in the run folder; its checkout was only a means.
            await BasePreparation.RemoveQuietlyAsync(_base?.Worktree, _console).ConfigureAwait(false);
        }
        finally
        {
            await _pool.DisposeAsync().ConfigureAwait(false);
            await _host.DisposeAsync().ConfigureAwait(false);
        }
    }
}
