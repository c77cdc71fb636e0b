using Filare.Perf.Analysis;
using Filare.Perf.Checkout;
using Filare.Perf.Engine;
using Filare.Perf.Comparison;
using Filare.Perf.Machine;
using Filare.Perf.Measurement;
using Filare.Perf.Profilers;
using Filare.Perf.Results;
using Filare.Perf.Scenarios;
using Filare.Perf.Settings;
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
    string? CompareRef = null,
    ComparisonSettings? Comparison = null);

/// <summary>The base of a same-runner A/B: its worktree, interpreter and scenarios (or why one could not be prepared).</summary>
internal sealed record BaseSide(Worktree Worktree, CheckoutPython Python, string Mode, IReadOnlyDictionary<string, PreparedScenario> Scenarios, IReadOnlyDictionary<string, string> Problems);

/// <summary>
/// One PerfRun: the prepared scenarios, the run folder and the metrics being written. Targets call
/// into it step by step; each step saves what it learned before the next begins.
/// </summary>
public sealed class PerfSession : IAsyncDisposable
{
    /// <summary>How long a timed-out tree gets between SIGTERM and SIGKILL.</summary>
    public static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(2);

    private readonly IAnsiConsole _console;
    private readonly IReadOnlyList<PreparedScenario> _scenarios;
    private readonly PythonEnvironment _python;
    private readonly RunnerHost _host;
    private readonly TreeRunner _runner;
    private readonly SessionOptions _options;
    private readonly FilareCheckout _filare;
    private readonly GitInfo? _git;
    private BaseSide? _base;

    private PerfSession(SessionOptions options, IAnsiConsole console, IReadOnlyList<PreparedScenario> scenarios, FilareCheckout filare, GitInfo? git, PythonEnvironment python, MetricsStore store)
    {
        _options = options;
        _filare = filare;
        _git = git;
        _console = console;
        _scenarios = scenarios;
        _python = python;
        Store = store;
        _host = new RunnerHost(python.Executable);
        _runner = new TreeRunner(_host, store.RunFolder, KillGrace);
        _host.Warm();
    }

    public MetricsStore Store { get; }

    public string RunFolder => Store.RunFolder;

    public static async Task<PerfSession> StartAsync(SessionOptions options, IAnsiConsole console, CancellationToken cancellation)
    {
        try
        {
            var filare = FilareCheckout.Locate(options.FilareRoot, options.BuildRoot);
            var catalog = ScenarioCatalog.Load(Path.Combine(options.BuildRoot, "scenarios"), options.BuildRoot);
            var selected = catalog.Select(options.Scenarios, options.Tags);
            var interpreter = PythonEnvironment.Choose(options.Python, filare.Root, options.BuildRoot, options.Environment);
            // Independent look-ups, started together: each is a process start on a possibly slow machine.
            var probing = PythonEnvironment.ProbeAsync(interpreter, selected.SelectMany(s => s.Requires).Distinct(), filare.Root, cancellation);
            var filareGit = GitInfo.ReadAsync(filare.Root, cancellation);
            var harnessGit = GitInfo.ReadAsync(options.BuildRoot, cancellation);
            var python = await probing.ConfigureAwait(false);
            var prepared = Prepare(selected, filare, python, options.Environment);

            var git = await filareGit.ConfigureAwait(false);
            var label = options.Settings.RunLabel.Length > 0
                ? RunLabel.Safe(options.Settings.RunLabel)
                : RunLabel.From(git?.Branch, git?.ShortCommit, options.Environment);
            var settings = options.Settings with { RunLabel = label };
            var runFolder = OpenRunFolder(Path.GetFullPath(settings.OutputDir, options.BuildRoot), label);
            var environment = MachineInfo.Describe(filare, git, await harnessGit.ConfigureAwait(false), python, options.Environment);
            // Every selected scenario is listed from the start as pending: the file shows the plan, and what never ran.
            var pending = prepared.Select(p => Result(p, ScenarioStatus.Pending, null, [], [], settings.Runs ?? p.Scenario.Runs, settings.Warmups ?? p.Scenario.Warmups)).ToList();
            var metrics = new RunMetrics(RunMetrics.SchemaName, RunMetrics.CurrentVersion, label, "running", DateTimeOffset.UtcNow, null, environment, settings, pending);
            var store = new MetricsStore(runFolder, metrics);

            console.MarkupLine($"Filare:   [cyan]{Markup.Escape(filare.Root)}[/]");
            console.MarkupLine($"Python:   [cyan]{Markup.Escape(python.Executable)}[/] ({Markup.Escape(python.Version)})");
            console.MarkupLine($"Run:      [cyan]{Markup.Escape(runFolder)}[/]");
            console.MarkupLine($"Scenarios: {Markup.Escape(string.Join(", ", prepared.Select(p => p.Name)))}");
            return new PerfSession(options, console, prepared, filare, git, python, store);
        }
        catch (Exception e) when (e is FilareException or ScenarioException)
        {
            throw new BuildFailedException(e.Message);
        }
    }

