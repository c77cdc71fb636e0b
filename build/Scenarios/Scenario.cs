namespace Filare.Perf.Scenarios;

/// <summary>One piece of the command line: literal text (with placeholders) or a glob to expand.</summary>
public abstract record CommandPart;

public sealed record LiteralPart(string Text) : CommandPart;

/// <summary>A pattern expanded against the working directory at run time, sorted, never through a shell.</summary>
public sealed record GlobPart(string Pattern) : CommandPart;

public enum ScenarioKind { Command, Pytest }

/// <summary>A representative Filare workload, read from one file in scenarios/.</summary>
/// <param name="CountsInstructions">CountInstructions runs it under Valgrind ('instructions:'; off by default for kind: pytest).</param>
public sealed record Scenario(
    string Name,
    string Description,
    IReadOnlyList<string> Tags,
    IReadOnlyList<CommandPart> Command,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    TimeSpan Timeout,
    int Runs,
    int Warmups,
    IReadOnlyList<string> Requires,
    string SourceFile,
    int SourceLine,
    bool CountsInstructions = true)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(300);
    public const int DefaultRuns = 5;
    public const int DefaultWarmups = 1;

    public ScenarioKind Kind { get; init; } = ScenarioKind.Command;

    /// <summary>TraceHeap runs it once under tracemalloc ('heap:'; off by default for kind: pytest).</summary>
    public bool TracesHeap { get; init; } = true;

    /// <summary>The Filare versions the scenario fits (<c>filare: "&gt;=1.6"</c>); null: any.</summary>
    public VersionRange? Filare { get; init; }

    /// <summary>What an exit code means for this kind of program, for a failure's headline (pytest's 5: nothing collected).</summary>
    public IReadOnlyDictionary<int, string> ExitMeanings { get; init; } = new Dictionary<int, string>();

    /// <summary>kind: pytest's paths, checked to exist before anything runs (pytest would exit 4 on each run).</summary>
    public IReadOnlyList<string> TestPaths { get; init; } = [];

    /// <summary>
    /// 'cost:' the seconds its whole run is expected to take, for the shard split when the nightly history
    /// has no figure for it yet; null: not estimated (docs/performance/scenarios.md).
    /// </summary>
    public TimeSpan? Cost { get; init; }

    /// <summary>file:line of the scenario's name, for messages about the scenario as a whole.</summary>
    public string Where => $"{SourceFile}:{SourceLine}";
}
