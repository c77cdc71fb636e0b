using System.Text;
using Filare.Perf.Actions;
using Filare.Perf.Git;

namespace Filare.Perf.Gate;

/// <summary>What a /run-perf comment asked for, or why it cannot be honoured.</summary>
/// <param name="Scenarios">Canonical scenario names; empty means all.</param>
/// <param name="Profilers">The profiler set after applying +/- to the defaults, in the build's order.</param>
/// <param name="Pin">The commit the comment pinned (all 40 hex digits, lower case), or null for the PR's head as of the comment.</param>
public sealed record RunPerfRequest(IReadOnlyList<string> Scenarios, IReadOnlyList<string> Profilers, string? Pin, IReadOnlyList<string> Errors);

/// <summary>
/// The comment command: <c>/run-perf [scenario ...] [+profiler|-profiler ...] [@sha]</c> on the
/// comment's first line; the rest of the comment is free text. Words may come in any order.
/// </summary>
public static class RunPerfCommand
{
    /// <summary>
    /// The first line must start with the command, followed by whitespace or the end of the line:
    /// "please /run-perf" and "/run-perfx" are not commands. The command compares without regard to
    /// case, as the workflow's startsWith() filter does.
    /// </summary>
    public static bool TryMatch(string command, string? body, out string arguments)
    {
        arguments = "";
        if (body is null)
        {
            return false;
        }
        var end = body.IndexOf('\n', StringComparison.Ordinal);
        var line = (end < 0 ? body : body[..end]).TrimEnd('\r');
        if (!line.StartsWith(command, StringComparison.OrdinalIgnoreCase) ||
            (line.Length > command.Length && !char.IsWhiteSpace(line[command.Length])))
        {
            return false;
        }
        arguments = line[command.Length..];
        return true;
    }

    public static RunPerfRequest Parse(string arguments, GateCatalog catalog)
    {
        var errors = new List<string>();
        var scenarios = new List<string>();
        var profilers = catalog.DefaultProfilers.ToList();
        string? pin = null;
        foreach (var word in arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            switch (word[0])
            {
                case '+' or '-':
                    if (catalog.Profiler(word[1..]) is { } profiler)
                    {
                        profilers.RemoveAll(p => p == profiler);
                        if (word[0] == '+')
                        {
                            profilers.Add(profiler);
                        }
                    }
                    else
                    {
                        errors.Add($"unknown profiler `{Untrusted.Shown(word)}`");
                    }
                    break;
                case '@':
                    if (!CommitSha.IsFull(word[1..]))
                    {
                        // A prefix is not enough: the PR's author makes both commits, and two with the
                        // same 12 hex digits take about 2^24 tries to find.
                        errors.Add($"`{Untrusted.Shown(word)}` is not a full commit SHA: pin with @ and all 40 hex " +
                            $"digits, since a shorter prefix can be matched by a second commit made to collide with it");
                    }
                    else if (pin is not null && !string.Equals(pin, word[1..], StringComparison.OrdinalIgnoreCase))
                    {
                        errors.Add("more than one @sha: pin a single commit");
                    }
                    else
                    {
                        pin = word[1..].ToLowerInvariant();
                    }
                    break;
                default:
                    if (catalog.Scenario(word) is { } scenario)
                    {
                        if (!scenarios.Contains(scenario))
                        {
                            scenarios.Add(scenario);
                        }
                    }
                    else
                    {
                        errors.Add($"unknown scenario `{Untrusted.Shown(word)}`");
                    }
                    break;
            }
        }
        if (errors.Count == 0 && profilers.Count == 0)
        {
            // FIL_PERF_PROFILERS= (empty) means "the defaults" to PerfRun, so an empty set cannot be passed on.
            errors.Add("no profiler left: keep at least one");
        }
        return new RunPerfRequest(scenarios, catalog.Ordered(profilers), pin, errors);
    }

    /// <summary>A reply lists this many problems at most; a 32,000-word comment must not earn a 700k-character answer.</summary>
    public const int MaxErrors = 10;

    /// <summary>The longest usage reply; GitHub's own cap on a comment is 65,536.</summary>
    public const int MaxReply = 2000;

    /// <summary>The reply to a /run-perf that cannot run: what was wrong (at most <see cref="MaxErrors"/>), then
    /// the grammar and the names it accepts, in at most <see cref="MaxReply"/> characters.</summary>
    public static string Usage(string command, GateCatalog catalog, IReadOnlyList<string> problems)
    {
        var shown = problems.Take(MaxErrors).ToList();
        if (problems.Count > MaxErrors)
        {
            shown.Add($"and {problems.Count - MaxErrors} more");
        }
        var text = new StringBuilder();
        text.Append(":warning: `").Append(command).Append("` did not start a run: ").Append(string.Join("; ", shown)).Append(".\n\n");
        text.Append("Usage: `").Append(command).Append(" [scenario ...] [+profiler|-profiler ...] [@sha]` on the first line of a new comment.\n\n");
        text.Append("- scenarios (default: all): ").Append(string.Join(", ", catalog.Scenarios.Select(s => $"`{s}`"))).Append('\n');
        text.Append("- profilers (default: ").Append(string.Join(", ", catalog.DefaultProfilers)).Append("): ")
            .Append(string.Join(", ", catalog.Profilers.Select(p => $"`{p}`"))).Append(", added with `+name`, removed with `-name`\n");
        text.Append("- `@sha`: all 40 hex digits of one of this pull request's commits " +
            "(default: its head, if GitHub shows it was pushed before your comment)\n\n");
        text.Append("Example: `").Append(command).Append(' ')
            .Append(catalog.Scenarios.FirstOrDefault() ?? "scenario").Append(" +")
            .Append(catalog.Profilers.FirstOrDefault(p => !catalog.DefaultProfilers.Contains(p)) ?? "memray").Append('`');
        return Cap(text.ToString());
    }

    /// <summary>Cut at a line end where possible, so no code span is left open.</summary>
    private static string Cap(string reply)
    {
        if (reply.Length <= MaxReply)
        {
            return reply;
        }
        const string note = "\n\n(cut: the reply is capped)";
        var cut = reply[..(MaxReply - note.Length)];
        var end = cut.LastIndexOf('\n');
        return (end > 0 ? cut[..end] : cut.Replace("`", "", StringComparison.Ordinal)) + note;
    }
}
