namespace Filare.Perf.Scenarios;

/// <summary>Problems found in scenario files, each already prefixed with file:line.</summary>
public sealed class ScenarioException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
