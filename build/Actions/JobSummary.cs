using System.Text;
using Filare.Perf.Results;

namespace Filare.Perf.Actions;

/// <summary>GitHub caps a step summary at 1 MiB; longer text is cut at a line with a note.</summary>
public static class JobSummary
{
    public const int StepSummaryLimit = 1024 * 1024;

    public static string Truncate(string markdown, int limitBytes)
    {
        if (Encoding.UTF8.GetByteCount(markdown) <= limitBytes)
        {
            return markdown;
        }
        const string note = $"\n\n> The report was cut here: GitHub limits a job summary to " +
            $"1 MiB. The full text is in the {ArtifactNames.Metrics} artifact (summary.md).\n";
        var budget = limitBytes - Encoding.UTF8.GetByteCount(note);
        var builder = new StringBuilder();
        var used = 0;
        foreach (var line in markdown.Split('\n'))
        {
            var size = Encoding.UTF8.GetByteCount(line) + 1;
            if (used + size > budget)
            {
                break;
            }
            builder.Append(line).Append('\n');
            used += size;
        }
        return builder + note;
    }
}
