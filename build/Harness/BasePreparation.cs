using Filare.Perf.Checkout;
using Filare.Perf.Engine;
using Filare.Perf.Git;
using Filare.Perf.Profilers;
using Filare.Perf.Results;
using Filare.Perf.Scenarios;

namespace Filare.Perf.Harness;

/// <summary>
/// The base side of a same-runner A/B: a worktree at --compare-ref, an interpreter of the same
/// Python, the scenarios bound to that tree. When any of it fails the run goes on head-only,
/// metrics.json says why, and the build fails at the end.
/// </summary>
internal sealed class BasePreparation(SessionOptions options, SessionConsole console, MetricsStore store)
{
    public async Task<BaseSide> OpenAsync(FilareCheckout filare, GitInfo? git, Side head, CompareEnvironment mode, IReadOnlyList<IProfiler> install,
        CancellationToken cancellation)
    {
        var reference = options.CompareRef ?? throw new InvalidOperationException("No --compare-ref.");
        Worktree? worktree = null;
        try
        {
            worktree = await Worktree.AddAsync(filare, reference, Place, cancellation).ConfigureAwait(false);
            console.BaseCheckedOut(reference, worktree);
            var python = await InterpreterAsync(worktree, filare, head, mode, reference, cancellation).ConfigureAwait(false);
            console.BasePython(python);
            await InstallProfilersAsync(python, install, cancellation).ConfigureAwait(false);
            var side = Bind(new FilareCheckout(worktree.FilareRoot), python, head, reference);
            var compareMode = worktree.Commit == git?.Commit && git?.Dirty == false ? CompareMode.AA : CompareMode.AB;
            var compare = await CheckSidesAsync(new CompareRun(reference, worktree.Commit, compareMode, CompareStatus.Ok, null, worktree.FilareRoot,
                python.Kind, python.Python.Executable, python.Python.Version), filare, git, head, side, python, worktree, cancellation).ConfigureAwait(false);
            store.SetCompare(compare);
            if (compareMode == CompareMode.AA)
            {
                console.Calibrating();
            }
            return new BaseSide(side, worktree, python, compareMode);
        }
        catch (OperationCanceledException)
        {
            await RemoveQuietlyAsync(worktree, console).ConfigureAwait(false);
            throw;
        }
        catch (Exception e)
        {
            // Whatever went wrong, the head's run goes on, and metrics.json says why it is alone.
            await RemoveQuietlyAsync(worktree, console).ConfigureAwait(false);
            var problem = e is FilareException ? e.Message : $"--compare-ref {reference}: {e.GetType().Name}: {e.Message}";
            store.SetCompare(store.Current.Compare is { Status: CompareStatus.Failed } recorded
                ? recorded
                : new CompareRun(reference, worktree?.Commit, CompareMode.AB, CompareStatus.Failed, problem, worktree?.FilareRoot, null, null, null));
            throw new BuildFailedException($"{problem} The head is measured alone.");
        }
    }

    /// <summary>The base's worktree: &lt;build&gt;/.nuke/temp/compare/&lt;12 hex digits&gt;; the
    /// head's counted runs get one beside it (<see cref="CountedHead"/>).</summary>
    private string Place(string headTop, string commit) => CheckoutPaths.FixedWidth(Path.Combine(options.BuildRoot, ".nuke", "temp", "compare"), commit);

    /// <summary>
    /// Each side's packages and Filare import, recorded; a side that would run the other's code (or
    /// an installed copy) fails the comparison with the paths, and the head is measured alone.
    /// </summary>
    private async Task<CompareRun> CheckSidesAsync(CompareRun compare, FilareCheckout filare, GitInfo? git, Side head, Side @base, CheckoutPython python,
        Worktree worktree, CancellationToken cancellation)
    {
        console.BaseEnvironment(python.Reason);
        var sides = await ComparedSides.CheckAsync(
            SideLaunches.Of(SideKind.Head.Key(), head.Scenarios, filare.Root, git?.Commit, head.Environment), head.Python,
            SideLaunches.Of(SideKind.Base.Key(), @base.Scenarios, worktree.FilareRoot, worktree.Commit, @base.Environment), python.Python,
            Installer.Choose(options.BuildRoot, options.Environment), cancellation).ConfigureAwait(false);
        store.SetSide(SideKind.Head, sides.Head);
        store.SetSide(SideKind.Base, sides.Base);
        console.Imports(SideKind.Head.Key(), sides.Head);
        console.Imports(SideKind.Base.Key(), sides.Base);
        compare = compare with
        {
            EnvironmentReason = python.Reason,
            DependencyFiles = python.Declarations?.Files,
            DifferingFiles = python.Declarations?.Differing,
            PackageDifferences = sides.PackageDifferences,
        };
        if (sides.Problem is not null)
        {
            store.SetCompare(compare with { Status = CompareStatus.Failed, Problem = $"--compare-ref {compare.Ref}: {sides.Problem}" });
            throw new FilareException($"--compare-ref {compare.Ref}: {sides.Problem}");
        }
        return compare;
    }

    public static async Task RemoveQuietlyAsync(Worktree? worktree, SessionConsole console)
    {
        if (worktree is null)
        {
            return;
        }
        try
        {
            await worktree.RemoveAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            console.WorktreeLeft(worktree, e.Message);
        }
    }

    private async Task<CheckoutPython> InterpreterAsync(Worktree worktree, FilareCheckout filare, Side head, CompareEnvironment mode, string reference,
        CancellationToken cancellation)
    {
        var requires = head.Scenarios.SelectMany(s => s.Scenario.Requires).Distinct();
        try
        {
            return await CheckoutEnvironment.PrepareAsync(new FilareCheckout(worktree.FilareRoot), head.Python, filare.Root, mode, requires, options.BuildRoot,
                options.Environment, cancellation).ConfigureAwait(false);
        }
        catch (FilareException e)
        {
            throw new FilareException($"--compare-ref {reference} (--compare-env {mode.ToString().ToLowerInvariant()}): {e.Message}");
        }
    }

    private async Task InstallProfilersAsync(CheckoutPython python, IReadOnlyList<IProfiler> install, CancellationToken cancellation)
    {
        if (install.Count == 0)
        {
            return;
        }
        try
        {
            await ProfilerSetup.InstallIntoAsync(python.Python, install, options, console.Console, cancellation).ConfigureAwait(false);
        }
        catch (BuildFailedException e)
        {
            // Like PerfSetup for the head: the base is still measured, its profile says "not installed".
            console.BaseProfilersMissing(e.Message);
        }
    }

    /// <summary>The head's scenarios bound to the base's tree; one the base cannot run is that scenario's problem, not the run's.</summary>
    private static Side Bind(FilareCheckout checkout, CheckoutPython python, Side head, string reference)
    {
        var scenarios = new List<PreparedScenario>();
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var scenario in head.Scenarios)
        {
            try
            {
                scenarios.Add(PreparedScenario.Prepare(scenario.Scenario, checkout, python.Python, python.Environment));
            }
            catch (ScenarioException e)
            {
                // A scenario the PR adds may need inputs the base does not have: that scenario is head-only.
                problems[scenario.Name] = $"not runnable at {reference}: {string.Join("; ", e.Errors)}";
            }
        }
        return new Side(SideKind.Base, python.Python, python.Environment, scenarios, problems);
    }
}
