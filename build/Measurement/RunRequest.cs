using Filare.Perf.Results;
namespace Filare.Perf.Measurement;

/// <summary>
/// What to run and where its traces go: <paramref name="RunDirectory"/> receives stdout.txt,
/// stderr.txt and exec.json; <paramref name="OutputDirectory"/> is the command's {output}.
/// <paramref name="ExitMeanings"/> names exit codes that say more than a number (pytest's 5: nothing collected).
/// </summary>
public sealed record RunRequest(
    SampleKind Kind,
    int Index,
    IReadOnlyList<string> Argv,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    string RunDirectory,
    string OutputDirectory,
    TimeSpan Timeout,
    IReadOnlyDictionary<int, string>? ExitMeanings = null);
