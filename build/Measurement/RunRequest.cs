namespace Filare.Perf.Measurement;

/// <summary>
/// What to run and where its traces go: <paramref name="RunDirectory"/> receives stdout.txt,
/// stderr.txt and exec.json; <paramref name="OutputDirectory"/> is the command's {output}.
/// </summary>
public sealed record RunRequest(
    SampleKind Kind,
    int Index,
    IReadOnlyList<string> Argv,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    string RunDirectory,
    string OutputDirectory,
    TimeSpan Timeout);
