using System.Text;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>Artifacts over the size budget, named where the reader looks: their upload costs every PR run's storage.</summary>
public static class StorageSection
{
    public static void Write(ReportContext context, StringBuilder text)
    {
        if (context.Metrics.Storage is not { } storage || storage.Artifacts.Where(a => a.OverBudget).ToList() is not { Count: > 0 } over)
        {
            return;
        }
        text.AppendLine($"> [!WARNING]\n> Artifacts over the {Format.Bytes((double)storage.BudgetBytes)} budget (FIL_PERF_ARTIFACT_BUDGET_MB): " +
            string.Join(", ", over.Select(a => $"{Markdown.Escape(a.Name)} {Format.Bytes((double)a.Stored)}")) + " zipped as uploaded" +
            ". FIL_PERF_KEEP_OUTPUTS=0 drops Filare's outputs; a profiler's large capture (Memray) is the other usual cause.").AppendLine();
    }
}
