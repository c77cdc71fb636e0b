using Filare.Perf.Processes;

namespace Filare.Perf.Checkout;

/// <summary>
/// An interpreter's installed versions as its installer lists them (<c>uv pip freeze</c>, <c>pip
/// freeze</c>): recorded for each side, compared between them, and used as constraints so that a
/// base without a lock of its own resolves to the head's versions.
/// </summary>
public static class PackageFreeze
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    public sealed record Listing(IReadOnlyList<string>? Packages, string? Problem);

    public static async Task<Listing> ListAsync(Installer installer, string interpreter, CancellationToken cancellation)
    {
        var command = installer.Freeze(interpreter);
        var result = await ToolProcess.RunAsync(command[0], command.Skip(1), Path.GetTempPath(), s_timeout, cancellation, installer.Environment)
            .ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return new Listing(null, $"`{string.Join(" ", command)}` exited {result.ExitCode}: {OutputTail.Of(result.StandardError)}");
        }
        return new Listing(
            result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => !l.StartsWith('#'))
                .Order(StringComparer.OrdinalIgnoreCase)
                .ToList(),
            null);
    }

    /// <summary>Packages whose version differs, or that only one side has: <c>name: base → head</c>.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyList<string> head, IReadOnlyList<string> @base)
    {
        var before = ByName(@base);
        var after = ByName(head);
        return before.Keys.Union(after.Keys, StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase)
            .Where(n => before.GetValueOrDefault(n) != after.GetValueOrDefault(n))
            .Select(n => $"{n}: {before.GetValueOrDefault(n) ?? "absent"} → {after.GetValueOrDefault(n) ?? "absent"}")
            .ToList();
    }

    /// <summary>
    /// The head's versions as a constraints file (pip's and uv's <c>-c</c>), without the project
    /// itself and without editable or direct-reference lines, which constraints cannot hold.
    /// Null when the head's versions cannot be listed.
    /// </summary>
    public static async Task<string?> ConstraintsAsync(Installer installer, string headInterpreter, string path, CancellationToken cancellation)
    {
        var listing = await ListAsync(installer, headInterpreter, cancellation).ConfigureAwait(false);
        if (listing.Packages is null)
        {
            return null;
        }
        var pins = listing.Packages.Where(l =>
            l.Contains("==", StringComparison.Ordinal) && !l.StartsWith("-e", StringComparison.Ordinal) && Name(l) != SideIdentity.Package);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Storage.AtomicFile.WriteAllText(path, string.Join("\n", pins) + "\n");
        return path;
    }

    private static Dictionary<string, string> ByName(IReadOnlyList<string> lines) =>
        lines.Select(l => (Name: Name(l), Version: Version(l)))
            .Where(p => p.Name.Length > 0)
            .GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Version, StringComparer.OrdinalIgnoreCase);

    /// <summary>PEP 503 normalised: Foo_Bar and foo-bar are one package.</summary>
    private static string Name(string line)
    {
        var name = line.StartsWith("-e", StringComparison.Ordinal) ? line.Split('=').Last() : line.Split(["==", " @ "], StringSplitOptions.None)[0];
        return name.Trim().ToLowerInvariant().Replace('_', '-').Replace('.', '-');
    }

    private static string Version(string line) =>
        line.Contains("==", StringComparison.Ordinal) ? line[(line.IndexOf("==", StringComparison.Ordinal) + 2)..].Trim()
        : line.Contains(" @ ", StringComparison.Ordinal) ? line[(line.IndexOf(" @ ", StringComparison.Ordinal) + 3)..].Trim()
        : line.Trim();
}