    /// <summary>
    /// The base side of a same-runner A/B: a worktree at --compare-ref, an interpreter of the same
    /// Python, the scenarios bound to that tree. When any of it fails the run goes on head-only,
    /// metrics.json says why, and the build fails at the end.
    /// </summary>
    public async Task OpenBaseAsync(CompareEnvironment mode, IReadOnlyList<IProfiler> install, CancellationToken cancellation)
    {
        var reference = _options.CompareRef ?? throw new InvalidOperationException("No --compare-ref.");
        Worktree? worktree = null;
        try
        {
            worktree = await Worktree.AddAsync(_filare, reference, Path.Combine(_options.BuildRoot, ".nuke", "temp", "compare"), cancellation).ConfigureAwait(false);
            _console.MarkupLine($"Base:     [cyan]{Markup.Escape(reference)}[/] = {Markup.Escape(worktree.Commit[..12])} at [cyan]{Markup.Escape(worktree.FilareRoot)}[/]");
            var requires = _scenarios.SelectMany(s => s.Scenario.Requires).Distinct();
            CheckoutPython python;
            try
            {
                python = await CheckoutEnvironment.PrepareAsync(new FilareCheckout(worktree.FilareRoot), _python, _filare.Root, mode, requires, _options.BuildRoot, _options.Environment, cancellation).ConfigureAwait(false);
            }
            catch (FilareException e)
            {
                throw new FilareException($"--compare-ref {reference} (--compare-env {mode.ToString().ToLowerInvariant()}): {e.Message}");
            }
            _console.MarkupLine($"Base Python: [cyan]{Markup.Escape(python.Python.Executable)}[/] ({Markup.Escape(python.Kind)})");
            if (install.Count > 0)
            {
                try
                {
                    await ProfilerSetup.InstallIntoAsync(python.Python, install, _options, _console, cancellation).ConfigureAwait(false);
                }
                catch (BuildFailedException e)
                {
                    // Like PerfSetup for the head: the base is still measured, its profile says "not installed".
                    _console.MarkupLine($"[yellow]Base profilers: {Markup.Escape(e.Message)}[/]");
                }
            }
            var scenarios = new Dictionary<string, PreparedScenario>(StringComparer.Ordinal);
            var problems = new Dictionary<string, string>(StringComparer.Ordinal);
            var baseCheckout = new FilareCheckout(worktree.FilareRoot);
            foreach (var head in _scenarios)
            {
                try
                {
                    scenarios[head.Name] = PreparedScenario.Prepare(head.Scenario, baseCheckout, python.Python, python.Environment);
                }
                catch (ScenarioException e)
                {
                    // A scenario the PR adds may need inputs the base does not have: that scenario is head-only.
                    problems[head.Name] = $"not runnable at {reference}: {string.Join("; ", e.Errors)}";
                }
            }
            var compareMode = worktree.Commit == _git?.Commit && _git?.Dirty == false ? CompareMode.AA : CompareMode.AB;
            _base = new BaseSide(worktree, python, compareMode, scenarios, problems);
            Store.SetCompare(new CompareRun(reference, worktree.Commit, compareMode, CompareRun.Ok, null, worktree.FilareRoot, python.Kind, python.Python.Executable, python.Python.Version));
            if (compareMode == CompareMode.AA)
            {
                _console.MarkupLine("A/A calibration: the same clean commit on both sides measures this runner's noise.");
            }
        }
        catch (OperationCanceledException)
        {
            await RemoveQuietlyAsync(worktree).ConfigureAwait(false);
            throw;
        }
        catch (Exception e)
        {
            // Whatever went wrong, the head's run goes on, and metrics.json says why it is alone.
            await RemoveQuietlyAsync(worktree).ConfigureAwait(false);
            var problem = e is FilareException ? e.Message : $"--compare-ref {reference}: {e.GetType().Name}: {e.Message}";
            Store.SetCompare(new CompareRun(reference, worktree?.Commit, CompareMode.AB, CompareRun.Failed, problem, worktree?.FilareRoot, null, null, null));
            throw new BuildFailedException($"{problem} The head is measured alone.");
        }
    }

