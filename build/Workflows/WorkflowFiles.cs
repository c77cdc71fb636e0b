using System.Reflection;
using Filare.Perf.Scenarios;

namespace Filare.Perf.Workflows;

/// <summary>Every workflow the build class declares with attributes, by path relative to the root.</summary>
public static class WorkflowFiles
{
    public static IReadOnlyDictionary<string, string> For(Type build, string root)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        if (build.GetCustomAttribute<PerfWorkflowAttribute>() is { } perf)
        {
            var scenarios = Directory.Exists(Path.Combine(root, "scenarios"))
                ? ScenarioCatalog.Load(Path.Combine(root, "scenarios"), root).All.Select(s => s.Name).ToList()
                : [];
            var bisect = build.GetCustomAttribute<BisectWorkflowAttribute>() is { } bisecting
                ? new BisectWorkflow(bisecting, new PerfWorkflow(perf, scenarios).Image)
                : null;
            var workflow = new PerfWorkflow(perf, scenarios, bisect);
            if (bisect is not null)
            {
                files[bisect.FileName] = bisect.Generate();
            }
            files[workflow.FileName] = workflow.Generate();
            files[workflow.FeedbackFileName] = workflow.GenerateFeedback();
        }
        if (build.GetCustomAttribute<CiWorkflowAttribute>() is { } ci)
        {
            var workflow = new CiWorkflow(ci);
            files[workflow.FileName] = workflow.Generate();
        }
        if (build.GetCustomAttribute<ContainerImageWorkflowAttribute>() is { } image)
        {
            var workflow = new ContainerImageWorkflow(image);
            files[workflow.FileName] = workflow.Generate();
        }
        var pinning = build.GetCustomAttribute<ActionPinningAttribute>() ?? new ActionPinningAttribute();
        return files.ToDictionary(f => f.Key, f => ActionPins.Apply(f.Value, pinning), StringComparer.Ordinal);
    }
}
