namespace Filare.Perf.Results;

/// <summary>
/// Where one side's runs import Filare's package from, probed under exactly the run's interpreter,
/// environment and working directory before anything is measured.
/// </summary>
/// <param name="Launcher">The console script probed, or <c>python</c> (a <c>python -m …</c> run, cwd first).</param>
/// <param name="Path">The imported package's file; null when it is not importable that way.</param>
/// <param name="Checkout">The checkout that file belongs to, or null when it is in none (an installed copy).</param>
/// <param name="Commit">That checkout's commit.</param>
/// <param name="Error">What importing it raised, if anything (e.g. a missing dependency).</param>
public sealed record ImportOrigin(string Package, string Launcher, string? Path, string? Checkout, string? Commit, string? Error);

/// <summary>One side's interpreter as it was measured: what is installed in it, and where it imports Filare from.</summary>
/// <param name="Packages">Its resolved versions (<c>uv pip freeze</c> or <c>pip freeze</c>), one
/// <c>name==version</c> each; null with <paramref name="PackagesProblem"/> when they could not be listed.</param>
public sealed record SideEnvironment(
    string Interpreter,
    string Installer,
    IReadOnlyList<string>? Packages,
    string? PackagesProblem,
    IReadOnlyList<ImportOrigin> Imports);