    private async Task RemoveQuietlyAsync(Worktree? worktree)
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
            _console.MarkupLine($"[yellow]Could not remove the worktree {Markup.Escape(worktree.Path)}: {Markup.Escape(e.Message)}[/]");
        }
    }

    public async Task MeasureAsync(CancellationToken cancellation)
    {
        var measurement = new ScenarioMeasurement(_runner, Progress);
        foreach (var scenario in _scenarios)
        {
            var folder = ScenarioFolder(scenario);
            var runs = _options.Settings.Runs ?? scenario.Scenario.Runs;
            var warmups = _options.Settings.Warmups ?? scenario.Scenario.Warmups;
            var pending = Result(scenario, ScenarioStatus.Pending, null, [], [], runs, warmups);
            if (scenario.SkipReason is not null)
            {
                _console.MarkupLine($"[yellow]{Markup.Escape(scenario.Name)}: skipped, {Markup.Escape(scenario.SkipReason)}[/]");
                Store.Update(pending with { Status = ScenarioStatus.Skipped, Message = scenario.SkipReason });
                continue;
            }
            ScenarioResult result;
            SideResult? baseResult = null;
            try
            {
                var head = new MeasuredSide("head", scenario, folder, _options.Environment);
                MeasuredScenario measured;
                if (_base is null)
                {
                    measured = await measurement.MeasureAsync(head, runs, warmups, cancellation).ConfigureAwait(false);
                }
                else if (BaseScenario(scenario.Name, out var baseScenario) is { } unavailable)
                {
                    measured = await measurement.MeasureAsync(head, runs, warmups, cancellation).ConfigureAwait(false);
                    baseResult = unavailable;
                }
                else
                {
                    if (runs % 2 == 1)
                    {
                        // Each side goes first in as many pairs as it goes second, or the median ratio leans one way.
                        runs++;
                        _console.MarkupLine($"  {Markup.Escape(scenario.Name)}: {runs} pairs, so each side goes first equally often");
                    }
                    var @base = new MeasuredSide("base", baseScenario!, BaseFolder(scenario), _base.Python.Environment);
                    var both = await measurement.MeasureInterleavedAsync(head, @base, runs, warmups, cancellation).ConfigureAwait(false);
                    measured = both.Head;
                    var (baseStatus, baseMessage) = both.Head.FirstFailure is not null && both.Base.FirstFailure is null
                        ? (ScenarioStatus.Skipped, "stopped: the head failed")
                        : Outcome(both.Base);
                    baseResult = new SideResult(baseStatus, baseMessage, both.Base.Warmups, both.Base.Samples, ScenarioStatistics.Of(both.Base.Samples), []);
                }
                var (status, message) = Outcome(measured);
                result = Result(scenario, status, message, measured.Warmups, measured.Samples, runs, warmups) with { Base = baseResult };
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One scenario's broken environment must not cost the others their results.
                result = Result(scenario, ScenarioStatus.Error, e.Message, [], [], runs, warmups) with { Base = baseResult };
            }
            if (result.Status != ScenarioStatus.Ok)
            {
                _console.MarkupLine($"[red]{Markup.Escape(scenario.Name)}: {result.Status.ToString().ToLowerInvariant()}: {Markup.Escape(result.Message ?? "")}[/]");
            }
            if (result.Base is { Status: not (ScenarioStatus.Ok or ScenarioStatus.Skipped) } broken)
            {
                _console.MarkupLine($"[red]{Markup.Escape(scenario.Name)} (base): {broken.Status.ToString().ToLowerInvariant()}: {Markup.Escape(broken.Message ?? "")}[/]");
            }
            Store.Update(result);
        }
    }

    public async Task ProfileAsync(IProfiler profiler, CancellationToken cancellation)
    {
        var tool = await ProbeAsync(profiler, _python, cancellation).ConfigureAwait(false);
        // A shared interpreter is the head's: its answer is already known.
        var baseTool = _base is null ? null
            : (_base.Python.Python.Configured, _base.Python.Python.Executable) == (_python.Configured, _python.Executable) ? tool
            : await ProbeAsync(profiler, _base.Python.Python, cancellation).ConfigureAwait(false);
        var side = _base is null ? null : "head";
        foreach (var scenario in _scenarios)
        {
            var current = Store.Current.Scenarios.FirstOrDefault(s => s.Name == scenario.Name);
            if (current is null or { Status: ScenarioStatus.Skipped } || scenario.SkipReason is not null)
            {
                continue;
            }
            var head = new ProfilingContext(scenario, _python, tool, RunFolder, ScenarioFolder(scenario), Store.Current.RunLabel, current.Statistics?.WallSeconds.Median, _runner, _options.Environment, side);
            var run = await ProfileSideAsync(profiler, head, current.Head, cancellation).ConfigureAwait(false);
            current = current with { Profilers = [.. current.Profilers.Where(p => p.Tool != profiler.Tool), run] };
            if (_base is not null && baseTool is not null && current.Base is { } baseSide && BaseScenario(scenario.Name, out var baseScenario) is null)
            {
                var context = new ProfilingContext(baseScenario!, _base.Python.Python, baseTool, RunFolder, BaseFolder(scenario), Store.Current.RunLabel, baseSide.Statistics?.WallSeconds.Median, _runner, _base.Python.Environment, "base");
                var baseRun = await ProfileSideAsync(profiler, context, baseSide, cancellation).ConfigureAwait(false);
                current = current with { Base = baseSide with { Profilers = [.. baseSide.Profilers.Where(p => p.Tool != profiler.Tool), baseRun] } };
                if (profiler is IDifferentialProfiler differential)
                {
                    current = current with { Profilers = [.. current.Profilers.Where(p => p.Tool != profiler.Tool), Differential(differential, head, run, baseRun)] };
                }
            }
            Store.Update(current);
        }
    }

    /// <summary>The head's run with the base-vs-head views added; a view that cannot be drawn costs only itself.</summary>
    private ProfilerRun Differential(IDifferentialProfiler differential, ProfilingContext head, ProfilerRun run, ProfilerRun baseRun)
    {
        try
        {
            var views = differential.Compare(head, run, baseRun);
            return views.Count == 0 ? run : run with { Artifacts = [.. run.Artifacts, .. views] };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            _console.MarkupLine($"[yellow]{Markup.Escape(head.Scenario.Name)}: no differential view for {Markup.Escape(run.Tool)}: {Markup.Escape(e.Message)}[/]");
            return run with { Notes = [.. run.Notes, $"no differential view: {e.Message}"] };
        }
    }

    private async Task<ToolProbe> ProbeAsync(IProfiler profiler, PythonEnvironment python, CancellationToken cancellation)
    {
        var tool = await profiler.ProbeAsync(python, _options.Environment, cancellation).ConfigureAwait(false);
        _console.MarkupLine(tool.Installed
            ? $"{Markup.Escape(profiler.Tool)} {Markup.Escape(tool.Version ?? "")}{(python == _python ? "" : " (base)")}"
            : $"[yellow]{Markup.Escape(profiler.Tool)} is not installed{(python == _python ? "" : " in the base's interpreter")}: {Markup.Escape(tool.InstallHint)}[/]");
        return tool;
    }

    private async Task<ProfilerRun> ProfileSideAsync(IProfiler profiler, ProfilingContext context, SideResult measured, CancellationToken cancellation)
    {
        var name = context.Scenario.Name + (context.Side is null ? "" : $" ({context.Side})");
        if (!context.Tool.Installed)
        {
            // A missing tool is a fact about this machine, not a failure of the run.
            return ProfilerRun.Skipped(profiler.Tool, "not installed", notes: [context.Tool.InstallHint]);
        }
        if (measured.Status is not (ScenarioStatus.Ok or ScenarioStatus.Pending))
        {
            return ProfilerRun.Skipped(profiler.Tool, $"scenario {measured.Status.ToString().ToLowerInvariant()}");
        }
        _console.MarkupLine($"  {Markup.Escape(name),-24} {profiler.Tool} ...");
        ProfilerRun run;
        try
        {
            run = await profiler.ProfileAsync(context, cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A profiler's surprise is its own failure, not the end of the others' passes.
            run = new ProfilerRun(profiler.Tool, ProfilerStatus.Failed, e.Message, context.Tool.Version, null, null, null, [], []);
        }
        var color = run.Status == ProfilerStatus.Ok ? "green" : run.Status == ProfilerStatus.Failed ? "red" : "yellow";
        _console.MarkupLine($"  {Markup.Escape(name),-24} {profiler.Tool}: [{color}]{Markup.Escape(run.StatusText)}[/]");
        return run;
    }

    /// <summary>Stores the paired verdicts, writes summary.md and the console table; fails the target when a scenario did.</summary>
    public void Finish()
    {
        // Analysed once, with the run's own --compare-alpha and --compare-min-effect, for every output.
        var unread = new List<string>();
        var analysis = RunAnalysis.Of(new AnalysisInput(Store.Current, _options.Comparison ?? new ComparisonSettings(), Profiles: ProfileEvidence.BetweenSides(Store.Current, RunFolder, unread)));
        unread.ForEach(note => _console.MarkupLine($"[yellow]{Markup.Escape(note)}[/]"));
        foreach (var scenario in Store.Current.Scenarios.Where(s => s.Base is not null && analysis.Compared))
        {
            Store.Update(scenario with { Paired = analysis.For(scenario.Name).Paired });
        }
        Store.Finish("complete", DateTimeOffset.UtcNow);
        var metrics = Store.Current;
        analysis = analysis with { Current = metrics };
        Storage.AtomicFile.WriteAllText(Path.Combine(RunFolder, "summary.md"), Reporting.ReportMarkdown.Render(new Reporting.ReportInput(analysis)));
        Reporting.ConsoleReport.Write(_console, analysis);
        _console.MarkupLine($"Results: [cyan]{Markup.Escape(Store.FilePath)}[/]");
        var broken = metrics.Scenarios.Where(s => s.Status is ScenarioStatus.Failed or ScenarioStatus.Timeout or ScenarioStatus.Error).ToList();
        var brokenBase = metrics.Scenarios.Where(s => s.Base?.Status is ScenarioStatus.Failed or ScenarioStatus.Timeout or ScenarioStatus.Error).ToList();
        if (broken.Count > 0 || brokenBase.Count > 0)
        {
            throw new BuildFailedException(string.Join(" ", new[]
            {
                broken.Count == 0 ? null : $"{broken.Count} of {metrics.Scenarios.Count} scenarios did not run cleanly: " +
                    string.Join("; ", broken.Select(s => $"{s.Name} ({s.Status.ToString().ToLowerInvariant()})")) + ".",
                brokenBase.Count == 0 ? null : $"At {metrics.Compare?.Ref}, {brokenBase.Count} did not: " +
                    string.Join("; ", brokenBase.Select(s => $"{s.Name} ({s.Base!.Status.ToString().ToLowerInvariant()})")) + ".",
            }.Where(m => m is not null)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // The base's outputs are in the run folder; its checkout was only a means.
            await RemoveQuietlyAsync(_base?.Worktree).ConfigureAwait(false);
        }
        finally
        {
            await _host.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The base's version of a scenario, or the side result saying why there is none.</summary>
    private SideResult? BaseScenario(string name, out PreparedScenario? scenario)
    {
        scenario = null;
        if (_base is null)
        {
            return null;
        }
        if (_base.Problems.TryGetValue(name, out var problem))
        {
            // Not a failure: a PR that adds a scenario's inputs has nothing to compare that scenario with.
            return new SideResult(ScenarioStatus.Skipped, problem, [], [], null, []);
        }
        scenario = _base.Scenarios[name];
        return scenario.SkipReason is { } skip ? new SideResult(ScenarioStatus.Skipped, skip, [], [], null, []) : null;
    }

    private static (ScenarioStatus Status, string? Message) Outcome(MeasuredScenario measured) => (
        measured.FirstFailure?.Status switch
        {
            null => ScenarioStatus.Ok,
            RunStatus.Timeout => ScenarioStatus.Timeout,
            RunStatus.Failed => ScenarioStatus.Failed,
            _ => ScenarioStatus.Error,
        },
        measured.FirstFailure is { } failure ? $"{failure.Kind} {failure.Index}: {failure.Message}" : null);

    private static List<PreparedScenario> Prepare(IReadOnlyList<Scenario> selected, FilareCheckout filare, PythonEnvironment python, IReadOnlyDictionary<string, string> environment)
    {
        var errors = new List<string>();
        var prepared = new List<PreparedScenario>();
        foreach (var scenario in selected)
        {
            try
            {
                prepared.Add(PreparedScenario.Prepare(scenario, filare, python, environment));
            }
            catch (ScenarioException e)
            {
                errors.AddRange(e.Errors);
            }
        }
        return errors.Count == 0 ? prepared : throw new ScenarioException(errors);
    }

    /// <summary>A label names one run: running it again replaces that run's folder, and nothing else.</summary>
    private static string OpenRunFolder(string outputDirectory, string label)
    {
        var folder = Path.Combine(outputDirectory, label);
        if (Directory.Exists(folder))
        {
            if (!File.Exists(Path.Combine(folder, RunMetrics.FileName)) && Directory.EnumerateFileSystemEntries(folder).Any())
            {
                throw new BuildFailedException($"{folder} exists and is not a run folder (no {RunMetrics.FileName}); choose another FIL_PERF_OUTPUT_DIR or FIL_PERF_RUN_LABEL.");
            }
            Directory.Delete(folder, recursive: true);
        }
        Directory.CreateDirectory(folder);
        return folder;
    }

    private string ScenarioFolder(PreparedScenario scenario) => Path.Combine(RunFolder, scenario.Name);

    private string BaseFolder(PreparedScenario scenario) => Path.Combine(RunFolder, scenario.Name, "base");

    private static ScenarioResult Result(PreparedScenario scenario, ScenarioStatus status, string? message, IReadOnlyList<RunSample> warmups, IReadOnlyList<RunSample> samples, int runs, int warmupCount) => new(
        scenario.Name,
        scenario.Scenario.Description,
        scenario.Scenario.Tags,
        scenario.Argv("{output}"),
        scenario.WorkingDirectory,
        status,
        message,
        runs,
        warmupCount,
        warmups,
        samples,
        ScenarioStatistics.Of(samples),
        []);

    private void Progress(MeasuredSide side, RunSample sample, int count)
    {
        var name = side.Scenario.Name + (_base is null ? "" : $" ({side.Name})");
        var color = sample.Status == RunStatus.Ok ? "green" : "red";
        var figures = sample.Status == RunStatus.Ok
            ? $"{sample.WallSeconds,8:0.000} s {sample.CpuPercent,6:0}% CPU {Format.Bytes(sample.PeakRssBytes),10}"
            : sample.Status.ToString().ToLowerInvariant();
        _console.MarkupLine($"  {Markup.Escape(name),-24} {sample.Kind + " " + sample.Index + "/" + count,-12} [{color}]{Markup.Escape(figures)}[/]");
    }
}
