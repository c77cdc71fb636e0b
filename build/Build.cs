using Filare.Perf.Engine;
using Filare.Perf.Storage;

namespace Filare.Perf;

/// <summary>
/// Filare.Perf's build: one partial class split by concern (Build.Settings.cs, Build.Perf.cs),
/// each target a short property that delegates to the plain classes in the folders beside it.
/// </summary>
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

    /// <summary>NUKE regenerates its schema on local runs; so do we, so editors never see a stale one.</summary>
    protected override void OnBuildStarting(IReadOnlyList<TargetInfo> plan)
    {
        if (!IsServerBuild && Directory.Exists(Path.Combine(RootDirectory, ".nuke")))
        {
            AtomicFile.WriteIfChanged(Path.Combine(RootDirectory, BuildSchema.RelativePath), BuildSchema.Generate(ParameterCatalog.For(GetType(), new Build())));
        }
    }
}
