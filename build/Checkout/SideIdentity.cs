using System.Text.Json;
using Filare.Perf.Processes;
using Filare.Perf.Results;

namespace Filare.Perf.Checkout;

/// <summary>One side of a measurement as the identity probe sees it: how its runs start Python, its
/// checkout and commit, and its variables (for a side with no runnable scenario).</summary>
public sealed record SideCode(string Name, IReadOnlyList<Launch> Launches, string Root, string? Commit, IReadOnlyDictionary<string, string> Environment);

/// <summary>
/// Proves which code each side runs. Before any measured run, each distinct launcher of a side's
/// scenarios (a console script, or <c>python -m …</c>) imports Filare's package under exactly that
/// side's interpreter, variables and working directory, and the file it finds is placed in a
/// checkout. A <c>.pth</c> that inserts the head's src/ at the front of sys.path, or an installed
/// non-editable copy, shadows PYTHONPATH: a base measured that way runs the head's code, and a
/// comparison of the head with itself says "unchanged". Such a comparison is refused.
/// </summary>
public static class SideIdentity
{
    public const string Package = "filare";

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    /// <summary>Where each launcher imports Filare from, and the distributions the side's interpreter sees (null when the probe could not run).</summary>
    public static async Task<(IReadOnlyList<ImportOrigin> Imports, IReadOnlyList<string>? Packages)> ProbeAsync(SideCode side, string interpreter,
        string? otherRoot, CancellationToken cancellation)
    {
        var origins = new List<ImportOrigin>();
        IReadOnlyList<string>? packages = null;
        var probes = side.Launches.Count > 0
            ? side.Launches.DistinctBy(l => (l.Script, l.Script is null ? l.WorkingDirectory : ""))
            .Select(l => (Argv: (IReadOnlyList<string>)[l.Interpreter], Launcher: l.Script ?? "-", l.WorkingDirectory, l.Environment))
            : [([interpreter], "-", side.Root, side.Environment)];
        foreach (var (argv, launcher, workdir, environment) in probes)
        {
            var result = await ToolProcess.RunAsync(argv[0], [PythonEnvironment.Helper("identity.py"), Package, launcher], workdir, s_timeout, cancellation,
                environment).ConfigureAwait(false);
            string? path = null, error;
            try
            {
                using var json = JsonDocument.Parse(result.StandardOutput.Trim().Split('\n').LastOrDefault() ?? "");
                path = json.RootElement.GetProperty("path").GetString();
                error = json.RootElement.GetProperty("error").GetString();
                packages ??= json.RootElement.GetProperty("distributions").EnumerateArray().Select(d => d.GetString() ?? "").ToList();
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                error = $"the probe exited {result.ExitCode}: {OutputTail.Of(result.StandardError)}";
            }
            var checkout = path is null ? null : Owner(path, side.Root, otherRoot);
            origins.Add(new ImportOrigin(Package, launcher == "-" ? "python" : launcher, path, checkout, checkout == side.Root ? side.Commit : null, error));
        }
        return (origins, packages);
    }

    /// <summary>Null when every import found belongs to its own side; else what was found, what was expected and the likely cause.</summary>
    public static string? Mismatch(SideCode side, IReadOnlyList<ImportOrigin> origins, SideCode other, string interpreter)
    {
        foreach (var origin in origins.Where(o => o.Path is not null && o.Checkout != side.Root))
        {
            var found = origin.Checkout == other.Root ? $"the {other.Name}'s checkout ({other.Root})" : "no checkout (an installed copy)";
            var cause = origin.Checkout == other.Root
                ? $"a .pth file in {interpreter}'s site-packages that puts {other.Root}'s source on sys.path ahead of PYTHONPATH (sys.path.insert(0, ...))"
                : $"a non-editable copy of {Package} installed in {interpreter}'s site-packages, " +
                $"which PYTHONPATH does not shadow for console scripts, or a .pth inserting it first";
            return $"the {side.Name} side would import {Package} from {origin.Path}, which is {found}; expected a file under {side.Root}. " +
                $"Likely cause: {cause}. The comparison would measure the same code twice. Give the {side.Name} its own interpreter (--compare-env venv), " +
                "or remove the shadowing .pth / reinstall the checkout editable (pip install -e).";
        }
        return null;
    }

    /// <summary>Which checkout a file is in; the base's worktree may lie inside the head's root (.nuke/temp), so the deeper root wins.</summary>
    private static string? Owner(string path, string root, string? otherRoot) =>
        new[] { root, otherRoot }.OfType<string>()
            .Where(r => Storage.Paths.IsInside(path, r) || Storage.Paths.IsInside(path, Real(r)))
            .OrderByDescending(r => r.Length)
            .FirstOrDefault();

    private static string Real(string path)
    {
        try
        {
            return new DirectoryInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }

}
