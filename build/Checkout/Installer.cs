using System.Text.RegularExpressions;
using Filare.Perf.Processes;

namespace Filare.Perf.Checkout;

public enum InstallerKind { Uv, Pip }

/// <summary>
/// The one place that decides "uv, else pip" and spells their command lines: making a checkout's
/// virtualenv the way the project makes it, installing packages (profilers) into an interpreter,
/// and listing what an interpreter has installed. uv's cache goes to &lt;build root&gt;/.uv-cache,
/// which CI caches. The command lines follow uv's CLI (tests/fakes/CONTRACTS.md) and pip's.
/// </summary>
public sealed partial record Installer(InstallerKind Kind, string? Uv, IReadOnlyDictionary<string, string> Environment)
{
    public static Installer Choose(string buildRoot, IReadOnlyDictionary<string, string> environment)
    {
        var variables = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        if (ToolProcess.Which("uv", environment) is { } uv)
        {
            variables["UV_CACHE_DIR"] = Path.Combine(buildRoot, ".uv-cache");
            return new Installer(InstallerKind.Uv, uv, variables);
        }
        return new Installer(InstallerKind.Pip, null, variables);
    }

    public string Name => Kind == InstallerKind.Uv ? "uv" : "pip";

    /// <summary>
    /// The steps that make &lt;root&gt;/.venv from <paramref name="baseInterpreter"/> and install the
    /// checkout into it, editable. With uv and a uv.lock: <c>uv venv</c> then <c>uv sync --frozen</c>
    /// with the dependency groups (as Filare's CI: <c>uv sync --group dev</c>), the lock's exact
    /// versions. Otherwise the project with those of <paramref name="groups"/> that it declares as
    /// extras (pip reads no dependency groups), pinned by <paramref name="constraints"/> when given.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> VenvSteps(string root, string baseInterpreter, IReadOnlyList<string> groups, string? constraints)
    {
        var venv = Path.Combine(root, ".venv");
        var python = CheckoutEnvironment.VenvPython(root);
        var extras = DeclaredExtras(root).Intersect(groups.Concat(["test", "tests"]), StringComparer.Ordinal).ToList();
        var target = extras.Count == 0 ? root : $"{root}[{string.Join(",", extras)}]";
        var pinned = constraints is null ? Array.Empty<string>() : ["-c", constraints];
        if (Kind == InstallerKind.Uv)
        {
            IReadOnlyList<string> create = [Uv!, "venv", "--python", baseInterpreter, venv];
            return UsesLock(root)
                ? [create, [Uv!, "sync", "--frozen", .. groups.SelectMany(g => new[] { "--group", g })]]
                : [create, [Uv!, "pip", "install", "--python", python, .. pinned, "-e", target]];
        }
        return [[baseInterpreter, "-m", "venv", venv], [python, "-m", "pip", "install", "--disable-pip-version-check", .. pinned, "-e", target]];
    }

    /// <summary>The variables a step runs with; uv sync targets the checkout's .venv explicitly.</summary>
    public IReadOnlyDictionary<string, string> StepEnvironment(string root) =>
        Kind == InstallerKind.Uv
            ? new Dictionary<string, string>(Environment, StringComparer.Ordinal) { ["UV_PROJECT_ENVIRONMENT"] = Path.Combine(root, ".venv") }
            : Environment;

    /// <summary>uv sync only where there is a lock to sync from.</summary>
    public bool UsesLock(string root) => Kind == InstallerKind.Uv && File.Exists(Path.Combine(root, "uv.lock"));

    public IReadOnlyList<string> InstallPackages(string interpreter, IReadOnlyList<string> packages) =>
        Kind == InstallerKind.Uv
            ? [Uv!, "pip", "install", "--python", interpreter, .. packages]
            : [interpreter, "-m", "pip", "install", "--disable-pip-version-check", .. packages];

    /// <summary>What an interpreter has installed, one <c>name==version</c> a line.</summary>
    public IReadOnlyList<string> Freeze(string interpreter) =>
        Kind == InstallerKind.Uv
            ? [Uv!, "pip", "freeze", "--python", interpreter]
            : [interpreter, "-m", "pip", "freeze", "--disable-pip-version-check"];

    /// <summary>The keys of [project.optional-dependencies] in the checkout's pyproject.toml.</summary>
    public static IReadOnlyList<string> DeclaredExtras(string root)
    {
        var pyproject = Path.Combine(root, "pyproject.toml");
        if (!File.Exists(pyproject))
        {
            return [];
        }
        var table = ExtrasTable().Match(File.ReadAllText(pyproject));
        return table.Success ? ExtraName().Matches(table.Groups[1].Value).Select(m => m.Groups[1].Value).ToList() : [];
    }

    [GeneratedRegex(@"^\[project\.optional-dependencies\]\s*$(.*?)(?=^\[|\z)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ExtrasTable();

    [GeneratedRegex(@"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*=", RegexOptions.Multiline)]
    private static partial Regex ExtraName();
}
