namespace Filare.Perf.Checkout;

/// <summary>
/// The files that declare a Python project's dependencies. When they are byte-identical in two
/// checkouts, both resolve to the same environment, so one interpreter serves both sides of a
/// comparison and nothing needs installing (or a network).
/// </summary>
public sealed record DependencyDeclarations(IReadOnlyList<string> Files, IReadOnlyList<string> Differing)
{
    public static readonly IReadOnlyList<string> Fixed = ["pyproject.toml", "uv.lock", "setup.cfg", "setup.py"];

    public bool Identical => Differing.Count == 0;

    public static DependencyDeclarations Compare(string head, string @base)
    {
        var files = Fixed.Concat(Requirements(head)).Concat(Requirements(@base))
            .Distinct(StringComparer.Ordinal)
            .Where(f => File.Exists(Path.Combine(head, f)) || File.Exists(Path.Combine(@base, f)))
            .ToList();
        var differing = files.Where(f => !Same(Path.Combine(head, f), Path.Combine(@base, f))).ToList();
        return new DependencyDeclarations(files, differing);
    }

    /// <summary>"pyproject.toml, uv.lock"; for messages.</summary>
    public string Describe(IReadOnlyList<string> files) => files.Count == 0 ? "no dependency files" : string.Join(", ", files);

    private static IEnumerable<string> Requirements(string root) =>
        Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "requirements*.txt").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)
            : [];

    private static bool Same(string a, string b) =>
        File.Exists(a) == File.Exists(b) && (!File.Exists(a) || File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b)));
}
