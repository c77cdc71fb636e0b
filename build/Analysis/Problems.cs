using Filare.Perf.Results;

namespace Filare.Perf.Analysis;

/// <summary>Which side of a run a problem was seen on; a run without a base has only a head.</summary>
public enum ProblemSide { Head, Base, Both }

/// <summary>
/// What went wrong in one scenario, on one side or both. When both sides stopped with the same
/// message (after the base's checkout path is read as the head's), <see cref="Same"/> is set and the
/// report prints it once: the failure was there before this change.
/// </summary>
/// <param name="HeadStatus">The head's status; Ok when only the base failed.</param>
/// <param name="BaseStatus">The base's status; null without a base side.</param>
public sealed record ScenarioProblem(
    string Scenario,
    ProblemSide Side,
    ScenarioStatus HeadStatus,
    ScenarioStatus? BaseStatus,
    string? HeadMessage,
    string? BaseMessage,
    bool Same)
{
    /// <summary>Both sides failed: nothing this change did made it fail.</summary>
    public bool Preexisting => Side == ProblemSide.Both;

    /// <summary>A failed, timed-out or broken run (not a skip).</summary>
    public bool IsFailure => IsFailed(HeadStatus) || BaseStatus is { } b && IsFailed(b);

    public static bool IsFailed(ScenarioStatus status) => status is ScenarioStatus.Failed or ScenarioStatus.Timeout or ScenarioStatus.Error;
}

/// <summary>A scenario's problem, if it has one, with identical base and head messages merged.</summary>
public sealed class ProblemAnalyser : IScenarioAnalyser
{
    public ScenarioAnalysis Analyse(ScenarioResult scenario, ScenarioAnalysis found, AnalysisContext context) =>
        found with { Problem = Problems.Of(scenario, context.Current) };
}

/// <summary>What went wrong in a scenario, read from its sides' statuses and messages.</summary>
public static class Problems
{
    public static ScenarioProblem? Of(ScenarioResult scenario, RunMetrics metrics)
    {
        var side = scenario.Base;
        var headBad = scenario.Message is not null && scenario.Status != ScenarioStatus.Ok;
        var baseBad = side is { Message: not null } && side.Status != ScenarioStatus.Ok;
        if (!headBad && !baseBad)
        {
            return null;
        }
        var where = headBad && baseBad ? ProblemSide.Both : headBad ? ProblemSide.Head : ProblemSide.Base;
        var same = where == ProblemSide.Both && scenario.Status == side!.Status
            && Normalise(side.Message!, metrics.Compare?.FilareRoot, metrics.Environment.FilareRoot) == Normalise(scenario.Message!, null, null);
        return new ScenarioProblem(scenario.Name, where, scenario.Status, side?.Status, headBad ? scenario.Message : null, baseBad ? side!.Message : null,
            same);
    }

    /// <summary>The base ran in its own worktree: its paths are the head's paths under another root.</summary>
    private static string Normalise(string message, string? from, string? to)
    {
        var text = message.ReplaceLineEndings("\n").Trim();
        if (from is { Length: > 1 } && to is { Length: > 0 })
        {
            text = text.Replace(from.TrimEnd('/'), to.TrimEnd('/'), StringComparison.Ordinal);
        }
        return string.Join('\n', text.Split('\n').Select(l => l.TrimEnd()));
    }

    private static readonly char[] s_decoration = "│┃║╭╮╰╯─━═┌┐└┘├┤┬┴┼╔╗╚╝ \t[]…".ToCharArray();

    /// <summary>
    /// The line of a message worth a headline: the first that is more than a tool's box drawing, at most
    /// <paramref name="length"/> characters.
    /// </summary>
    public static string Brief(string message, int length = 80)
    {
        var line = message.ReplaceLineEndings("\n").Split('\n')
            .Select(l => l.Trim(s_decoration))
            .FirstOrDefault(l => l.Any(char.IsLetterOrDigit)) ?? "";
        return line.Length <= length ? line : line[..(length - 1)] + "…";
    }
}
