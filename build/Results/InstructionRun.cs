namespace Filare.Perf.Results;

/// <summary>How a counted run ended. Failed: the program exited non-zero or died of a signal under Valgrind (its counts are kept).</summary>
public enum InstructionStatus { Ok, Failed, Timeout, Skipped, Error }

/// <summary>What a process in the counted tree was: Filare's interpreter, Graphviz's layout engine, or anything else (a shell, a helper).</summary>
public enum ProcessKind { Python, Dot, Other }

/// <summary>
/// One process of a counted run, as Valgrind saw it: its command line, the instructions it retired
/// (null when it was killed before Valgrind could write its count) and how it ended.
/// </summary>
/// <param name="ExitCode">From its exit_group system call; null when it died of a signal or the log does not say.</param>
public sealed record ProcessInstructions(int Pid, int? ParentPid, ProcessKind Kind, string Command, long? Instructions, int? ExitCode, int? Signal)
{
    public string Exit => Signal is { } signal ? $"signal {signal}" : ExitCode is { } code ? $"exit {code}" : "unknown";
}

/// <summary>The instructions of one kind of process in a run, summed.</summary>
public sealed record KindInstructions(ProcessKind Kind, int Processes, long Instructions);

/// <summary>
/// One run of a scenario under Valgrind (cachegrind without cache simulation, every child traced).
/// <see cref="Total"/> is over the whole process tree; it is null when any process has no count, so a
/// partial sum is never compared with a whole one. Paths are relative to the run folder.
/// </summary>
/// <param name="Tool">The Valgrind tool and options that counted, e.g. "cachegrind --cache-sim=no".</param>
/// <param name="ExitCode">The program's own exit status (Valgrind passes it through).</param>
/// <param name="WallSeconds">How long the run took under Valgrind: the price of the count, not a measurement of Filare.</param>
/// <param name="InterpreterBuild">Python's sys.version (version, build date, compiler): another build retires other instructions.</param>
/// <param name="Folder">Where Valgrind's logs and cachegrind.out files are (cg_annotate reads the latter).</param>
public sealed record InstructionRun(
    InstructionStatus Status,
    string? Message,
    long? Total,
    IReadOnlyList<ProcessInstructions> Processes,
    int? ExitCode,
    double? WallSeconds,
    double TimeoutSeconds,
    string Tool,
    string? ValgrindVersion,
    string? InterpreterBuild,
    string? Folder,
    IReadOnlyList<string> Notes)
{
    /// <summary>The message of a count skipped on purpose: the scenario's file or kind turned it off.</summary>
    public const string OffForScenario = "off for this scenario (instructions: false, or kind: pytest without instructions: true)";

    /// <summary>The tool and options every count is made with (metrics.json's <c>tool</c>).</summary>
    public const string CountedWith = "cachegrind --cache-sim=no";

    public static InstructionRun Skipped(string reason, string? valgrindVersion = null, IReadOnlyList<string>? notes = null) =>
        new(InstructionStatus.Skipped, reason, null, [], null, null, 0, CountedWith, valgrindVersion, null, null, notes ?? []);

    /// <summary>Per kind of process, in the order python, dot, other; kinds with no process are left out.</summary>
    public IReadOnlyList<KindInstructions> ByKind() => Processes
        .GroupBy(p => p.Kind)
        .OrderBy(g => g.Key)
        .Select(g => new KindInstructions(g.Key, g.Count(), g.Sum(p => p.Instructions ?? 0)))
        .ToList();

    /// <summary>One line for the console: the total and its split, or the status.</summary>
    public string Describe()
    {
        if (Total is not { } total)
        {
            return StatusText;
        }
        var kinds = string.Join(", ",
            ByKind().Select(k => $"{k.Kind.ToString().ToLowerInvariant()} {Count(k.Instructions)}{(k.Processes > 1 ? $" in {k.Processes}" : "")}"));
        var status = Status == InstructionStatus.Ok ? "" : $"; {StatusText}";
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Count(total)} ({kinds}) in {WallSeconds:0.#} s under Valgrind{status}");
    }

    /// <summary>Instructions in G (10^9) or M (10^6): counts of a CLI run are in the billions.</summary>
    public static string Count(long instructions) => instructions >= 1_000_000_000
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{instructions / 1e9:0.000} G")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{instructions / 1e6:0.0} M");

    [System.Text.Json.Serialization.JsonIgnore]
    public string StatusText => Message is null ? Status.ToString().ToLowerInvariant() : $"{Status.ToString().ToLowerInvariant()}: {Message}";
}
