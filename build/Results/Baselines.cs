namespace Filare.Perf.Results;

/// <summary>
/// What PerfReport compares with (--baseline): nothing, the last successful run on GitHub, or else a
/// path. Here beside the run's data, so the gate (which picks one per event) and the report share it.
/// </summary>
public static class Baselines
{
    public const string None = "none";
    public const string Previous = "previous";

    public static readonly IReadOnlyList<string> All = [None, Previous];
}

/// <summary>The three kinds of --baseline.</summary>
public enum BaselineKind { None, Previous, Path }

/// <summary>--baseline as PerfReport reads it: a kind, and for <see cref="BaselineKind.Path"/> the full path.</summary>
public sealed record BaselineChoice(BaselineKind Kind, string? Path = null)
{
    public static BaselineChoice None { get; } = new(BaselineKind.None);

    /// <summary><c>none</c>, <c>previous</c>, or a metrics.json (or its folder) relative to <paramref name="root"/>.</summary>
    public static BaselineChoice Parse(string text, string root) => text switch
    {
        Baselines.None => None,
        Baselines.Previous => new BaselineChoice(BaselineKind.Previous),
        _ => new BaselineChoice(BaselineKind.Path, System.IO.Path.GetFullPath(text, root)),
    };
}
