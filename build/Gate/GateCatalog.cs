namespace Filare.Perf.Gate;

/// <summary>
/// What a run may ask for: the scenario names of the build root's scenarios/ folder and the
/// profilers the build knows, with the ones the build's settings enable as the default.
/// Names are matched without regard to case and always come back in their canonical spelling.
/// </summary>
public sealed record GateCatalog(IReadOnlyList<string> Scenarios, IReadOnlyList<string> Profilers, IReadOnlyList<string> DefaultProfilers)
{
    public string? Scenario(string name) => Scenarios.FirstOrDefault(s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase));

    public string? Profiler(string name) => Profilers.FirstOrDefault(p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>In the build's own order (pyspy, scalene, memray, cprofile), whatever order they were asked in.</summary>
    public IReadOnlyList<string> Ordered(IEnumerable<string> profilers)
    {
        var set = profilers.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return Profilers.Where(set.Contains).ToList();
    }

    public string ScenarioList => string.Join(", ", Scenarios);

    public string ProfilerList => string.Join(", ", Profilers);

    /// <summary>Inputs as typed into a form: separated by spaces or commas.</summary>
    public static IReadOnlyList<string> Split(string? text) =>
        (text ?? "").Split([' ', ',', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
