using System.Text.RegularExpressions;

namespace Filare.Perf.Checkout;

/// <summary>The Filare source tree the scenarios run in.</summary>
public sealed partial record FilareCheckout(string Root)
{
    public const string StandIn = "tests/fixture/standin";

    /// <param name="configured">--filare-root / FIL_PERF_FILARE_ROOT, relative to the build root.</param>
    public static FilareCheckout Locate(string? configured, string buildRoot)
    {
        if (configured is not null)
        {
            var root = Path.GetFullPath(configured, buildRoot);
            if (!Directory.Exists(root))
            {
                throw new FilareException($"--filare-root / FIL_PERF_FILARE_ROOT: '{configured}' does not exist (resolved to {root}).");
            }
            return IsFilare(root)
                ? new FilareCheckout(root)
                : throw new FilareException($"--filare-root / FIL_PERF_FILARE_ROOT: {root} is not a Filare " +
                    $"checkout (expected a pyproject.toml naming the project 'filare', or src/filare/).");
        }
        return IsFilare(buildRoot)
            ? new FilareCheckout(buildRoot)
            : throw new FilareException(
                $"{buildRoot} is not a Filare checkout. Point at one with --filare-root <path> or FIL_PERF_FILARE_ROOT=<path> " +
                "(a clone of Filare, ideally with its virtualenv in .venv/), or try the bundled stand-in: --filare-root " + StandIn + ".");
    }

    public static bool IsFilare(string directory)
    {
        if (File.Exists(Path.Combine(directory, "src", "filare", "__init__.py")))
        {
            return true;
        }
        var pyproject = Path.Combine(directory, "pyproject.toml");
        return File.Exists(pyproject) && ProjectName().IsMatch(File.ReadAllText(pyproject));
    }

    /// <summary>
    /// The version the checkout declares: [project] version in pyproject.toml, else the VERSION file
    /// (Filare 1.6.0's VERSION still says 1.5.0, so pyproject.toml comes first). Null when neither says.
    /// </summary>
    public string? Version()
    {
        var pyproject = Path.Combine(Root, "pyproject.toml");
        if (File.Exists(pyproject))
        {
            var project = ProjectTable().Match(File.ReadAllText(pyproject));
            if (project.Success && ProjectVersion().Match(project.Groups[1].Value) is { Success: true } version)
            {
                return version.Groups[1].Value;
            }
        }
        var file = Path.Combine(Root, "VERSION");
        return File.Exists(file) && File.ReadLines(file).FirstOrDefault()?.Trim() is { Length: > 0 } line ? line : null;
    }

    [GeneratedRegex(@"^\[project\]\s*$(.*?)(?=^\[|\z)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ProjectTable();

    [GeneratedRegex("""^\s*version\s*=\s*["']([^"']+)["']""", RegexOptions.Multiline)]
    private static partial Regex ProjectVersion();

    [GeneratedRegex("""^\s*name\s*=\s*["']filare["']\s*$""", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex ProjectName();
}

/// <summary>Filare or its interpreter cannot be used; the message says how to fix it.</summary>
public sealed class FilareException(string message) : Exception(message);
