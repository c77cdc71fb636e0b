using Filare.Perf.Checkout;
using Filare.Perf.Measurement;
using Filare.Perf.Scenarios;

namespace Filare.Perf.Profilers;

/// <summary>Everything a profiler needs for one scenario; artifacts go in <see cref="ScenarioFolder"/>.</summary>
public sealed record ProfilingContext(
    PreparedScenario Scenario,
    PythonEnvironment Python,
    string RunFolder,
    string ScenarioFolder,
    string RunLabel,
    double? CleanMedianSeconds,
    TreeRunner Runner,
    IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>&lt;run_label&gt;-&lt;scenario&gt;-&lt;tool&gt;.&lt;ext&gt;, the name reviewers search artifacts by.</summary>
    public string ArtifactPath(string tool, string extension) =>
        Path.Combine(ScenarioFolder, $"{RunLabel}-{Scenario.Name}-{tool}.{extension}");

    public RunRequest Request(string tool, IReadOnlyList<string> argvTemplateExpanded, string outputDirectory) => new(
        tool,
        1,
        argvTemplateExpanded,
        Scenario.WorkingDirectory,
        MergedEnvironment(outputDirectory),
        Path.Combine(ScenarioFolder, tool),
        outputDirectory,
        Scenario.Scenario.Timeout);

    public IReadOnlyDictionary<string, string> MergedEnvironment(string outputDirectory)
    {
        var merged = new Dictionary<string, string>(Environment, StringComparer.Ordinal);
        foreach (var (name, value) in Scenario.EnvironmentFor(outputDirectory))
        {
            merged[name] = value;
        }
        return merged;
    }
}

public interface IProfiler
{
    /// <summary>Short lower-case name used in artifact names, settings and --profilers.</summary>
    string Tool { get; }

    Task<ProfilerRun> ProfileAsync(ProfilingContext context, CancellationToken cancellation);
}
