using System.Text.Json;
using Filare.Perf.Processes;

namespace Filare.Perf.Checkout;

/// <summary>
/// The interpreter scenarios and in-process profilers run under. <see cref="Executable"/> is what
/// the interpreter reports as sys.executable: a pyenv shim or a wrapper script resolves to the real
/// binary, so its start-up is not measured in every run.
/// </summary>
public sealed record PythonEnvironment(
    string Configured,
    string Executable,
    string Version,
    string Implementation,
    string ScriptsDirectory,
    IReadOnlyDictionary<string, bool> Modules)
{
    public static string HelperDirectory => Path.Combine(AppContext.BaseDirectory, "Python");

    public static string Helper(string name) => Path.Combine(HelperDirectory, name);

    /// <summary>--python, else .venv/bin/python under the Filare root, else python3 on PATH.</summary>
    public static string Choose(string? configured, string filareRoot, string buildRoot, IReadOnlyDictionary<string, string> environment)
    {
        if (configured is not null)
        {
            var candidate = configured.Contains('/', StringComparison.Ordinal)
                ? Path.GetFullPath(configured, buildRoot)
                : ToolProcess.Which(configured, environment);
            return candidate is not null && File.Exists(candidate)
                ? candidate
                : throw new FilareException($"--python / FIL_PERF_PYTHON: '{configured}' was not " +
                    $"found{(configured.Contains('/', StringComparison.Ordinal) ? "" : " on PATH")}.");
        }
        var venv = Path.Combine(filareRoot, ".venv", "bin", "python");
        if (File.Exists(venv))
        {
            return venv;
        }
        return ToolProcess.Which("python3", environment)
            ?? throw new FilareException($"No Python found: no {venv} and no python3 on PATH. " +
                $"Set --python / FIL_PERF_PYTHON to the interpreter Filare is installed in.");
    }

    public static async Task<PythonEnvironment> ProbeAsync(string interpreter, IEnumerable<string> modules, string workingDirectory,
        CancellationToken cancellation)
    {
        var result = await ToolProcess.RunAsync(interpreter, [Helper("probe.py"), .. modules], workingDirectory, TimeSpan.FromSeconds(60), cancellation)
            .ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new FilareException($"The interpreter {interpreter} did not run (exit {result.ExitCode}): {result.StandardError.Trim()}");
        }
        var line = result.StandardOutput.Trim().Split('\n').Last();
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        return new PythonEnvironment(
            interpreter,
            root.GetProperty("executable").GetString() is { Length: > 0 } executable ? executable : interpreter,
            root.GetProperty("version").GetString() ?? "",
            root.GetProperty("implementation").GetString() ?? "",
            root.GetProperty("scripts").GetString() ?? "",
            root.GetProperty("modules").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetBoolean()));
    }

    /// <summary>A console script as pip installs it: beside the interpreter, in its scripts folder, or on PATH.</summary>
    public string? ConsoleScript(string name, IReadOnlyDictionary<string, string> environment) =>
        new[] { Path.GetDirectoryName(Configured), Path.GetDirectoryName(Executable), ScriptsDirectory }
            .Where(d => !string.IsNullOrEmpty(d))
            .Select(d => Path.Combine(d!, name))
            .FirstOrDefault(ToolProcess.IsExecutable)
        ?? ToolProcess.Which(name, environment);
}
