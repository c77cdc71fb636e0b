namespace Filare.Perf.Engine;

/// <summary>
/// Marks a build property as a parameter. Its names follow one rule so users can guess them:
/// property <c>SpyRate</c> is <c>--spy-rate</c> on the command line, <c>FIL_PERF_SPY_RATE</c>
/// in the environment and <c>"SpyRate"</c> in <c>.nuke/parameters.json</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ParameterAttribute(string description) : Attribute
{
    public string Description { get; } = description;

    /// <summary>Smallest accepted value for numbers; NaN means unbounded.</summary>
    public double Minimum { get; init; } = double.NaN;

    public double Maximum { get; init; } = double.NaN;

    /// <summary>Help-screen group, so forty settings stay readable.</summary>
    public string Group { get; init; } = "General";

    /// <summary>Other environment names for the same setting (names a project's docs already use).</summary>
    public string[] Aliases { get; init; } = [];
}

/// <summary>
/// An environment name that looks like a setting of this parameter's family but has no meaning in
/// this build; setting it gets a warning with <see cref="Reason"/> instead of "unknown variable".
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = true)]
public sealed class IgnoredVariableAttribute(string name, string reason) : Attribute
{
    public string Name { get; } = name;

    public string Reason { get; } = reason;
}

/// <summary>Order of the parameter groups in --help and the generated docs (others follow by name).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ParameterGroupsAttribute(params string[] groups) : Attribute
{
    public IReadOnlyList<string> Groups { get; } = groups;
}
