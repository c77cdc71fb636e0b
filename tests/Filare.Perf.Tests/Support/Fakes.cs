using System.Text.Json;

namespace Filare.Perf.Tests.Support;

/// <summary>
/// The fake py-spy and Memray of tests/fakes (contracts in tests/fakes/CONTRACTS.md), wired into a
/// build's injected environment the way a user would install the real tools: py-spy on PATH,
/// memray importable by the profiled interpreter.
/// </summary>
public static class Fakes
{
    public static string Bin => Path.Combine(Repository.Root, "tests", "fakes", "bin");

    public static string PythonPath => Path.Combine(Repository.Root, "tests", "fakes", "python");

    /// <summary>PATH as the tests inherit it (the fakes not on it).</summary>
    public static string MachinePath => TestRoot.CleanEnvironment().GetValueOrDefault("PATH") ?? "";

    /// <summary>An environment with the fake py-spy first on PATH; <paramref name="log"/> records each call.</summary>
    public static Dictionary<string, string> WithPySpy(string? log = null, Dictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>(extra ?? [], StringComparer.Ordinal)
        {
            ["PATH"] = Bin + Path.PathSeparator + MachinePath,
        };
        if (log is not null)
        {
            environment["FAKE_PYSPY_LOG"] = log;
        }
        return environment;
    }

    /// <summary>An environment where `python -m memray` is the fake; <paramref name="log"/> records each call.</summary>
    public static Dictionary<string, string> WithMemray(string? log = null, Dictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>(extra ?? [], StringComparer.Ordinal)
        {
            ["PYTHONPATH"] = PythonPath,
        };
        if (log is not null)
        {
            environment["FAKE_MEMRAY_LOG"] = log;
        }
        return environment;
    }

    /// <summary>The calls a fake logged (one JSON list of argv[1:] per line), oldest first; none when it never ran.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Calls(string log) =>
        File.Exists(log)
            ? File.ReadAllLines(log)
                .Where(line => line.Length > 0)
                .Select(line => (IReadOnlyList<string>)(JsonSerializer.Deserialize<List<string>>(line) ?? []))
                .ToList()
            : [];

    /// <summary>The one call whose first argument is <paramref name="command"/> (record, run, stats, ...).</summary>
    public static IReadOnlyList<string> Call(string log, string command) =>
        Assert.Single(Calls(log), call => call.Count > 0 && call[0] == command);
}
