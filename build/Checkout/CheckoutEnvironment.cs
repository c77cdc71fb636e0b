using Filare.Perf.Processes;
using Filare.Perf.Results;

namespace Filare.Perf.Checkout;

/// <summary>The interpreter a second checkout runs under, how it was made and why, and the variables its runs need.</summary>
public sealed record CheckoutPython(PythonEnvironment Python, string Kind, IReadOnlyDictionary<string, string> Environment)
{
    public const string OwnVenv = "own .venv";
    public const string NewVenv = "new venv";
    public const string Shared = "shared interpreter";

    /// <summary>Why this kind (--compare-env, and under auto what the dependency declarations showed).</summary>
    public string Reason { get; init; } = "";

    public DependencyDeclarations? Declarations { get; init; }
}

/// <summary>
/// Gives the base checkout of an A/B an interpreter of the same Python as the head's, so the
/// comparison measures Filare and not two interpreters. Three ways, by --compare-env: its own
/// committed .venv; a new .venv made as the project makes it (<see cref="Installer"/>); or the head's
/// interpreter with the base's source first on PYTHONPATH (no install, works offline). Auto shares
/// the head's interpreter when the dependency declarations are byte-identical, and makes a new venv
/// only when they differ: from the base's own uv.lock, else pinned to the head's installed versions.
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
        CancellationToken cancellation,
        IReadOnlyList<string>? groups = null)
    {
        var declarations = DependencyDeclarations.Compare(headRoot, checkout.Root);
        var (kind, reason) = Choose(mode, declarations, File.Exists(VenvPython(checkout.Root)));
        var variables = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        string interpreter;
        switch (kind)
        {
            case CheckoutPython.NewVenv:
                var installer = Installer.Choose(buildRoot, environment);
                string? constraints = null;
                if (!installer.UsesLock(checkout.Root))
                {
                    // No lock of its own: pin to what the head has, so only the declared differences differ.
                    constraints = await PackageFreeze.ConstraintsAsync(installer, head.Executable, Path.Combine(buildRoot, ".nuke", "temp", "compare",
                        Path.GetFileName(checkout.Root) + "-constraints.txt"), cancellation).ConfigureAwait(false);
                    reason += constraints is null
                        ? "; the head's versions could not be listed, so nothing is pinned"
                        : "; pinned to the head environment's installed versions (constraints)";
                }
                else
                {
                    reason += "; synced from the base's own uv.lock";
                }
                interpreter = await CreateVenvAsync(checkout.Root, head.Executable, installer, groups ?? ["dev"], constraints, cancellation)
                    .ConfigureAwait(false);
                break;
            case CheckoutPython.OwnVenv:
                interpreter = VenvPython(checkout.Root);
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
                $"The base checkout's interpreter {python.Executable} ({kind}) is {python.Implementation} " +
                    $"{python.Version}, the head's is {head.Implementation} {head.Version}: " +
                "the comparison would measure the interpreters. Use --compare-env venv (a new .venv from the head's Python) or shared.");
        }
        return new CheckoutPython(python, kind, variables) { Reason = reason, Declarations = declarations };
    }

    /// <summary>The kind of interpreter and why: an explicit --compare-env, or what the dependency declarations show.</summary>
    public static (string Kind, string Reason) Choose(CompareEnvironment mode, DependencyDeclarations declarations, bool baseHasVenv)
    {
        var files = declarations.Describe(declarations.Files);
        return mode switch
        {
            CompareEnvironment.Shared => (CheckoutPython.Shared, "--compare-env shared"),
            CompareEnvironment.Venv when baseHasVenv => (CheckoutPython.OwnVenv, "--compare-env venv; the base has its own .venv"),
            CompareEnvironment.Venv => (CheckoutPython.NewVenv, "--compare-env venv"),
            _ when declarations.Identical => (CheckoutPython.Shared, $"auto: the dependency declarations ({files}) " +
                $"are byte-identical, so the head's interpreter runs the base's source (no install, works offline)"),
            _ when baseHasVenv => (CheckoutPython.OwnVenv, $"auto: {declarations.Describe(declarations.Differing)} differ; the base has its own .venv"),
            _ => (CheckoutPython.NewVenv, $"auto: {declarations.Describe(declarations.Differing)} differ, so the base gets an environment of its own"),
        };
    }

    /// <summary>
    /// &lt;root&gt;/.venv from <paramref name="baseInterpreter"/> (a venv's python makes a venv of the
    /// same base Python), then the checkout installed into it as <paramref name="installer"/> does.
    /// A half-made .venv is removed: it would be picked up next time as a working one.
    /// </summary>
    public static async Task<string> CreateVenvAsync(string root, string baseInterpreter, Installer installer, IReadOnlyList<string> groups,
        string? constraints, CancellationToken cancellation)
    {
        var venv = Path.Combine(root, ".venv");
        try
        {
            foreach (var step in installer.VenvSteps(root, baseInterpreter, groups, constraints))
            {
                var result = await ToolProcess.RunAsync(step[0], step.Skip(1), root, s_installTimeout, cancellation, installer.StepEnvironment(root))
                    .ConfigureAwait(false);
                if (!result.Succeeded)
                {
                    throw new FilareException(
                        $"Could not prepare an environment for {root}: `{string.Join(" ", step)}` exited " +
                            $"{result.ExitCode}: {OutputTail.Of(result.StandardError + "\n" + result.StandardOutput)}");
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
        return VenvPython(root);
    }

    public static string VenvPython(string root) => Path.Combine(root, ".venv", "bin", "python");
}
