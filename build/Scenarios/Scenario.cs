namespace Filare.Perf.Scenarios;

/// <summary>One piece of the command line: literal text (with placeholders) or a glob to expand.</summary>
public abstract record CommandPart;

public sealed record LiteralPart(string Text) : CommandPart;

/// <summary>A pattern expanded against the working directory at run time, sorted, never through a shell.</summary>
public sealed record GlobPart(string Pattern) : CommandPart;

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

    /// <summary>file:line of the scenario's name, for messages about the scenario as a whole.</summary>
    public string Where => $"{SourceFile}:{SourceLine}";
}
