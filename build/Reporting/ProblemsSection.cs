using System.Text;
using Filare.Perf.Analysis;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>
/// Every failure in full, in a fence it cannot escape; the same message on base and head is printed
/// once, saying so, since it was there before this change.
/// </summary>
public static class ProblemsSection
{
    public static void Write(ReportContext context, StringBuilder text)
    {
        // A refused or failed comparison is the first thing to explain: the headline only has room for its first line.
        var compare = context.Metrics.Compare is { Status: CompareStatus.Failed, Problem: { Length: > 0 } why } failed ? (failed.Ref, Why: why) : default;
        if (context.Problems.Count == 0 && compare.Why is null)
        {
            return;
        }
        text.AppendLine("#### Problems").AppendLine();
        if (compare.Why is { } message)
        {
            text.AppendLine($"**Same-runner comparison** with {Markdown.Code(compare.Ref)} (failed; the head was measured alone):").AppendLine();
            text.AppendLine(Markdown.Fence(message)).AppendLine();
        }
        foreach (var problem in context.Problems)
        {
            var name = $"**{Markdown.Escape(problem.Scenario)}**";
            switch (problem)
            {
                case { Side: ProblemSide.Both, Same: true }:
                    text.AppendLine($"{name}: {Cells.Status(problem.HeadStatus)}, same on base and head (not caused by this change):").AppendLine();
                    text.AppendLine(Markdown.Fence(problem.HeadMessage!)).AppendLine();
                    break;
                case { Side: ProblemSide.Both }:
                    text.AppendLine($"{name}, base ({Cells.Status(problem.BaseStatus!.Value)}):").AppendLine().AppendLine(Markdown.Fence(problem.BaseMessage!))
                        .AppendLine();
                    text.AppendLine($"{name}, head ({Cells.Status(problem.HeadStatus)}):").AppendLine().AppendLine(Markdown.Fence(problem.HeadMessage!))
                        .AppendLine();
                    break;
                case { Side: ProblemSide.Base }:
                    text.AppendLine($"{name}, base ({Cells.Status(problem.BaseStatus!.Value)}; the head ran):").AppendLine()
                        .AppendLine(Markdown.Fence(problem.BaseMessage!)).AppendLine();
                    break;
                default:
                    var side = problem.BaseStatus is null ? "" : "head, ";
                    text.AppendLine($"{name} ({side}{Cells.Status(problem.HeadStatus)}):").AppendLine().AppendLine(Markdown.Fence(problem.HeadMessage!))
                        .AppendLine();
                    break;
            }
        }
    }
}
