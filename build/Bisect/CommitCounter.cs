using System.Diagnostics;
using Filare.Perf.Checkout;
using Filare.Perf.Git;
using Filare.Perf.Instructions;
using Filare.Perf.Measurement;
using Filare.Perf.Results;
using Filare.Perf.Scenarios;

namespace Filare.Perf.Bisect;

/// <summary>Measures one commit of a bisection.</summary>
public interface ICommitMeasurer
{
    Task<CommitMeasurement> MeasureAsync(string commit, int order, CancellationToken cancellation);
}

/// <summary>
/// A commit's instructions: its own worktree at a fixed-width path, the interpreter its dependency
/// declarations need (as --compare-env decides for an A/B), the proof that its runs import its own
/// code, then one run per scenario under Valgrind. Whatever keeps a commit from being measured is
/// its skip reason; a commit that would run another checkout's code ends the bisection.
/// Counts do not depend on load, so commits are counted in parallel, one runner per job.
/// </summary>
public sealed class CommitCounter(BisectTarget target, int jobs) : ICommitMeasurer, IAsyncDisposable
{
    private readonly SemaphoreSlim _git = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentBag<(RunnerHost Host, InstructionCounter Counter)> _runners = [];
    private readonly SemaphoreSlim _slots = new(Math.Max(1, jobs), Math.Max(1, jobs));

    public async Task<CommitMeasurement> MeasureAsync(string commit, int order, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        await _slots.WaitAsync(cancellation).ConfigureAwait(false);
        Worktree? worktree = null;
        try
        {
            try
            {
                worktree = await AddAsync(commit, cancellation).ConfigureAwait(false);
            }
            catch (FilareException e)
            {
                return CommitMeasurement.Skip(commit, "no checkout: " + e.Message, order, seconds: clock.Elapsed.TotalSeconds);
            }
            return await CountAsync(worktree, order, clock, cancellation).ConfigureAwait(false);
        }
        finally
        {
            if (worktree is not null)
            {
                await _git.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    await worktree.RemoveAsync(CancellationToken.None).ConfigureAwait(false);
                }
                finally
                {
                    _git.Release();
                }
            }
            _slots.Release();
        }
    }

    /// <summary>The commit's checkout, its interpreter and its scenarios, identity-checked: what the confirmation A/B reuses.</summary>
    public async Task<(CheckoutPython Python, IReadOnlyList<PreparedScenario> Scenarios)> PrepareAsync(Worktree worktree, CancellationToken cancellation)
    {
        var checkout = new FilareCheckout(worktree.FilareRoot);
        var python = await CheckoutEnvironment.PrepareAsync(checkout, target.Python, target.Reference.Root, target.Mode, target.Requires, target.BuildRoot,
            target.Environment, cancellation, target.Groups).ConfigureAwait(false);
        var scenarios = target.Scenarios.Select(s => PreparedScenario.Prepare(s, checkout, python.Python, python.Environment)).ToList();
        var side = SideLaunches.Of($"commit {ShortSha.Of(worktree.Commit, ShortSha.InReport)}", scenarios, worktree.FilareRoot, worktree.Commit,
            python.Environment);
        var (imports, _) = await SideIdentity.ProbeAsync(side, python.Python.Executable, target.Reference.Root, cancellation).ConfigureAwait(false);
        var reference = new SideCode("reference checkout (--filare-root)", [], target.Reference.Root, null, target.Environment);
        if (SideIdentity.Mismatch(side, imports, reference, python.Python.Executable) is { } problem)
        {
            throw new BisectRefusedException($"Refused: {problem}");
        }
        return (python, scenarios);
    }

    public async Task<Worktree> AddAsync(string commit, CancellationToken cancellation)
    {
        await _git.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            return await Worktree.AddAsync(target.Reference, commit, (_, sha) => target.Checkout(sha), cancellation, "--good/--bad").ConfigureAwait(false);
        }
        finally
        {
            _git.Release();
        }
    }

    private async Task<CommitMeasurement> CountAsync(Worktree worktree, int order, Stopwatch clock, CancellationToken cancellation)
    {
        var commit = worktree.Commit;
        CheckoutPython python;
        IReadOnlyList<PreparedScenario> scenarios;
        try
        {
            (python, scenarios) = await PrepareAsync(worktree, cancellation).ConfigureAwait(false);
        }
        catch (FilareException e)
        {
            return CommitMeasurement.Skip(commit, "no environment: " + e.Message, order, seconds: clock.Elapsed.TotalSeconds);
        }
        catch (ScenarioException e)
        {
            return CommitMeasurement.Skip(commit, "scenario not runnable: " + string.Join("; ", e.Errors), order, seconds: clock.Elapsed.TotalSeconds);
        }
        if (scenarios.FirstOrDefault(s => s.SkipReason is not null) is { } unfit)
        {
            return CommitMeasurement.Skip(commit, $"{unfit.Name}: {unfit.SkipReason}", order, seconds: clock.Elapsed.TotalSeconds, environment: python.Kind);
        }
        var runner = await RunnerAsync(cancellation).ConfigureAwait(false);
        try
        {
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            var runs = 0;
            foreach (var scenario in scenarios)
            {
                var folder = Path.Combine(target.RunFolder, "commits", ShortSha.Of(commit, ShortSha.InPath), scenario.Name);
                var run = await runner.Counter.CountAsync(new InstructionSide("count", scenario, folder, python.Environment, null, null), cancellation)
                    .ConfigureAwait(false);
                runs += run.Status == InstructionStatus.Skipped ? 0 : 1;
                if (run.Status != InstructionStatus.Ok || run.Total is not { } total)
                {
                    return CommitMeasurement.Skip(commit, $"{scenario.Name}: {run.StatusText.Split('\n')[0]}", order, runs, clock.Elapsed.TotalSeconds,
                        python.Kind);
                }
                values[scenario.Name] = total;
            }
            return new CommitMeasurement(commit, CommitStatus.Measured, values, null, order, runs, clock.Elapsed.TotalSeconds, python.Kind, python.Reason);
        }
        finally
        {
            _runners.Add(runner);
        }
    }

    private async Task<(RunnerHost Host, InstructionCounter Counter)> RunnerAsync(CancellationToken cancellation)
    {
        if (_runners.TryTake(out var runner))
        {
            return runner;
        }
        var host = new RunnerHost(target.Python.Executable);
        var tree = new TreeRunner(host, target.RunFolder, TimeSpan.FromSeconds(2) /* as PerfSession.KillGrace */);
        return (host, await InstructionCounter.CreateAsync(tree, target.RunFolder, target.Environment, cancellation).ConfigureAwait(false));
    }

    public async ValueTask DisposeAsync()
    {
        while (_runners.TryTake(out var runner))
        {
            await runner.Host.DisposeAsync().ConfigureAwait(false);
        }
        _git.Dispose();
        _slots.Dispose();
    }
}
