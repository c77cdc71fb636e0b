using System.Reflection;
using Filare.Perf.Engine;
using Filare.Perf.Gate;
using Filare.Perf.Workflows;

namespace Filare.Perf;

/// <summary>The perf workflow's gate job: from the GitHub event, whether to profile, what, and which commit.</summary>
public sealed partial class Build
{
    private GateOptions GateOptions => new(
        RootDirectory,
        typeof(Build).GetCustomAttribute<PerfWorkflowAttribute>() ?? throw new InvalidOperationException("Build has no [PerfWorkflow] attribute."),
        AllProfilers.Select(p => p.Tool).ToList(),
        EnabledProfilers.Select(p => p.Tool).ToList(),
        EnvironmentVariables,
        HttpHandler);

    Target PerfGate => _ => _
        .Description("CI gate of the perf workflow: decide from the GitHub event whether to profile, what and which commit; write step outputs")
        .Executes(cancellation => GateRunner.RunAsync(GateOptions, Console, cancellation));
}
