using Filare.Perf.Processes;
using Filare.Perf.Results;

namespace Filare.Perf.Instructions;

/// <summary>Whether Valgrind is on this machine, and which version (counts of two versions are not like for like).</summary>
public sealed record ValgrindProbe(string? Executable, string? Version, string? Problem)
{
    public bool Installed => Executable is not null && Problem is null;
}

/// <summary>
/// The Valgrind command line that counts instructions. cachegrind without cache simulation counts
/// every instruction retired (Ir) at about 30× the native time; callgrind counts the same at about
/// twice cachegrind's cost, and --tool=none counts nothing (see docs/performance/instructions.md
/// for the measurements behind the choice).
/// </summary>
public static class Valgrind
{
    public const string ToolName = InstructionRun.CountedWith;

    public const string InstallHint = "install Valgrind: apt-get install valgrind " +
        "(Debian/Ubuntu), dnf install valgrind (Fedora); the perf-tools CI image has it";

    /// <summary>
    /// A counted run's timeout: this many times twice the scenario's median wall time (measured
    /// 24× for Filare's demo01, 32× for the fixture, whose interpreter start-up dominates), at least
    /// <see cref="MinimumTimeout"/>, and never more than the factor times the scenario's own timeout.
    /// </summary>
    public const double SlowdownFactor = 40;

    public static readonly TimeSpan MinimumTimeout = TimeSpan.FromSeconds(120);

    public static TimeSpan Timeout(TimeSpan scenarioTimeout, double? medianWallSeconds)
    {
        var ceiling = scenarioTimeout * SlowdownFactor;
        if (medianWallSeconds is not { } median || !double.IsFinite(median) || median <= 0)
        {
            return ceiling;
        }
        var expected = TimeSpan.FromSeconds(SlowdownFactor * 2 * median);
        return expected < MinimumTimeout ? MinimumTimeout : expected > ceiling ? ceiling : expected;
    }

    /// <summary>
    /// Valgrind's options then the program's argv. --trace-syscalls gives each traced process's
    /// exit_group status (Valgrind logs no exit code of its own); it does not change the counts.
    /// </summary>
    public static IReadOnlyList<string> Command(string executable, string folder, IReadOnlyList<string> argv) =>
    [
        executable,
        "--tool=cachegrind",
        "--cache-sim=no",
        "--branch-sim=no",
        "--trace-children=yes",
        "--trace-syscalls=yes",
        $"--cachegrind-out-file={Path.Combine(folder, ValgrindOutput.CountPrefix)}%p",
        $"--log-file={Path.Combine(folder, ValgrindOutput.LogPrefix)}%p.log",
        "--",
        .. argv,
    ];

    public static async Task<ValgrindProbe> ProbeAsync(IReadOnlyDictionary<string, string> environment, string workingDirectory, CancellationToken cancellation)
    {
        var executable = ToolProcess.Which("valgrind", environment);
        if (executable is null)
        {
            return new ValgrindProbe(null, null, "not installed");
        }
        var result = await ToolProcess.RunAsync(executable, ["--version"], workingDirectory, TimeSpan.FromSeconds(30), cancellation, environment)
            .ConfigureAwait(false);
        var version = result.StandardOutput.Trim();
        return result.Succeeded && version.StartsWith("valgrind-", StringComparison.Ordinal)
            ? new ValgrindProbe(executable, version["valgrind-".Length..], null)
            : new ValgrindProbe(executable, null,
                $"{executable} --version failed: {(result.StandardError.Trim() is { Length: > 0 } error ? error : $"exit code {result.ExitCode}")}");
    }
}
