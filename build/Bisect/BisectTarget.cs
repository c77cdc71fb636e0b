using Filare.Perf.Checkout;
using Filare.Perf.Scenarios;
using Filare.Perf.Results;

namespace Filare.Perf.Bisect;

/// <summary>
/// What every commit of a bisection is measured against: the checkout whose repository holds the
/// range and whose interpreter is shared (--filare-root), the scenarios, and where the commits'
/// checkouts and runs go (fixed-width folders, so every commit's paths are equally long).
/// </summary>
public sealed record BisectTarget(
    FilareCheckout Reference,
    PythonEnvironment Python,
    IReadOnlyList<Scenario> Scenarios,
    string BuildRoot,
    string RunFolder,
    CompareEnvironment Mode,
    IReadOnlyList<string> Groups,
    IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>Every commit's checkout: &lt;build&gt;/.nuke/temp/bisect/&lt;12 hex digits&gt;.</summary>
    public string CheckoutsFolder => Path.Combine(BuildRoot, ".nuke", "temp", "bisect");

    public string Checkout(string commit) => CheckoutPaths.FixedWidth(CheckoutsFolder, commit);

    public IEnumerable<string> Requires => Scenarios.SelectMany(s => s.Requires).Distinct();
}

/// <summary>A commit measured with another checkout's code: never a result, always the end of the bisection.</summary>
public sealed class BisectRefusedException(string message) : Exception(message);
