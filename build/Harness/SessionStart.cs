using Filare.Perf.Checkout;
using Filare.Perf.Engine;
using Filare.Perf.Git;
using Filare.Perf.Machine;
using Filare.Perf.Results;
using Filare.Perf.Scenarios;
using Filare.Perf.Storage;

namespace Filare.Perf.Harness;

/// <summary>What PerfPrepare found: the checkout, its git state, the head side, and the store of the new run folder.</summary>
internal sealed record StartedRun(FilareCheckout Filare, GitInfo? Git, Side Head, MetricsStore Store);

/// <summary>
/// The PerfPrepare target: find Filare and its interpreter, select and prepare the scenarios, open
/// the run folder and write the first metrics.json, every scenario in it pending.
/// </summary>
internal static class SessionStart
{
    public static async Task<StartedRun> OpenAsync(SessionOptions options, SessionConsole console, CancellationToken cancellation)
    {
        var filare = FilareCheckout.Locate(options.FilareRoot, options.BuildRoot);
        var catalog = ScenarioCatalog.Load(Path.Combine(options.BuildRoot, "scenarios"), options.BuildRoot);
        var (selected, shard) = SelectShard(catalog.Select(options.Scenarios, options.Tags), options.Shard, console);
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
        // Shards of one run share its label (the report merges by it) and each get a folder.
        var runFolder = OpenRunFolder(Path.GetFullPath(settings.OutputDir, options.BuildRoot),
            label + (shard is null ? "" : new ShardSpec(shard.Index, shard.Count).Suffix));
        var environment = MachineInfo.Describe(filare, git, await harnessGit.ConfigureAwait(false), python, options.Environment);
        // Every selected scenario is listed from the start as pending: the file shows the plan, and what never ran.
        var pending = prepared.Select(p =>
            ScenarioResults.Of(p, ScenarioStatus.Pending, null, [], [], settings.Runs ?? p.Scenario.Runs, settings.Warmups ?? p.Scenario.Warmups)).ToList();
        var metrics = new RunMetrics(RunMetrics.SchemaName, RunMetrics.CurrentVersion, label, RunState.Running, DateTimeOffset.UtcNow, null, environment,
            settings, pending)
        {
            Shard = shard,
        };
        var store = new MetricsStore(runFolder, metrics);
        // Which code the head runs, and what its interpreter has: recorded before anything is measured.
        store.SetSide(SideKind.Head, await ComparedSides.DescribeAsync(SideLaunches.Of(SideKind.Head.Key(), prepared, filare.Root, git?.Commit,
            options.Environment), python, null, Installer.Choose(options.BuildRoot, options.Environment), cancellation).ConfigureAwait(false));
        console.Started(filare, python, runFolder, prepared);
        console.Imports(SideKind.Head.Key(), store.Current.Side(SideKind.Head)!);
        return new StartedRun(filare, git, new Side(SideKind.Head, python, options.Environment, prepared, new Dictionary<string, string>()), store);
    }

    private static (IReadOnlyList<Scenario> Selected, ShardRun? Shard) SelectShard(IReadOnlyList<Scenario> selected, Sharding.ShardSelection? shard,
        SessionConsole console)
    {
        if (shard is null)
        {
            return (selected, null);
        }
        var (scenarios, expected) = shard.Apply(selected);
        if (scenarios.Count == 0)
        {
            throw new ScenarioException([$"--shard {shard.Spec}: shard {shard.Spec.Index} of " +
                $"{shard.Spec.Count} has no scenario ({selected.Count} selected); use fewer shards."]);
        }
        console.Note($"shard {shard.Spec}: {string.Join(", ", scenarios.Select(s => s.Name))}" +
            (expected is { } seconds ? $" (expected {seconds:0} s by the split rule)" : " (the gate's split)"));
        return (scenarios, new ShardRun(shard.Spec.Index, shard.Spec.Count, expected));
    }

    private static List<PreparedScenario> Prepare(IReadOnlyList<Scenario> selected, FilareCheckout filare, PythonEnvironment python,
        IReadOnlyDictionary<string, string> environment)
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
                throw new BuildFailedException($"{folder} exists and is not a run folder (no " +
                    $"{RunMetrics.FileName}); choose another FIL_PERF_OUTPUT_DIR or FIL_PERF_RUN_LABEL.");
            }
            Directory.Delete(folder, recursive: true);
        }
        Directory.CreateDirectory(folder);
        return folder;
    }
}
