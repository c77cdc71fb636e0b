using Filare.Perf.Engine;
using Filare.Perf.Checkout;
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
    IReadOnlyDictionary<string, string> Environment);

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

    private PerfSession(SessionOptions options, IAnsiConsole console, IReadOnlyList<PreparedScenario> scenarios, PythonEnvironment python, MetricsStore store)
    {
        _options = options;
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
            return new PerfSession(options, console, prepared, python, store);
        }
        catch (Exception e) when (e is FilareException or ScenarioException)
        {
            throw new BuildFailedException(e.Message);
        }
    }

    public async Task MeasureAsync(CancellationToken cancellation)
    {
        var measurement = new ScenarioMeasurement(_runner, _options.Environment, Progress);
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
            try
            {
                var measured = await measurement.MeasureAsync(scenario, folder, runs, warmups, cancellation).ConfigureAwait(false);
                var status = measured.FirstFailure?.Status switch
                {
                    null => ScenarioStatus.Ok,
                    RunStatus.Timeout => ScenarioStatus.Timeout,
                    RunStatus.Failed => ScenarioStatus.Failed,
                    _ => ScenarioStatus.Error,
                };
                var message = measured.FirstFailure is { } failure ? $"{failure.Kind} {failure.Index}: {failure.Message}" : null;
                result = Result(scenario, status, message, measured.Warmups, measured.Samples, runs, warmups);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One scenario's broken environment must not cost the others their results.
                result = Result(scenario, ScenarioStatus.Error, e.Message, [], [], runs, warmups);
            }
            if (result.Status != ScenarioStatus.Ok)
            {
                _console.MarkupLine($"[red]{Markup.Escape(scenario.Name)}: {result.Status.ToString().ToLowerInvariant()}: {Markup.Escape(result.Message ?? "")}[/]");
            }
            Store.Update(result);
        }
    }

    public async Task ProfileAsync(IProfiler profiler, CancellationToken cancellation)
    {
        var tool = await profiler.ProbeAsync(_python, _options.Environment, cancellation).ConfigureAwait(false);
        _console.MarkupLine(tool.Installed
            ? $"{Markup.Escape(profiler.Tool)} {Markup.Escape(tool.Version ?? "")}"
            : $"[yellow]{Markup.Escape(profiler.Tool)} is not installed: {Markup.Escape(tool.InstallHint)}[/]");
        foreach (var scenario in _scenarios)
        {
            var current = Store.Current.Scenarios.FirstOrDefault(s => s.Name == scenario.Name);
            if (current is null or { Status: ScenarioStatus.Skipped } || scenario.SkipReason is not null)
            {
                continue;
            }
            ProfilerRun run;
            if (!tool.Installed)
            {
                // A missing tool is a fact about this machine, not a failure of the run.
                run = ProfilerRun.Skipped(profiler.Tool, "not installed", notes: [tool.InstallHint]);
            }
            else if (current.Status is not (ScenarioStatus.Ok or ScenarioStatus.Pending))
            {
                run = ProfilerRun.Skipped(profiler.Tool, $"scenario {current.Status.ToString().ToLowerInvariant()}");
            }
            else
            {
                _console.MarkupLine($"  {Markup.Escape(scenario.Name),-24} {profiler.Tool} ...");
                var context = new ProfilingContext(scenario, _python, tool, RunFolder, ScenarioFolder(scenario), Store.Current.RunLabel, current.Statistics?.WallSeconds.Median, _runner, _options.Environment);
                try
                {
                    run = await profiler.ProfileAsync(context, cancellation).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A profiler's surprise is its own failure, not the end of the others' passes.
                    run = new ProfilerRun(profiler.Tool, ProfilerStatus.Failed, e.Message, tool.Version, null, null, null, [], []);
                }
                var color = run.Status == ProfilerStatus.Ok ? "green" : run.Status == ProfilerStatus.Failed ? "red" : "yellow";
                _console.MarkupLine($"  {Markup.Escape(scenario.Name),-24} {profiler.Tool}: [{color}]{Markup.Escape(run.StatusText)}[/]");
            }
            var others = current.Profilers.Where(p => p.Tool != profiler.Tool);
            Store.Update(current with { Profilers = [.. others, run] });
        }
    }

    /// <summary>Writes summary.md and the console table; fails the target when a scenario did.</summary>
    public void Finish()
    {
        Store.Finish("complete", DateTimeOffset.UtcNow);
        var metrics = Store.Current;
        Storage.AtomicFile.WriteAllText(Path.Combine(RunFolder, "summary.md"), Reporting.ReportMarkdown.Render(new Reporting.ReportInput(metrics)));
        ConsoleReport.Write(_console, metrics);
        _console.MarkupLine($"Results: [cyan]{Markup.Escape(Store.FilePath)}[/]");
        var broken = metrics.Scenarios.Where(s => s.Status is ScenarioStatus.Failed or ScenarioStatus.Timeout or ScenarioStatus.Error).ToList();
        if (broken.Count > 0)
        {
            throw new BuildFailedException($"{broken.Count} of {metrics.Scenarios.Count} scenarios did not run cleanly: " +
                string.Join("; ", broken.Select(s => $"{s.Name} ({s.Status.ToString().ToLowerInvariant()})")));
        }
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

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

    private void Progress(PreparedScenario scenario, RunSample sample, int count)
    {
        var color = sample.Status == RunStatus.Ok ? "green" : "red";
        var figures = sample.Status == RunStatus.Ok
            ? $"{sample.WallSeconds,8:0.000} s {sample.CpuPercent,6:0}% CPU {Format.Bytes(sample.PeakRssBytes),10}"
            : sample.Status.ToString().ToLowerInvariant();
        _console.MarkupLine($"  {Markup.Escape(scenario.Name),-24} {sample.Kind + " " + sample.Index + "/" + count,-12} [{color}]{Markup.Escape(figures)}[/]");
    }
}
