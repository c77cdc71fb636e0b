namespace Filare.Perf.Scenarios;

/// <summary>
/// The terminal every run sees: 120 columns, no colour, a dumb terminal. Filare prints rich-boxed
/// tracebacks and tables whose width and escape codes follow the terminal; fixed, the two sides of
/// a comparison (and a CI log beside a laptop) produce the same text, and stderr tails stay readable.
/// A scenario's own env: overrides these.
/// </summary>
public static class TerminalEnvironment
{
    public static readonly IReadOnlyDictionary<string, string> Fixed = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["COLUMNS"] = "120",
        ["LINES"] = "50",
        ["NO_COLOR"] = "1",
        ["TERM"] = "dumb",
    };

    /// <summary>Forcing colour would undo NO_COLOR (rich, click and pytest honour these).</summary>
    public static readonly IReadOnlyList<string> Removed = ["FORCE_COLOR", "CLICOLOR_FORCE", "PY_COLORS"];

    public static Dictionary<string, string> Apply(IReadOnlyDictionary<string, string> inherited)
    {
        var environment = new Dictionary<string, string>(inherited, StringComparer.Ordinal);
        foreach (var name in Removed)
        {
            environment.Remove(name);
        }
        foreach (var (name, value) in Fixed)
        {
            environment[name] = value;
        }
        return environment;
    }
}
