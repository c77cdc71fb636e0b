using Filare.Perf.Results;
namespace Filare.Perf.Checkout;

/// <summary>Both sides of a comparison as measured: their environments, how their packages differ, and why they may not be compared.</summary>
public sealed record SidesCheck(SideEnvironment Head, SideEnvironment Base, IReadOnlyList<string> PackageDifferences, string? Problem);

/// <summary>
/// Describes a side's interpreter before it is measured (installed versions, where it imports Filare
/// from) and, for a comparison, checks that each side runs its own checkout's code.
/// </summary>
public static class ComparedSides
{
    public static async Task<SideEnvironment> DescribeAsync(SideCode side, PythonEnvironment python, string? otherRoot, Installer installer,
        CancellationToken cancellation)
    {
        var (imports, packages) = await SideIdentity.ProbeAsync(side, python.Executable, otherRoot, cancellation).ConfigureAwait(false);
        return new SideEnvironment(python.Executable, installer.Name, packages,
            packages is null ? "the identity probe did not run: " + imports.FirstOrDefault()?.Error : null, imports);
    }

    /// <summary>One line per import, for the console: where each side's code comes from.</summary>
    public static IEnumerable<string> Describe(string side, SideEnvironment environment) =>
        environment.Imports.Select(i => $"{side} imports {i.Package} ({i.Launcher}) from " +
            (i.Path is null ? $"nowhere{(i.Error is null ? "" : ": " + i.Error)}" : i.Checkout is null
                ? $"{i.Path}, outside its checkout"
                : $"{i.Path}{(i.Commit is null ? "" : " @ " + i.Commit[..Math.Min(12, i.Commit.Length)])}"));

    public static async Task<SidesCheck> CheckAsync(SideCode head, PythonEnvironment headPython, SideCode @base, PythonEnvironment basePython,
        Installer installer, CancellationToken cancellation)
    {
        var headSide = await DescribeAsync(head, headPython, @base.Root, installer, cancellation).ConfigureAwait(false);
        var baseSide = await DescribeAsync(@base, basePython, head.Root, installer, cancellation).ConfigureAwait(false);
        var differences = headSide.Packages is { } after && baseSide.Packages is { } before ? PackageFreeze.Differences(after, before) : [];
        // The base imports the head's code is the failure that reads as "unchanged": checked first.
        var problem = SideIdentity.Mismatch(@base, baseSide.Imports, head, basePython.Executable)
            ?? SideIdentity.Mismatch(head, headSide.Imports, @base, headPython.Executable);
        return new SidesCheck(headSide, baseSide, differences, problem);
    }
}
