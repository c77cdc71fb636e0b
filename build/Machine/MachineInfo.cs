using System.Runtime.InteropServices;
using Filare.Perf.Checkout;
using Filare.Perf.Git;
using Filare.Perf.Results;

namespace Filare.Perf.Machine;

/// <summary>
/// What the numbers were measured on. Two runs on different CPU models or Python versions are not
/// comparable, and the report says so; so this is recorded with every run.
/// </summary>
public static class MachineInfo
{
    public static RunEnvironment Describe(
        FilareCheckout filare,
        GitInfo? filareGit,
        GitInfo? harnessGit,
        PythonEnvironment python,
        IReadOnlyDictionary<string, string> environment)
    {
        return new RunEnvironment(
            CpuModel(),
            Environment.ProcessorCount,
            MemoryBytes(),
            RuntimeInformation.OSDescription,
            ReadFirstLine("/proc/sys/kernel/osrelease") ?? Environment.OSVersion.VersionString,
            RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
            python.Version,
            python.Implementation,
            python.Executable,
            filare.Root,
            filareGit?.Commit,
            filareGit?.Branch,
            filareGit?.Dirty,
            harnessGit?.Commit,
            Environment.Version.ToString(),
            Ci(environment));
    }

    public static string CpuModel()
    {
        if (File.Exists("/proc/cpuinfo"))
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null)
            {
                return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static long? MemoryBytes()
    {
        var line = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            : null;
        var kib = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
        return long.TryParse(kib, out var value) ? value * 1024 : null;
    }

    private static string? ReadFirstLine(string path) => File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() : null;

    private static CiRun? Ci(IReadOnlyDictionary<string, string> environment)
    {
        if (environment.GetValueOrDefault("GITHUB_ACTIONS") != "true")
        {
            return null;
        }
        return new CiRun(
            "github",
            environment.GetValueOrDefault("GITHUB_REPOSITORY"),
            environment.GetValueOrDefault("GITHUB_RUN_ID"),
            environment.GetValueOrDefault("GITHUB_RUN_ATTEMPT"),
            environment.GetValueOrDefault("GITHUB_EVENT_NAME"),
            environment.GetValueOrDefault("GITHUB_REF"),
            environment.GetValueOrDefault("GITHUB_SHA"),
            environment.GetValueOrDefault("GITHUB_WORKFLOW"),
            environment.GetValueOrDefault("GITHUB_SERVER_URL"),
            int.TryParse(environment.GetValueOrDefault("FIL_PERF_PR"), out var pr) && pr > 0 ? pr : null);
    }
}

