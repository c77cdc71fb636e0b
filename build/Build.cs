using Filare.Perf.Engine;
using Filare.Perf.Results;
using Filare.Perf.Settings;
using Filare.Perf.Storage;
using Filare.Perf.Workflows;

namespace Filare.Perf;

/// <summary>
/// Filare.Perf's build: one partial class split by concern (Build.Settings.cs, Build.Perf.cs),
/// each target a short property that delegates to the plain classes in the folders beside it.
/// </summary>
[ParameterGroups("Selection", "Filare", "Output", "Profilers", "py-spy", "Scalene", "Memray", "cProfile", "Instructions", "Heap", "Shards", "Report", "Bisect")]
public sealed partial class Build : BuildHost
{
    public static int Main(string[] args) => Execute<Build>(args, x => x.PerfRun);

    /// <summary>The same build, in-process, against a given context (tests, embedding).</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, BuildContext context) => ExecuteAsync<Build>(args, x => x.PerfRun, context);

    [Parameter("Scenarios to run, by name (default: all).", Group = "Selection")]
    public string[] Scenario { get; init; } = [];

    [Parameter("Run the scenarios carrying any of these tags.", Group = "Selection")]
    public string[] Tag { get; init; } = [];

    [Parameter("The Filare checkout to measure (default: the build root when it is one).", Group = "Filare")]
    public string? FilareRoot { get; init; }

    [Parameter("The interpreter Filare is installed in (default: <filare-root>/.venv/bin/python, else python3).", Group = "Filare")]
    public string? Python { get; init; }

    [Parameter("PerfSetup makes <filare-root>/.venv from python3 when there is no .venv and no --python, as Filare's CI does: uv venv and uv sync --frozen " +
        "with --setup-groups when the checkout has uv.lock and uv is on PATH, else pip install -e with those of " +
        "the groups it declares as extras, or its test extra (default: on in CI, off locally).", Group = "Filare")]
    public bool? SetupFilare { get; init; }

    [Parameter("Dependency groups that --setup-filare and a new base venv sync (uv sync --group ...), or install " +
        "as extras with pip. Filare's CI syncs dev, which holds pytest and master's playwright.", Group = "Filare")]
    public string[] SetupGroups { get; init; } = ["dev"];

    [Parameter("Also measure Filare at this git ref (a branch, tag or commit; the workflow passes a PR's merge base) on this runner, interleaved " +
        "with the head: a paired A/B. HEAD on a clean checkout is an A/A run that calibrates the runner's noise floor.", Group = "Compare")]
    public string? CompareRef { get; init; }

    [Parameter("How the --compare-ref checkout gets its interpreter: auto (shared when the dependency declarations pyproject.toml, uv.lock, " +
        "requirements*.txt, setup.cfg, setup.py are byte-identical between base and head, which needs no network; else its own .venv if it has one, else a " +
        "new venv from its own uv.lock, or pinned to the head's installed versions), venv (its own .venv, else a new one made as --setup-filare makes it), " +
        "shared (the same interpreter, with the base's source first on PYTHONPATH). Each side's import of filare is checked before anything is measured.",
        Group = "Compare")]
    public CompareEnvironment CompareEnv { get; init; } = CompareEnvironment.Auto;

    [Parameter("Under --compare-ref, the most clean runs per side: after the scenario's own runs, pairs are added two at a time until the 95% interval of " +
        "the paired wall-time ratio decides (entirely above, below or inside --compare-min-effect), this many runs, or --time-budget.", Minimum = 1,
        Group = "Compare")]
    public int MaxRuns { get; init; } = Measurement.PairPlan.DefaultMaximum;

    [Parameter("Under --compare-ref, the seconds a scenario's interleaved runs may take (warmups and both sides) before no more pairs are added; 0: no budget.",
        Minimum = 0, Group = "Compare")]
    public double TimeBudget { get; init; } = Measurement.PairPlan.DefaultTimeBudgetSeconds;

    /// <summary>The files generated from this class, by path relative to the root; committed, and tested for staleness.</summary>
    public static IReadOnlyDictionary<string, string> GeneratedFiles(string root)
    {
        var parameters = ParameterCatalog.For(typeof(Build), new Build());
        var files = new Dictionary<string, string>
        {
            [BuildSchema.RelativePath] = BuildSchema.Generate(parameters),
            [SettingsReference.RelativePath] = SettingsReference.Generate(parameters),
        };
        foreach (var (path, contents) in WorkflowFiles.For(typeof(Build), root))
        {
            files[path] = contents;
        }
        return files;
    }

    protected override IReadOnlyDictionary<string, string> GenerateFiles() => GeneratedFiles(RootDirectory);

    /// <summary>NUKE regenerates its configuration on local runs; so do we, so nobody works from a stale one.</summary>
    protected override void OnBuildStarting(IReadOnlyList<TargetInfo> plan)
    {
        if (IsServerBuild || !File.Exists(Path.Combine(RootDirectory, "Filare.Perf.sln")))
        {
            return;
        }
        foreach (var (path, contents) in GenerateFiles())
        {
            AtomicFile.WriteIfChanged(Path.Combine(RootDirectory, path), contents);
        }
    }
}
