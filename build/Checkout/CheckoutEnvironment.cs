using Filare.Perf.Processes;
using Filare.Perf.Settings;

namespace Filare.Perf.Checkout;

/// <summary>The interpreter a second checkout runs under, how it was made, and the variables its runs need.</summary>
public sealed record CheckoutPython(PythonEnvironment Python, string Kind, IReadOnlyDictionary<string, string> Environment)
{
    public const string OwnVenv = "own .venv";
    public const string NewVenv = "new venv";
    public const string Shared = "shared interpreter";
}

/// <summary>
/// Gives the base checkout of an A/B an interpreter of the same Python as the head's, so the
/// comparison measures Filare and not two interpreters. Three ways, by --compare-env:
/// its own committed .venv; a new .venv made from the head's interpreter with the checkout
/// installed into it (uv, else pip: what a Filare developer does); or the head's interpreter with the
/// base's source first on PYTHONPATH (no install, works offline, but shares the head's dependencies).
/// </summary>
public static class CheckoutEnvironment
{
    private static readonly TimeSpan s_installTimeout = TimeSpan.FromMinutes(15);

    public static async Task<CheckoutPython> PrepareAsync(
        FilareCheckout checkout,
        PythonEnvironment head,
        string headRoot,
        CompareEnvironment mode,
        IEnumerable<string> modules,
        string buildRoot,
        IReadOnlyDictionary<string, string> environment,
        CancellationToken cancellation)
    {
        var venv = VenvPython(checkout.Root);
        var kind = mode switch
        {
            CompareEnvironment.Venv => File.Exists(venv) ? CheckoutPython.OwnVenv : CheckoutPython.NewVenv,
            CompareEnvironment.Shared => CheckoutPython.Shared,
            _ when File.Exists(venv) => CheckoutPython.OwnVenv,
            // The head runs from a virtualenv of its own checkout: the base gets one made the same way.
            _ when Storage.Paths.IsInside(head.Configured, Path.Combine(headRoot, ".venv")) => CheckoutPython.NewVenv,
            _ => CheckoutPython.Shared,
        };
        var variables = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        string interpreter;
        switch (kind)
        {
            case CheckoutPython.NewVenv:
                interpreter = await CreateVenvAsync(checkout.Root, head.Executable, buildRoot, environment, cancellation).ConfigureAwait(false);
                break;
            case CheckoutPython.OwnVenv:
                interpreter = venv;
                break;
            default:
                interpreter = head.Configured;
                var source = Directory.Exists(Path.Combine(checkout.Root, "src")) ? Path.Combine(checkout.Root, "src") : checkout.Root;
                variables["PYTHONPATH"] = environment.GetValueOrDefault("PYTHONPATH") is { Length: > 0 } inherited
                    ? source + Path.PathSeparator + inherited
                    : source;
                break;
        }
        var python = await PythonEnvironment.ProbeAsync(interpreter, modules, checkout.Root, cancellation).ConfigureAwait(false);
        if (python.Version != head.Version || python.Implementation != head.Implementation)
        {
            throw new FilareException(
                $"The base checkout's interpreter {python.Executable} ({kind}) is {python.Implementation} {python.Version}, the head's is {head.Implementation} {head.Version}: " +
                "the comparison would measure the interpreters. Use --compare-env venv (a new .venv from the head's Python) or shared.");
        }
        return new CheckoutPython(python, kind, variables);
    }

    /// <summary>
    /// &lt;root&gt;/.venv from <paramref name="baseInterpreter"/> (a venv's python makes a venv of the
    /// same base Python), then the checkout installed into it, editable as a developer has it.
    /// A half-made .venv is removed: it would be picked up next time as a working one.
    /// </summary>
    public static async Task<string> CreateVenvAsync(string root, string baseInterpreter, string buildRoot, IReadOnlyDictionary<string, string> environment, CancellationToken cancellation)
    {
        var venv = Path.Combine(root, ".venv");
        var python = VenvPython(root);
        var variables = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        IReadOnlyList<IReadOnlyList<string>> steps;
        if (ToolProcess.Which("uv", environment) is { } uv)
        {
            variables["UV_CACHE_DIR"] = Path.Combine(buildRoot, ".uv-cache");
            steps = [[uv, "venv", "--python", baseInterpreter, venv], [uv, "pip", "install", "--python", python, "-e", root]];
        }
        else
        {
            steps = [[baseInterpreter, "-m", "venv", venv], [python, "-m", "pip", "install", "--disable-pip-version-check", "-e", root]];
        }
        try
        {
            foreach (var step in steps)
            {
                var result = await ToolProcess.RunAsync(step[0], step.Skip(1), root, s_installTimeout, cancellation, variables).ConfigureAwait(false);
                if (!result.Succeeded)
                {
                    throw new FilareException(
                        $"Could not prepare an environment for {root}: `{string.Join(" ", step)}` exited {result.ExitCode}: {Processes.OutputTail.Of(result.StandardError + "\n" + result.StandardOutput)}");
                }
            }
        }
        catch
        {
            // Cancelled or failed alike: a half-made .venv would be taken for a working one next time.
            if (Directory.Exists(venv))
            {
                Directory.Delete(venv, recursive: true);
            }
            throw;
        }
        return python;
    }

    public static string VenvPython(string root) => Path.Combine(root, ".venv", "bin", "python");
}
